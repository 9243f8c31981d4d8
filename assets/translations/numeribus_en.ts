<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="fr_FR">
<context>
    <name>AccessibilityPanel</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccessibilityPanel.qml" line="+26"/>
        <source>Accessibilité</source>
        <translation>Accessibility</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Réglages tout prêts</source>
        <translation>Ready-made settings</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Malvoyant</source>
        <translation>Low vision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Très gros texte, fort contraste, lecture à voix haute</source>
        <translation>Very large text, high contrast, read aloud</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>DYS</source>
        <translation>Dyslexia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Police adaptée, texte espacé, fond crème, syllabes en couleur</source>
        <translation>Adapted font, spaced text, cream background, coloured syllables</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Senior</source>
        <translation>Senior</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texte et boutons plus grands, plus de temps</source>
        <translation>Bigger text and buttons, more time</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Taille du texte</source>
        <translation>Text size</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Texte plus petit</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+19"/>
        <source>Taille du texte %1 %</source>
        <translation>Text size %1 %</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Texte plus grand</source>
        <translation>Bigger text</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Police et espacement</source>
        <translation>Font and spacing</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Police standard</source>
        <translation>Standard font</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Police OpenDyslexic</source>
        <translation>OpenDyslexic font</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Texte espacé</source>
        <translation>Spaced text</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Syllabes en couleur</source>
        <translation>Coloured syllables</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Couleurs</source>
        <translation>Colours</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Contraste élevé</source>
        <translation>High contrast</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Sombre</source>
        <translation>Dark</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Crème</source>
        <translation>Cream</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Voix et animations</source>
        <translation>Voice and animations</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Lecture à voix haute</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Réduire les animations</source>
        <translation>Reduce animations</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Réglages par défaut</source>
        <translation>Default settings</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remettre tous les réglages d&apos;accessibilité comme au départ</source>
        <translation>Put every accessibility setting back as it was</translation>
    </message>
</context>
<context>
    <name>AccueilScreen</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AccueilScreen.qml" line="+28"/>
        <source>Bienvenue dans le numéribus</source>
        <translation>Welcome to the numéribus</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Chercher un document</source>
        <translation>Find a document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Livres, livres audio, DVD, en gros caractères…</source>
        <translation>Books, audiobooks, DVDs, large print…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Prochains passages du numéribus</source>
        <translation>Next numéribus visits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quand le bus revient près de chez vous</source>
        <translation>When the bus comes back near you</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ateliers</source>
        <translation>Workshops</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tablettes, cafés numériques, impression 3D</source>
        <translation>Tablets, digital cafés, 3D printing</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Donner mon avis</source>
        <translation>Give my opinion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dites-nous ce que vous pensez du numéribus</source>
        <translation>Tell us what you think of the numéribus</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Partager mes savoirs</source>
        <translation>Share my skills</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proposer d&apos;animer un atelier</source>
        <translation>Offer to lead a workshop</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Accessibilité</source>
        <translation>Accessibility</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texte plus grand, couleurs, lecture à voix haute</source>
        <translation>Bigger text, colours, read aloud</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Langue</source>
        <translation>Language</translation>
    </message>
</context>
<context>
    <name>AteliersScreen</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AteliersScreen.qml" line="+32"/>
        <source>Les prochains ateliers</source>
        <translation>Upcoming workshops</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Choisissez un type d&apos;atelier, ou regardez-les tous.</source>
        <translation>Choose a kind of workshop, or look at them all.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Tous les ateliers</source>
        <translation>All workshops</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Pour vous inscrire, adressez-vous à l&apos;équipe du numéribus ou à votre médiathèque.</source>
        <translation>To sign up, ask the numéribus team or your library.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Aucun atelier n&apos;est prévu pour le moment.</source>
        <translation>No workshop is planned for now.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucun atelier de ce type n&apos;est prévu pour le moment. Choisissez « Tous les ateliers ».</source>
        <translation>No workshop of this kind is planned for now. Choose “All workshops”.</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Pour qui : %1</source>
        <translation>For: %1</translation>
    </message>
</context>
<context>
    <name>AvisScreen</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/AvisScreen.qml" line="+58"/>
        <source>Choisissez d&apos;abord un visage.</source>
        <translation>First choose a face.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Votre texte est trop long ou contient des caractères non acceptés. Raccourcissez-le, puis envoyez à nouveau.</source>
        <translation>Your text is too long or contains characters that are not accepted. Shorten it, then send it again.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Votre avis n&apos;a pas pu être enregistré. Réessayez, ou parlez-en à l&apos;équipe du numéribus.</source>
        <translation>Your opinion could not be saved. Try again, or tell the numéribus team.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Donner mon avis</source>
        <translation>Give my opinion</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Merci pour votre avis ! Il aide la médiathèque à améliorer le numéribus.</source>
        <translation>Thank you for your opinion! It helps the library improve the numéribus.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Donner un autre avis</source>
        <translation>Give another opinion</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Votre avis est anonyme : nous ne demandons ni votre nom ni votre contact.</source>
        <translation>Your opinion is anonymous: we ask for neither your name nor your contact details.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Êtes-vous content du numéribus ?</source>
        <translation>Are you happy with the numéribus?</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Très content</source>
        <translation>Very happy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Content</source>
        <translation>Happy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Moyennement content</source>
        <translation>Fairly happy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pas content</source>
        <translation>Unhappy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pas content du tout</source>
        <translation>Very unhappy</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Votre avis en quelques mots (facultatif)</source>
        <translation>Your opinion in a few words (optional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Touchez ici pour écrire avec le clavier de l&apos;écran</source>
        <translation>Touch here to write with the on-screen keyboard</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Quels ateliers aimeriez-vous ?</source>
        <translation>Which workshops would you like?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Touchez autant de choix que vous voulez.</source>
        <translation>Touch as many choices as you like.</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Envoyer mon avis</source>
        <translation>Send my opinion</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Vous aimeriez animer un atelier ?</source>
        <translation>Would you like to lead a workshop?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Partager mes savoirs</source>
        <translation>Share my skills</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proposer à la médiathèque d&apos;animer un atelier</source>
        <translation>Offer the library to lead a workshop</translation>
    </message>
</context>
<context>
    <name>Clavier</name>
    <message>
        <location filename="../keyboard/layouts/fr_FR/main.qml" line="+77"/>
        <source>e accent aigu</source>
        <translation>e acute</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>e accent grave</source>
        <translation>e grave</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>e accent circonflexe</source>
        <translation>e circumflex</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>e tréma</source>
        <translation>e diaeresis</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a accent grave</source>
        <translation>a grave</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>a accent circonflexe</source>
        <translation>a circumflex</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>u accent grave</source>
        <translation>u grave</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>u accent circonflexe</source>
        <translation>u circumflex</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>c cédille</source>
        <translation>c cedilla</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>i accent circonflexe</source>
        <translation>i circumflex</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>i tréma</source>
        <translation>i diaeresis</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>o accent circonflexe</source>
        <translation>o circumflex</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>e dans l&apos;o</source>
        <translation>o e ligature</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>Majuscule</source>
        <translation>Capital letter</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>apostrophe</source>
        <translation>apostrophe</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>trait d&apos;union</source>
        <translation>hyphen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Effacer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>arobase</source>
        <translation>at sign</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>virgule</source>
        <translation>comma</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>espace</source>
        <translation>space</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Espace</source>
        <translation>Space</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>point</source>
        <translation>full stop</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cacher le clavier</source>
        <translation>Hide the keyboard</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Valider</source>
        <translation>Enter</translation>
    </message>
</context>
<context>
    <name>DemandeForm</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/DemandeForm.qml" line="+53"/>
        <source>Demander ce document</source>
        <translation>Ask for this document</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+9"/>
        <source>Votre nom</source>
        <translation>Your name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prénom et nom</source>
        <translation>First name and surname</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Votre contact : téléphone, e-mail ou numéro de carte de lecteur</source>
        <translation>How to reach you: phone, e-mail or library card number</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Votre contact</source>
        <translation>How to reach you</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>téléphone, e-mail ou numéro de carte de lecteur</source>
        <translation>phone, e-mail or library card number</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Où voulez-vous le recevoir ?</source>
        <translation>Where would you like to receive it?</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Autre</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>J&apos;accepte que mon nom et mon contact soient enregistrés pour préparer ma demande. Ils sont effacés du bus dès que la médiathèque les a reçus.</source>
        <translation>I agree that my name and contact details are recorded to prepare my request. They are deleted from the bus as soon as the library has received them.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>J&apos;accepte</source>
        <translation>I agree</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accord pour enregistrer votre nom et votre contact</source>
        <translation>Consent to record your name and contact details</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Envoyer</source>
        <translation>Send</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Envoyer ma demande à la médiathèque</source>
        <translation>Send my request to the library</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>✔ Merci ! Votre demande est enregistrée. La médiathèque vous contactera quand le document sera prêt.</source>
        <translation>✔ Thank you! Your request is saved. The library will contact you when the document is ready.</translation>
    </message>
</context>
<context>
    <name>IdleMonitor</name>
    <message numerus="yes">
        <location filename="../../numeribus_kiosk/ui/idle_monitor.py" line="+121"/>
        <source>Retour à l&apos;accueil dans %n secondes. Touchez l&apos;écran pour continuer.</source>
        <translation>
            <numerusform>Back to the home screen in %n second. Touch the screen to continue.</numerusform>
            <numerusform>Back to the home screen in %n seconds. Touch the screen to continue.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/IdleWarning.qml" line="+39"/>
        <source>Vous êtes toujours là ?</source>
        <translation>Are you still there?</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Retour à l&apos;accueil dans %n seconde(s).</source>
        <translation>
            <numerusform>Back to the home screen in %n second.</numerusform>
            <numerusform>Back to the home screen in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Continuer</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location line="-33"/>
        <location line="+34"/>
        <source>Touchez l&apos;écran pour continuer</source>
        <translation>Touch the screen to continue</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/Main.qml" line="+95"/>
        <source>Numéribus</source>
        <translation>Numéribus</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Accueil</source>
        <translation>Home</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revenir à l&apos;écran d&apos;accueil</source>
        <translation>Go back to the home screen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Accessibilité</source>
        <translation>Accessibility</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texte plus grand, couleurs, lecture à voix haute</source>
        <translation>Bigger text, colours, read aloud</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Répéter</source>
        <translation>Repeat</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Arrêter la voix</source>
        <translation>Stop the voice</translation>
    </message>
</context>
<context>
    <name>NoticeBridge</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/notice_bridge.py" line="+91"/>
        <source>auteur</source>
        <translation>author</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>illustrateur</source>
        <translation>illustrator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>traducteur</source>
        <translation>translator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>directeur de publication</source>
        <translation>editor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>compositeur</source>
        <translation>composer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>interprète</source>
        <translation>performer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>réalisateur</source>
        <translation>director</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>contributeur</source>
        <translation>contributor</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>À bord du numéribus</source>
        <translation>On board the numéribus</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sur demande</source>
        <translation>On request</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cote : %1</source>
        <translation>Shelf mark: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Résumé : %1</source>
        <translation>Summary: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sujets : %1</source>
        <translation>Subjects: %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Pour envoyer votre demande, cochez « J&apos;accepte » : sans votre accord, nous ne pouvons pas garder votre nom et votre contact.</source>
        <translation>To send your request, tick “I agree”: without your consent we cannot keep your name and contact details.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Écrivez votre nom, s&apos;il vous plaît.</source>
        <translation>Please write your name.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Écrivez un téléphone, un e-mail ou un numéro de carte de lecteur.</source>
        <translation>Please write a phone number, an e-mail address or a library card number.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Un des champs est trop long. Raccourcissez-le, s&apos;il vous plaît.</source>
        <translation>One of the fields is too long. Please shorten it.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Votre demande n&apos;a pas pu être enregistrée. Demandez de l&apos;aide à un médiateur du bus.</source>
        <translation>Your request could not be saved. Ask a member of the bus team for help.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Votre demande n&apos;a pas pu être enregistrée.</source>
        <translation>Your request could not be saved.</translation>
    </message>
</context>
<context>
    <name>NoticeScreen</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/NoticeScreen.qml" line="+44"/>
        <source>Notice du document</source>
        <translation>Document details</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ce document n&apos;est plus dans le catalogue du bus.</source>
        <translation>This document is no longer in the bus catalogue.</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>Cote : %1</source>
        <translation>Shelf mark: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Lire la notice à voix haute</source>
        <translation>Read the details aloud</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Je voudrais ce document</source>
        <translation>I would like this document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demander que le bus vous apporte ce document</source>
        <translation>Ask for the bus to bring you this document</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Résumé</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Sujets</source>
        <translation>Subjects</translation>
    </message>
</context>
<context>
    <name>PassagesScreen</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/PassagesScreen.qml" line="+31"/>
        <source>Prochains passages du numéribus</source>
        <translation>Next numéribus visits</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choisissez votre commune, ou regardez toutes les communes.</source>
        <translation>Choose your village or town, or look at all of them.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Toutes les communes</source>
        <translation>All villages and towns</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Voir seulement les passages à %1</source>
        <translation>Show only the visits to %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Aucun passage du numéribus n&apos;est prévu pour le moment. Demandez à l&apos;équipe du bus.</source>
        <translation>No numéribus visit is planned for now. Ask the bus team.</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Pour qui : %1</source>
        <translation>For: %1</translation>
    </message>
</context>
<context>
    <name>RechercheScreen</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/RechercheScreen.qml" line="+50"/>
        <source>Chercher un document</source>
        <translation>Find a document</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Recherche</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Titre, auteur, sujet…</source>
        <translation>Title, author, subject…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Effacer</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Effacer la recherche et les filtres</source>
        <translation>Clear the search and the filters</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Filtre</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Type de document</source>
        <translation>Kind of document</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Public</source>
        <translation>Audience</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>La recherche n&apos;a pas pu se faire. Demandez de l&apos;aide à un médiateur du bus.</source>
        <translation>The search could not be done. Ask a member of the bus team for help.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Aucun résultat</source>
        <translation>No results</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Vérifiez l&apos;orthographe, essayez un seul mot (un titre ou un nom d&apos;auteur) ou enlevez des filtres. Un médiateur du bus peut aussi vous aider.</source>
        <translation>Check the spelling, try a single word (a title or an author&apos;s name) or remove some filters. A member of the bus team can also help you.</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/ResultCard.qml" line="+31"/>
        <source>Ouvrir la notice</source>
        <translation>Open the details</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>À bord</source>
        <translation>On board</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gros caractères</source>
        <translation>Large print</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adapté DYS</source>
        <translation>Dyslexia-friendly</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Livre audio</source>
        <translation>Audiobook</translation>
    </message>
</context>
<context>
    <name>SavoirsScreen</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/SavoirsScreen.qml" line="+47"/>
        <source>Pour envoyer votre proposition, touchez d&apos;abord « J&apos;accepte… » : sans votre accord, rien n&apos;est transmis.</source>
        <translation>To send your offer, first touch “I agree…”: without your consent nothing is sent.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indiquez votre nom.</source>
        <translation>Please give your name.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indiquez un téléphone ou une adresse électronique, pour que la médiathèque puisse vous joindre.</source>
        <translation>Please give a phone number or an e-mail address, so that the library can reach you.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dites en quelques mots ce que vous aimeriez partager.</source>
        <translation>Say in a few words what you would like to share.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Un des champs est trop long ou contient des caractères non acceptés. Corrigez-le, puis envoyez à nouveau.</source>
        <translation>One of the fields is too long or contains characters that are not accepted. Correct it, then send it again.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Votre proposition n&apos;a pas pu être enregistrée. Réessayez, ou parlez-en à l&apos;équipe du numéribus.</source>
        <translation>Your offer could not be saved. Try again, or tell the numéribus team.</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Partager mes savoirs</source>
        <translation>Share my skills</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Merci ! La médiathèque vous contactera pour organiser votre atelier.</source>
        <translation>Thank you! The library will contact you to organise your workshop.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Faire une autre proposition</source>
        <translation>Make another offer</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Vous savez faire quelque chose et aimeriez le montrer aux autres : tricot, photo, cuisine, jeux, informatique… Proposez un atelier, la médiathèque vous recontactera.</source>
        <translation>You can do something and would like to show others: knitting, photography, cooking, games, computing… Offer a workshop and the library will get back to you.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Votre nom</source>
        <translation>Your name</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Votre téléphone ou votre adresse électronique</source>
        <translation>Your phone number or e-mail address</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ce que vous aimeriez partager</source>
        <translation>What you would like to share</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>J&apos;accepte que mon nom et mon contact soient transmis à la médiathèque pour organiser un atelier. Ils sont effacés du bus dès qu&apos;elle les a reçus.</source>
        <translation>I agree that my name and contact details are passed on to the library to organise a workshop. They are deleted from the bus as soon as the library has received them.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Envoyer ma proposition</source>
        <translation>Send my offer</translation>
    </message>
</context>
<context>
    <name>ScreenHeader</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/ScreenHeader.qml" line="+24"/>
        <source>Retour</source>
        <translation>Back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revenir à l&apos;écran précédent</source>
        <translation>Go back to the previous screen</translation>
    </message>
</context>
<context>
    <name>ScrollPage</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/qml/Numeribus/ScrollPage.qml" line="+60"/>
        <location line="+14"/>
        <source>Monter</source>
        <translation>Scroll up</translation>
    </message>
    <message>
        <location line="-14"/>
        <location line="+25"/>
        <source>Descendre</source>
        <translation>Scroll down</translation>
    </message>
</context>
<context>
    <name>SearchModel</name>
    <message>
        <location filename="../../numeribus_kiosk/ui/search_model.py" line="+247"/>
        <location line="+31"/>
        <source>À bord</source>
        <translation>On board</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Gros caractères</source>
        <translation>Large print</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adapté DYS</source>
        <translation>Dyslexia-friendly</translation>
    </message>
    <message>
        <location line="-178"/>
        <location line="+179"/>
        <source>Livre audio</source>
        <translation>Audiobook</translation>
    </message>
    <message>
        <location line="-181"/>
        <source>Livre</source>
        <translation>Book</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Livre en gros caractères</source>
        <translation>Large-print book</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Livre numérique</source>
        <translation>E-book</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Périodique</source>
        <translation>Periodical</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DVD</source>
        <translation>DVD</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Musique</source>
        <translation>Music</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Partition</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Carte</source>
        <translation>Map</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image</source>
        <translation>Picture</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jeu</source>
        <translation>Game</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multimédia</source>
        <translation>Multimedia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Autre document</source>
        <translation>Other document</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enfants</source>
        <translation>Children</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adolescents</source>
        <translation>Teenagers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adultes</source>
        <translation>Adults</translation>
    </message>
    <message>
        <location line="+210"/>
        <source>Plus de %1 résultats</source>
        <translation>More than %1 results</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aucun résultat</source>
        <translation>No results</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 résultat</source>
        <translation>1 result</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 résultats</source>
        <translation>%1 results</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Résultats pour « %1 »</source>
        <translation>Results for “%1”</translation>
    </message>
</context>
</TS>
