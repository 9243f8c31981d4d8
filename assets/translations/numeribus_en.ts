<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="fr_FR">
    <context>
        <name>AccessibilityPanel</name>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="26" />
            <source>Accessibilité</source>
            <translation>Accessibility</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="35" />
            <source>Réglages tout prêts</source>
            <translation>Ready-made settings</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="44" />
            <source>Malvoyant</source>
            <translation>Low vision</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="45" />
            <source>Très gros texte, fort contraste, lecture à voix haute</source>
            <translation>Very large text, high contrast, read aloud</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="52" />
            <source>DYS</source>
            <translation>Dyslexia</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="53" />
            <source>Police adaptée, texte espacé, fond crème, syllabes en couleur</source>
            <translation>Adapted font, spaced text, cream background, coloured syllables</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="60" />
            <source>Senior</source>
            <translation>Senior</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="61" />
            <source>Texte et boutons plus grands, plus de temps</source>
            <translation>Bigger text and buttons, more time</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="72" />
            <source>Taille du texte</source>
            <translation>Text size</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="81" />
            <source>Texte plus petit</source>
            <translation>Smaller text</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="85" />
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="104" />
            <source>Taille du texte %1 %</source>
            <translation>Text size %1 %</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="92" />
            <source>%1 %</source>
            <translation>%1 %</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="100" />
            <source>Texte plus grand</source>
            <translation>Bigger text</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="115" />
            <source>Police et espacement</source>
            <translation>Font and spacing</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="125" />
            <source>Police standard</source>
            <translation>Standard font</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="134" />
            <source>Police OpenDyslexic</source>
            <translation>OpenDyslexic font</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="143" />
            <source>Texte espacé</source>
            <translation>Spaced text</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="151" />
            <source>Syllabes en couleur</source>
            <translation>Coloured syllables</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="163" />
            <source>Couleurs</source>
            <translation>Colours</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="173" />
            <source>Standard</source>
            <translation>Standard</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="182" />
            <source>Contraste élevé</source>
            <translation>High contrast</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="191" />
            <source>Sombre</source>
            <translation>Dark</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="200" />
            <source>Crème</source>
            <translation>Cream</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="212" />
            <source>Voix et animations</source>
            <translation>Voice and animations</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="221" />
            <source>Lecture à voix haute</source>
            <translation>Read aloud</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="229" />
            <source>Réduire les animations</source>
            <translation>Reduce animations</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="240" />
            <source>Réglages par défaut</source>
            <translation>Default settings</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="241" />
            <source>Remettre tous les réglages d'accessibilité comme au départ</source>
            <translation>Put every accessibility setting back as it was</translation>
        </message>
    </context>
    <context>
        <name>AccueilScreen</name>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="28" />
            <source>Bienvenue dans le numéribus</source>
            <translation>Welcome to the numéribus</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="45" />
            <source>Chercher un document</source>
            <translation>Find a document</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="46" />
            <source>Livres, livres audio, DVD, en gros caractères…</source>
            <translation>Books, audiobooks, DVDs, large print…</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="55" />
            <source>Prochains passages du numéribus</source>
            <translation>Next numéribus visits</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="56" />
            <source>Quand le bus revient près de chez vous</source>
            <translation>When the bus comes back near you</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="65" />
            <source>Ateliers</source>
            <translation>Workshops</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="66" />
            <source>Tablettes, cafés numériques, impression 3D</source>
            <translation>Tablets, digital cafés, 3D printing</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="75" />
            <source>Donner mon avis</source>
            <translation>Give my opinion</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="76" />
            <source>Dites-nous ce que vous pensez du numéribus</source>
            <translation>Tell us what you think of the numéribus</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="85" />
            <source>Accessibilité</source>
            <translation>Accessibility</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="86" />
            <source>Texte plus grand, couleurs, lecture à voix haute</source>
            <translation>Bigger text, colours, read aloud</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="96" />
            <source>Langue</source>
            <translation>Language</translation>
        </message>
    </context>
    <context>
        <name>IdleMonitor</name>
        <message numerus="yes">
            <location filename="../../numeribus_kiosk/ui/idle_monitor.py" line="118" />
            <source>Retour à l'accueil dans %n secondes. Touchez l'écran pour continuer.</source>
            <translation>
                <numerusform>Back to the home screen in %n second. Touch the screen to continue.</numerusform>
                <numerusform>Back to the home screen in %n seconds. Touch the screen to continue.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>IdleWarning</name>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/IdleWarning.qml" line="37" />
            <source>Vous êtes toujours là ?</source>
            <translation>Are you still there?</translation>
        </message>
        <message numerus="yes">
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/IdleWarning.qml" line="46" />
            <source>Retour à l'accueil dans %n secondes.</source>
            <translation>
                <numerusform>Back to the home screen in %n second.</numerusform>
                <numerusform>Back to the home screen in %n seconds.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/IdleWarning.qml" line="53" />
            <source>Continuer</source>
            <translation>Continue</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/IdleWarning.qml" line="54" />
            <source>Touchez l'écran pour continuer</source>
            <translation>Touch the screen to continue</translation>
        </message>
    </context>
    <context>
        <name>Main</name>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/Main.qml" line="84" />
            <source>Numéribus</source>
            <translation>Numéribus</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/Main.qml" line="129" />
            <source>Accueil</source>
            <translation>Home</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/Main.qml" line="130" />
            <source>Revenir à l'écran d'accueil</source>
            <translation>Go back to the home screen</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/Main.qml" line="137" />
            <source>Accessibilité</source>
            <translation>Accessibility</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/Main.qml" line="138" />
            <source>Texte plus grand, couleurs, lecture à voix haute</source>
            <translation>Bigger text, colours, read aloud</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/Main.qml" line="148" />
            <source>Répéter</source>
            <translation>Repeat</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/Main.qml" line="158" />
            <source>Arrêter la voix</source>
            <translation>Stop the voice</translation>
        </message>
    </context>
    <context>
        <name>ScreenHeader</name>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/ScreenHeader.qml" line="24" />
            <source>Retour</source>
            <translation>Back</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/ScreenHeader.qml" line="25" />
            <source>Revenir à l'écran précédent</source>
            <translation>Go back to the previous screen</translation>
        </message>
    </context>
    <context>
        <name>ScrollPage</name>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/ScrollPage.qml" line="60" />
            <source>Monter</source>
            <translation>Scroll up</translation>
        </message>
        <message>
            <location filename="../../numeribus_kiosk/ui/qml/Numeribus/ScrollPage.qml" line="71" />
            <source>Descendre</source>
            <translation>Scroll down</translation>
        </message>
    </context>
</TS>