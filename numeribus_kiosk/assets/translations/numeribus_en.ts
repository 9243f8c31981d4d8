<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="fr_FR">
<context>
    <name>AccessibilityPanel</name>
    <message>
        <location filename="../../ui/qml/Numeribus/AccessibilityPanel.qml" line="+26"/>
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
        <location filename="../../ui/qml/Numeribus/AccueilScreen.qml" line="+50"/>
        <source>Chercher un document</source>
        <translation>Find a document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Livres, livres audio, DVD, en gros caractères…</source>
        <translation>Books, audiobooks, DVDs, large print…</translation>
    </message>
    <message>
        <location line="+10"/>
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
        <location line="-51"/>
        <source>Bienvenue dans %1</source>
        <translation>Welcome to %1</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Prochains passages %1</source>
        <translation>Next visits of %1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Dites-nous ce que vous pensez %1</source>
        <translation>Tell us what you think of %1</translation>
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
        <location filename="../../ui/qml/Numeribus/AteliersScreen.qml" line="+33"/>
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
        <source>Pour vous inscrire, adressez-vous à l&apos;équipe %1 ou à votre médiathèque.</source>
        <translation>To sign up, ask the team of %1 or your library.</translation>
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
        <location filename="../../ui/qml/Numeribus/AvisScreen.qml" line="+59"/>
        <source>Choisissez d&apos;abord un visage.</source>
        <translation>First choose a face.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Votre texte est trop long ou contient des caractères non acceptés. Raccourcissez-le, puis envoyez à nouveau.</source>
        <translation>Your text is too long or contains characters that are not accepted. Shorten it, then send it again.</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Donner mon avis</source>
        <translation>Give my opinion</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Donner un autre avis</source>
        <translation>Give another opinion</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Votre avis est anonyme : nous ne demandons ni votre nom ni votre contact.</source>
        <translation>Your opinion is anonymous: we ask for neither your name nor your contact details.</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Votre avis n&apos;a pas pu être enregistré. Réessayez, ou parlez-en à l&apos;équipe %1.</source>
        <translation>Your opinion could not be saved. Try again, or tell the team of %1.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Merci pour votre avis ! Il aide la médiathèque à améliorer %1.</source>
        <translation>Thank you for your opinion! It helps the library improve %1.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Êtes-vous content %1 ?</source>
        <translation>Are you happy with %1?</translation>
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
    <name>CountStepper</name>
    <message>
        <location filename="../../ui/qml/Numeribus/CountStepper.qml" line="+17"/>
        <source>%1 : un de moins</source>
        <translation>%1: one less</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 : un de plus</source>
        <translation>%1: one more</translation>
    </message>
</context>
<context>
    <name>DemandeForm</name>
    <message>
        <location filename="../../ui/qml/Numeribus/DemandeForm.qml" line="+53"/>
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
    <name>ExportBridge</name>
    <message>
        <location filename="../../ui/export_bridge.py" line="+69"/>
        <source>%1 en %2</source>
        <translation>%1 in %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucune séance en %1 : le fichier n&apos;aura que la ligne des titres.</source>
        <translation>No sessions in %1: the file will only have the header row.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 (lecture seule)</source>
        <translation>%1 (read-only)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucune clé USB trouvée. Branchez une clé puis touchez Rechercher à nouveau.</source>
        <translation>No USB stick found. Plug in a USB stick, then touch Search again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La clé est en lecture seule. Poussez son petit verrou, rebranchez-la, puis touchez Rechercher à nouveau.</source>
        <translation>The USB stick is read-only. Slide its small lock switch, plug it in again, then touch Search again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fichier écrit : %1
Vous pouvez retirer la clé.</source>
        <translation>File saved: %1
You can remove the USB stick.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rien n&apos;a été écrit.</source>
        <translation>Nothing was written.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La clé n&apos;est plus là (retirée ?). Rebranchez-la puis touchez Rechercher à nouveau.</source>
        <translation>The USB stick is no longer there (removed?). Plug it in again, then touch Search again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La clé est pleine. Libérez de la place ou prenez une autre clé.</source>
        <translation>The USB stick is full. Free up some space or use another USB stick.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>La clé est en lecture seule. Poussez son petit verrou ou prenez une autre clé.</source>
        <translation>The USB stick is read-only. Slide its small lock switch or use another USB stick.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Le kiosque n&apos;a pas le droit d&apos;écrire sur cette clé. Prenez une autre clé.</source>
        <translation>The kiosk is not allowed to write to this USB stick. Use another USB stick.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L&apos;écriture sur la clé a échoué. Réessayez, ou prenez une autre clé.</source>
        <translation>Writing to the USB stick failed. Try again, or use another USB stick.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choisissez d&apos;abord une clé USB.</source>
        <translation>Choose a USB stick first.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Les réglages de l&apos;enquête annuelle (config.toml, survey-mapping.toml) sont faux. Prévenez la médiathèque.</source>
        <translation>The annual survey settings (config.toml, survey-mapping.toml) are wrong. Tell the library.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Le journal du bus n&apos;a pas pu être lu. Réessayez dans un moment ; si cela recommence, prévenez la médiathèque.</source>
        <translation>The bus log could not be read. Try again in a moment; if it happens again, tell the library.</translation>
    </message>
</context>
<context>
    <name>ExportScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/ExportScreen.qml" line="+49"/>
        <source>Exporter les séances sur une clé USB</source>
        <translation>Export the sessions to a USB stick</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>L&apos;export des séances se fait seulement en mode médiateur.</source>
        <translation>Sessions can only be exported in mediator mode.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Quel mois ?</source>
        <translation>Which month?</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Ce mois-ci</source>
        <translation>This month</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Le mois dernier</source>
        <translation>Last month</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>◀ Mois précédent</source>
        <translation>◀ Previous month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mois précédent</source>
        <translation>Previous month</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Mois suivant ▶</source>
        <translation>Next month ▶</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mois suivant</source>
        <translation>Next month</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Quel format ?</source>
        <translation>Which format?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ODS (LibreOffice)</source>
        <translation>ODS (LibreOffice)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV (tableur, texte)</source>
        <translation>CSV (spreadsheet, text)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Sur quelle clé ?</source>
        <translation>Which USB stick?</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Rechercher à nouveau</source>
        <translation>Search again</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chercher les clés USB branchées</source>
        <translation>Look for plugged-in USB sticks</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Exporter sur la clé</source>
        <translation>Export to the USB stick</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Écriture sur la clé… Ne la retirez pas.</source>
        <translation>Writing to the USB stick… Do not remove it.</translation>
    </message>
</context>
<context>
    <name>IdleMonitor</name>
    <message numerus="yes">
        <location filename="../../ui/idle_monitor.py" line="+121"/>
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
        <location filename="../../ui/qml/Numeribus/IdleWarning.qml" line="+39"/>
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
        <location filename="../../ui/qml/Numeribus/Main.qml" line="+213"/>
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
    <message>
        <location line="+16"/>
        <source>Mode médiateur</source>
        <translation>Mediator mode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le mode médiateur est ouvert : revenir à son accueil</source>
        <translation>Mediator mode is open: go back to its home screen</translation>
    </message>
</context>
<context>
    <name>MediatorBridge</name>
    <message>
        <location filename="../../ui/mediator_bridge.py" line="+215"/>
        <source>Aucun code n&apos;est encore choisi.</source>
        <translation>No code has been chosen yet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Vérification…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Le code n&apos;a pas pu être vérifié. Réessayez.</source>
        <translation>The code could not be checked. Try again.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Trop de codes faux. Mode médiateur bloqué jusqu&apos;à %1.</source>
        <translation>Too many wrong codes. Mediator mode is locked until %1.</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Code faux. Encore %n essai(s) avant blocage.</source>
        <translation>
            <numerusform>Wrong code. %n try left before it locks.</numerusform>
            <numerusform>Wrong code. %n tries left before it locks.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Un code est déjà choisi.</source>
        <translation>A code has already been chosen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Les deux codes sont différents.</source>
        <translation>The two codes are different.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Le code doit avoir de 4 à 8 chiffres.</source>
        <translation>The code must have 4 to 8 digits.</translation>
    </message>
</context>
<context>
    <name>MediatorHome</name>
    <message>
        <location filename="../../ui/qml/Numeribus/MediatorHome.qml" line="+42"/>
        <source>Mode médiateur</source>
        <translation>Mediator mode</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Médiatrice / médiateur : %1</source>
        <translation>Mediator: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Médiatrice / médiateur : choisissez votre nom ci-dessous.</source>
        <translation>Mediator: choose your name below.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Un autre nom</source>
        <translation>Another name</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Choisir ce nom</source>
        <translation>Choose this name</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Noter une séance</source>
        <translation>Record a session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Séances notées</source>
        <translation>Recorded sessions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Statistiques</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Demandes et avis des visiteurs</source>
        <translation>Visitors&apos; requests and opinions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exporter</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synchronisation</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Quitter le mode médiateur</source>
        <translation>Leave mediator mode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fermer le mode médiateur et revenir à l&apos;accueil des visiteurs</source>
        <translation>Close mediator mode and go back to the visitors&apos; home screen</translation>
    </message>
</context>
<context>
    <name>MediatorStatsScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/MediatorStatsScreen.qml" line="+42"/>
        <source>Statistiques des séances</source>
        <translation>Session statistics</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Aujourd&apos;hui</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cette semaine</source>
        <translation>This week</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ce mois-ci</source>
        <translation>This month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cette tournée</source>
        <translation>This tour</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1 : %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Les statistiques se voient seulement en mode médiateur.</source>
        <translation>Statistics can only be seen in mediator mode.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>⚠ Le journal du bus n&apos;a pas pu être lu. Réessayez dans un moment ; si cela recommence, prévenez la médiathèque.</source>
        <translation>⚠ The bus log could not be read. Try again in a moment; if it happens again, tell the library.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Aucune séance sur cette période.</source>
        <translation>No sessions in this period.</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Par public</source>
        <translation>By audience</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Une séance peut compter pour plusieurs publics.</source>
        <translation>One session can count for several audiences.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Par activité</source>
        <translation>By activity</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Par lieu</source>
        <translation>By place</translation>
    </message>
</context>
<context>
    <name>NoticeBridge</name>
    <message>
        <location filename="../../ui/notice_bridge.py" line="+94"/>
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
        <location line="+55"/>
        <source>Sur demande</source>
        <translation>On request</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>À bord %1</source>
        <translation>On board %1</translation>
    </message>
    <message>
        <location line="+15"/>
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
        <location filename="../../ui/qml/Numeribus/NoticeScreen.qml" line="+44"/>
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
        <location filename="../../ui/qml/Numeribus/PassagesScreen.qml" line="+33"/>
        <source>Prochains passages %1</source>
        <translation>Next visits of %1</translation>
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
        <source>Aucun passage %1 n&apos;est prévu pour le moment. Demandez à l&apos;équipe du bus.</source>
        <translation>No visit of %1 is planned for now. Ask the bus team.</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Pour qui : %1</source>
        <translation>For: %1</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../ui/qml/Numeribus/PinPad.qml" line="+46"/>
        <source>Chiffres tapés : %1</source>
        <translation>Digits typed: %1</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Effacer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Valider</source>
        <translation>Enter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Effacer le dernier chiffre tapé</source>
        <translation>Delete the last digit typed</translation>
    </message>
</context>
<context>
    <name>PinScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/PinScreen.qml" line="+38"/>
        <source>Le code a de 4 à 8 chiffres.</source>
        <translation>The code has 4 to 8 digits.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Mode médiateur</source>
        <translation>Mediator mode</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tapez votre code, puis touchez « Valider ».</source>
        <translation>Type your code, then touch “Enter”.</translation>
    </message>
</context>
<context>
    <name>PinSetupScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/PinSetupScreen.qml" line="+36"/>
        <source>Le code doit avoir de 4 à 8 chiffres.</source>
        <translation>The code must have 4 to 8 digits.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Choisir le code du mode médiateur</source>
        <translation>Choose the mediator mode code</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ce code protège le mode médiateur : les séances notées et les demandes des visiteurs. Choisissez de 4 à 8 chiffres, et ne le donnez qu&apos;à l&apos;équipe %1.</source>
        <translation>This code protects mediator mode: the recorded sessions and the visitors&apos; requests. Choose 4 to 8 digits, and give it only to the team of %1.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Tapez le même code une seconde fois, puis touchez « Valider ».</source>
        <translation>Type the same code a second time, then touch “Enter”.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tapez le nouveau code, puis touchez « Valider ».</source>
        <translation>Type the new code, then touch “Enter”.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Recommencer</source>
        <translation>Start again</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taper un autre code</source>
        <translation>Type a different code</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Plus tard</source>
        <translation>Later</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revenir à l&apos;accueil sans choisir de code</source>
        <translation>Go back to the home screen without choosing a code</translation>
    </message>
</context>
<context>
    <name>RechercheScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/RechercheScreen.qml" line="+50"/>
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
        <location filename="../../ui/qml/Numeribus/ResultCard.qml" line="+31"/>
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
        <location filename="../../ui/qml/Numeribus/SavoirsScreen.qml" line="+48"/>
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
        <source>Votre proposition n&apos;a pas pu être enregistrée. Réessayez, ou parlez-en à l&apos;équipe %1.</source>
        <translation>Your offer could not be saved. Try again, or tell the team of %1.</translation>
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
    <name>ScheduleModels</name>
    <message>
        <location filename="../../ui/schedule_models.py" line="+65"/>
        <source>Ateliers tablettes</source>
        <translation>Tablet workshops</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cafés tablettes</source>
        <translation>Tablet cafés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mini fablab, impression 3D</source>
        <translation>Mini fab lab, 3D printing</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Démarches en ligne</source>
        <translation>Online paperwork</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lecture numérique</source>
        <translation>Digital reading</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Jeux vidéo</source>
        <translation>Video games</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Autre atelier</source>
        <translation>Other workshop</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Aujourd&apos;hui</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demain</source>
        <translation>Tomorrow</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tout public</source>
        <translation>Everyone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sur inscription</source>
        <translation>Booking required</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entrée libre</source>
        <translation>Free entry</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 place</source>
        <translation>1 seat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 places</source>
        <translation>%1 seats</translation>
    </message>
</context>
<context>
    <name>ScreenHeader</name>
    <message>
        <location filename="../../ui/qml/Numeribus/ScreenHeader.qml" line="+26"/>
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
        <location filename="../../ui/qml/Numeribus/ScrollPage.qml" line="+60"/>
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
        <location filename="../../ui/search_model.py" line="+247"/>
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
<context>
    <name>SessionForm</name>
    <message>
        <location filename="../../ui/session_form.py" line="+103"/>
        <source>La date et l&apos;heure ne sont pas valables.</source>
        <translation>The date and time are not valid.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indiquez le lieu de la séance.</source>
        <translation>Enter the place of the session.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choisissez une activité.</source>
        <translation>Choose an activity.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choisissez au moins un public.</source>
        <translation>Choose at least one audience.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le nombre de participants n&apos;est pas valable.</source>
        <translation>The number of participants is not valid.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Les nombres par âge ne sont pas valables.</source>
        <translation>The numbers by age are not valid.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>La durée doit aller de 1 minute à 24 heures.</source>
        <translation>The duration must be from 1 minute to 24 hours.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>La structure partenaire n&apos;est pas valable.</source>
        <translation>The partner organisation is not valid.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le matériel n&apos;est pas valable.</source>
        <translation>The equipment is not valid.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indiquez le nom du médiateur ou de la médiatrice.</source>
        <translation>Enter the mediator&apos;s name.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Les notes ne sont pas valables.</source>
        <translation>The notes are not valid.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ce texte est trop long : %1 caractères au plus.</source>
        <translation>This text is too long: %1 characters at most.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trop d&apos;éléments : %1 au plus.</source>
        <translation>Too many items: %1 at most.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le total par âge (%1) dépasse le nombre de participants (%2).</source>
        <translation>The total by age (%1) is more than the number of participants (%2).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ Vérifiez les champs signalés.</source>
        <translation>⚠ Check the marked fields.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ La séance n&apos;a pas pu être enregistrée. Rien n&apos;est perdu : réessayez ; si cela recommence, prévenez la médiathèque.</source>
        <translation>⚠ The session could not be saved. Nothing is lost: try again; if it happens again, tell the library.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>⚠ Le journal du bus n&apos;a pas pu être lu. Réessayez dans un moment.</source>
        <translation>⚠ The bus log could not be read. Try again in a moment.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ Cette séance a été supprimée : elle ne peut plus être modifiée.</source>
        <translation>⚠ This session has been deleted: it can no longer be changed.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Séance enregistrée</source>
        <translation>Session saved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Séance modifiée</source>
        <translation>Session updated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucun changement</source>
        <translation>No changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aujourd&apos;hui</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hier</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 à %2</source>
        <translation>%1 at %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Favori « %1 » enregistré.</source>
        <translation>Favourite “%1” saved.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Favori « %1 » supprimé.</source>
        <translation>Favourite “%1” deleted.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ Douze favoris au plus : supprimez-en un d&apos;abord.</source>
        <translation>⚠ Twelve favourites at most: delete one first.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ Pour un favori, choisissez au moins une activité et un public.</source>
        <translation>⚠ For a favourite, choose at least one activity and one audience.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ Donnez un nom au favori.</source>
        <translation>⚠ Give the favourite a name.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ Le favori n&apos;a pas pu être enregistré. Réessayez dans un moment.</source>
        <translation>⚠ The favourite could not be saved. Try again in a moment.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>⚠ Le favori n&apos;a pas pu être supprimé. Réessayez dans un moment.</source>
        <translation>⚠ The favourite could not be deleted. Try again in a moment.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>⚠ Indiquez d&apos;abord votre nom : les favoris sont à chacun.</source>
        <translation>⚠ Enter your name first: each person has their own favourites.</translation>
    </message>
</context>
<context>
    <name>SessionFormScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/SessionFormScreen.qml" line="+130"/>
        <source>Modifier la séance</source>
        <translation>Edit the session</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Noter une séance</source>
        <translation>Record a session</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Les séances se notent seulement en mode médiateur.</source>
        <translation>Sessions can only be recorded in mediator mode.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>En un geste</source>
        <translation>In one touch</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+1"/>
        <source>Répéter la dernière séance</source>
        <translation>Repeat the last session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tout comme la dernière fois, sauf la date, le lieu et les notes</source>
        <translation>Everything as last time, except the date, the place and the notes</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Favori %1</source>
        <translation>Favourite %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+8"/>
        <source>Participants</source>
        <translation>Participants</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 participants</source>
        <translation>%1 participants</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Par âge</source>
        <translation>By age</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Participants par âge</source>
        <translation>Participants by age</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Total par âge : %1 sur %2 participants</source>
        <translation>Total by age: %1 of %2 participants</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Date et heure</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>−1 h</source>
        <translation>−1 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>1 heure plus tôt</source>
        <translation>1 hour earlier</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+181"/>
        <source>−15 min</source>
        <translation>−15 min</translation>
    </message>
    <message>
        <location line="-181"/>
        <source>15 minutes plus tôt</source>
        <translation>15 minutes earlier</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+181"/>
        <source>+15 min</source>
        <translation>+15 min</translation>
    </message>
    <message>
        <location line="-181"/>
        <source>15 minutes plus tard</source>
        <translation>15 minutes later</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+1 h</source>
        <translation>+1 h</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>1 heure plus tard</source>
        <translation>1 hour later</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Hier</source>
        <translation>Yesterday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>La même heure, hier</source>
        <translation>Same time yesterday</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Maintenant</source>
        <translation>Now</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Lieu</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Autre lieu</source>
        <translation>Other place</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lieu de la séance</source>
        <translation>Place of the session</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Activité</source>
        <translation>Activity</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Publics</source>
        <translation>Audiences</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plusieurs choix possibles.</source>
        <translation>You can choose more than one.</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+26"/>
        <source>Durée</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Durée : 15 minutes de moins</source>
        <translation>Duration: 15 minutes less</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Durée : 15 minutes de plus</source>
        <translation>Duration: 15 minutes more</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+30"/>
        <source>Structure partenaire</source>
        <translation>Partner organisation</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>Facultatif. Touchez à nouveau pour enlever.</source>
        <translation>Optional. Touch again to remove.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Autre structure</source>
        <translation>Other organisation</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Matériel utilisé</source>
        <translation>Equipment used</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Nombre de %1</source>
        <translation>Number of %1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Autre matériel (séparez par des virgules)</source>
        <translation>Other equipment (separate with commas)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Autre matériel</source>
        <translation>Other equipment</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Médiatrice / médiateur</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Votre nom</source>
        <translation>Your name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nom du médiateur ou de la médiatrice</source>
        <translation>Mediator&apos;s name</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ce qui est utile à retenir ; pas de nom ni de coordonnées des participants.</source>
        <translation>What is useful to remember; no names or contact details of participants.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Mes favoris</source>
        <translation>My favourites</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Un favori garde l&apos;activité, les publics, les participants, la durée, la structure et le matériel, pour les retrouver en un geste.</source>
        <translation>A favourite keeps the activity, audiences, participants, duration, organisation and equipment, so you can get them back in one touch.</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+1"/>
        <source>Nom du favori</source>
        <translation>Name of the favourite</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Enregistrer comme favori</source>
        <translation>Save as a favourite</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Supprimer le favori %1</source>
        <translation>Delete the favourite %1</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revenir à la liste sans rien changer</source>
        <translation>Go back to the list without changing anything</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Enregistrer les changements</source>
        <translation>Save the changes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Enregistrer</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Noter une autre séance</source>
        <translation>Record another session</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Voir les séances</source>
        <translation>See the sessions</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Terminé</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>SessionsModel</name>
    <message>
        <location filename="../../ui/sessions_model.py" line="+57"/>
        <source>✔ Envoyée au siège</source>
        <translation>✔ Sent to headquarters</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>◷ En attente d&apos;envoi</source>
        <translation>◷ Waiting to be sent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✔ Séance enregistrée</source>
        <translation>✔ Session saved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✔ Séance modifiée</source>
        <translation>✔ Session updated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✔ Séance supprimée</source>
        <translation>✔ Session deleted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ Cette séance n&apos;existe plus.</source>
        <translation>⚠ This session no longer exists.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ La séance n&apos;a pas pu être supprimée. Réessayez ; si cela recommence, prévenez la médiathèque.</source>
        <translation>⚠ The session could not be deleted. Try again; if it happens again, tell the library.</translation>
    </message>
</context>
<context>
    <name>SessionsScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/SessionsScreen.qml" line="+48"/>
        <source>Séances notées</source>
        <translation>Recorded sessions</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Noter une séance</source>
        <translation>Record a session</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Les séances se voient seulement en mode médiateur.</source>
        <translation>Sessions can only be seen in mediator mode.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>⚠ Le journal du bus n&apos;a pas pu être lu. Réessayez dans un moment ; si cela recommence, prévenez la médiathèque.</source>
        <translation>⚠ The bus log could not be read. Try again in a moment; if it happens again, tell the library.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Aucune séance enregistrée pour l&apos;instant.</source>
        <translation>No sessions recorded yet.</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Par %1</source>
        <translation>By %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Modifier</source>
        <translation>Edit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modifier la séance du %1</source>
        <translation>Edit the session of %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supprimer la séance du %1</source>
        <translation>Delete the session of %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Supprimer cette séance ? Elle disparaît de la liste et des statistiques ; sa suppression sera envoyée au siège.</source>
        <translation>Delete this session? It will disappear from the list and the statistics; headquarters will be told it was deleted.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Oui, supprimer</source>
        <translation>Yes, delete</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Non, garder</source>
        <translation>No, keep it</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Afficher plus de séances</source>
        <translation>Show more sessions</translation>
    </message>
</context>
<context>
    <name>StatsModel</name>
    <message>
        <location filename="../../ui/stats_model.py" line="+44"/>
        <source>Aujourd&apos;hui</source>
        <translation>Today</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cette semaine</source>
        <translation>This week</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ce mois-ci</source>
        <translation>This month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cette tournée</source>
        <translation>This tour</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Les 28 derniers jours</source>
        <translation>The last 28 days</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucune tournée en cours dans le calendrier du bus : voici les 28 derniers jours.</source>
        <translation>No tour is under way in the bus calendar: here are the last 28 days.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 séance</source>
        <translation>%1 session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 séances</source>
        <translation>%1 sessions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 participant</source>
        <translation>%1 participant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 participants</source>
        <translation>%1 participants</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 : %2, %3</source>
        <translation>%1: %2, %3</translation>
    </message>
</context>
<context>
    <name>SyncBridge</name>
    <message>
        <location filename="../../ui/sync_bridge.py" line="+52"/>
        <source>Ce bus n&apos;est pas encore inscrit au siège. Le service informatique doit l&apos;inscrire (guide du dépôt).</source>
        <translation>This bus is not enrolled at headquarters yet. IT staff must enrol it (depot guide).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Les clés de ce bus sont abîmées. Prévenez le service informatique : il faut inscrire le bus à nouveau.</source>
        <translation>This bus&apos;s keys are damaged. Tell IT staff: the bus must be enrolled again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>L&apos;adresse du siège est mal écrite dans la configuration du bus. Prévenez le service informatique.</source>
        <translation>Headquarters&apos; address is misspelt in the bus&apos;s configuration. Tell IT staff.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Les fichiers du bus n&apos;ont pas pu être lus ou écrits (disque plein ?). Prévenez le service informatique.</source>
        <translation>The bus&apos;s files could not be read or written (disk full?). Tell IT staff.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Le siège ne répond pas (pas de réseau, ou réseau coupé pendant l&apos;échange). Rien n&apos;est perdu : le bus réessaiera.</source>
        <translation>Headquarters does not answer (no network, or the network dropped during the exchange). Nothing is lost: the bus will try again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Un autre serveur a répondu à la place du siège, ou la réponse a été modifiée en route : rien n&apos;en a été utilisé. Prévenez le service informatique.</source>
        <translation>Another server answered instead of headquarters, or the answer was altered on the way: none of it was used. Tell IT staff.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ce bus a été retiré de la liste des bus au siège. Prévenez le service informatique : il faut l&apos;inscrire à nouveau.</source>
        <translation>This bus was removed from headquarters&apos; list of buses. Tell IT staff: it must be enrolled again.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Le siège ne reconnaît pas ce bus. Prévenez le service informatique : il faut l&apos;inscrire à nouveau.</source>
        <translation>Headquarters does not recognise this bus. Tell IT staff: it must be enrolled again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>La date ou l&apos;heure du bus est trop fausse pour le siège. Réglez la date et l&apos;heure du bus.</source>
        <translation>The bus&apos;s date or time is too far off for headquarters. Set the bus&apos;s date and time.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Le siège a refusé l&apos;échange. Prévenez le service informatique.</source>
        <translation>Headquarters refused the exchange. Tell IT staff.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le catalogue envoyé par le siège a été refusé ; celui du bus est resté tel quel. Prévenez le service informatique.</source>
        <translation>The catalogue sent by headquarters was refused; the bus&apos;s catalogue was kept as it was. Tell IT staff.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Le siège n&apos;a pas confirmé tous les évènements du bus : ils restent sur le bus. Prévenez le service informatique.</source>
        <translation>Headquarters did not confirm all of the bus&apos;s events: they stay on the bus. Tell IT staff.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Le catalogue complet est à télécharger : ce sera fait au dépôt ou par clé USB, pas par la 4G.</source>
        <translation>The whole catalogue has to be downloaded: that will be done at the depot or by USB stick, not over 4G.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L&apos;envoi du siège sur la clé est destiné à un autre bus : il n&apos;a pas été utilisé.</source>
        <translation>The delivery from headquarters on the stick is meant for another bus: it was not used.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>L&apos;envoi du siège sur la clé a été modifié ou abîmé : il a été refusé, rien n&apos;a changé sur le bus.</source>
        <translation>The delivery from headquarters on the stick was altered or damaged: it was refused, nothing changed on the bus.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>L&apos;envoi du siège sur la clé est illisible (copie incomplète ?) : il a été refusé, rien n&apos;a changé.</source>
        <translation>The delivery from headquarters on the stick cannot be read (incomplete copy?): it was refused, nothing changed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>L&apos;envoi du siège sur la clé est plus ancien que ce que le bus a déjà : rien n&apos;a changé.</source>
        <translation>The delivery from headquarters on the stick is older than what the bus already has: nothing changed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Il manque un envoi du siège avant celui de la clé : rien n&apos;a changé. Demandez au siège une clé à jour.</source>
        <translation>A delivery from headquarters is missing before the one on the stick: nothing changed. Ask headquarters for an up-to-date stick.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Les évènements du bus n&apos;ont pas pu être écrits sur la clé (pleine ou protégée ?). Rien n&apos;est perdu : ils restent sur le bus.</source>
        <translation>The bus&apos;s events could not be written to the stick (full or write-protected?). Nothing is lost: they stay on the bus.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L&apos;échange a échoué. Le bus réessaiera ; si cela recommence, prévenez le service informatique.</source>
        <translation>The exchange failed. The bus will try again; if it happens again, tell IT staff.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>aujourd&apos;hui à %1</source>
        <translation>today at %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hier à %1</source>
        <translation>yesterday at %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>le %1 à %2</source>
        <translation>on %1 at %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dernier échange réussi avec le siège : %1, par le réseau.</source>
        <translation>Last successful exchange with headquarters: %1, over the network.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dernier échange réussi avec le siège : %1, par clé USB.</source>
        <translation>Last successful exchange with headquarters: %1, by USB stick.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucun échange réussi avec le siège pour l&apos;instant.</source>
        <translation>No successful exchange with headquarters yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ce bus n&apos;est pas encore inscrit au siège : il ne peut pas encore échanger avec lui.</source>
        <translation>This bus is not enrolled at headquarters yet: it cannot exchange with it yet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tout ce qui a été noté sur le bus a été reçu par le siège.</source>
        <translation>Headquarters has received everything recorded on the bus.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 évènement attend d&apos;être envoyé au siège.</source>
        <translation>1 event is waiting to be sent to headquarters.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 évènements attendent d&apos;être envoyés au siège.</source>
        <translation>%1 events are waiting to be sent to headquarters.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Le nombre d&apos;évènements en attente n&apos;a pas pu être lu.</source>
        <translation>The number of waiting events could not be read.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 évènement a été refusé par le siège (voir le guide du dépôt).</source>
        <translation>1 event was refused by headquarters (see the depot guide).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 évènements ont été refusés par le siège (voir le guide du dépôt).</source>
        <translation>%1 events were refused by headquarters (see the depot guide).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>1 évènement écrit sur la clé pour le siège.</source>
        <translation>1 event written to the stick for headquarters.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 évènements écrits sur la clé pour le siège.</source>
        <translation>%1 events written to the stick for headquarters.</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>Catalogue du bus : version %1 du siège.</source>
        <translation>Bus catalogue: headquarters&apos; version %1.</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>L&apos;adresse configurée ne répond pas comme le serveur du siège. Prévenez le service informatique.</source>
        <translation>The configured address does not answer like the headquarters server. Tell IT staff.</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Catalogue du bus : pas encore reçu du siège (catalogue de démonstration ou importé sur le bus).</source>
        <translation>Bus catalogue: not received from headquarters yet (demo catalogue, or imported on the bus).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>La version du catalogue n&apos;a pas pu être lue.</source>
        <translation>The catalogue version could not be read.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dernier échec (%1) : %2</source>
        <translation>Last failure (%1): %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prochain essai automatique : %1.</source>
        <translation>Next automatic attempt: %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Échange avec le siège en cours…</source>
        <translation>Exchange with headquarters in progress…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Un échange avec le siège va commencer.</source>
        <translation>An exchange with headquarters is about to start.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clé USB : échange en cours. Ne retirez pas la clé.</source>
        <translation>USB stick: exchange in progress. Do not remove the stick.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Aucun évènement à envoyer au siège.</source>
        <translation>No event to send to headquarters.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Catalogue et programme du bus mis à jour depuis la clé.</source>
        <translation>Bus catalogue and schedule updated from the stick.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vous pouvez retirer la clé.</source>
        <translation>You can remove the stick.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clé USB : %1</source>
        <translation>USB stick: %1</translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/SyncScreen.qml" line="+40"/>
        <source>Synchronisation avec le siège</source>
        <translation>Sync with headquarters</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>Synchroniser maintenant</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Envoyer au siège ce qui a été noté sur le bus et recevoir le catalogue à jour</source>
        <translation>Send headquarters what was recorded on the bus and receive the up-to-date catalogue</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Sans réseau : branchez la clé USB du siège. Le bus la lit et y écrit tout seul, puis dit quand la retirer.</source>
        <translation>No network: plug in the USB stick from headquarters. The bus reads it and writes to it by itself, then says when to remove it.</translation>
    </message>
</context>
<context>
    <name>VisitorRecordsModel</name>
    <message>
        <location filename="../../ui/visitor_records.py" line="+64"/>
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
        <location line="+2"/>
        <source>%1 (%2 sur 5)</source>
        <translation>%1 (%2 out of 5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 à %2</source>
        <translation>%1 at %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demandée le %1</source>
        <translation>Requested on %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Donné le %1</source>
        <translation>Given on %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proposée le %1</source>
        <translation>Offered on %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>À traiter</source>
        <translation>To be handled</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Traitée le %1</source>
        <translation>Handled on %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arrêt : %1</source>
        <translation>Stop: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arrêt : non précisé</source>
        <translation>Stop: not given</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(titre inconnu)</source>
        <translation>(unknown title)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nom : %1</source>
        <translation>Name: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact : %1</source>
        <translation>Contact: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Coordonnées : (effacées après envoi au siège)</source>
        <translation>Contact details: (deleted after sending to headquarters)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ateliers souhaités : %1</source>
        <translation>Workshops wanted: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(pas de texte)</source>
        <translation>(no text)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demande : %1. %2. %3. %4.</source>
        <translation>Request: %1. %2. %3. %4.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avis : %1. %2. %3</source>
        <translation>Opinion: %1. %2. %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Proposition : %1. %2.</source>
        <translation>Offer: %1. %2.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aucune demande de document.</source>
        <translation>No document requests.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · à traiter : %2</source>
        <translation>%1 · to be handled: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 demande</source>
        <translation>%1 request</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 demandes</source>
        <translation>%1 requests</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucun avis.</source>
        <translation>No opinions.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 avis</source>
        <translation>Opinions: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aucune proposition de savoirs.</source>
        <translation>No skill-sharing offers.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 proposition</source>
        <translation>%1 offer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 propositions</source>
        <translation>%1 offers</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Demande marquée comme traitée.</source>
        <translation>Request marked as handled.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cette demande n&apos;existe plus sur le bus.</source>
        <translation>This request is no longer on the bus.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>La demande n&apos;a pas pu être marquée comme traitée. Réessayez dans un moment.</source>
        <translation>The request could not be marked as handled. Try again in a moment.</translation>
    </message>
</context>
<context>
    <name>VisitorRecordsScreen</name>
    <message>
        <location filename="../../ui/qml/Numeribus/VisitorRecordsScreen.qml" line="+45"/>
        <source>Demandes et avis des visiteurs</source>
        <translation>Visitors&apos; requests and opinions</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Demandes de documents</source>
        <translation>Document requests</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avis</source>
        <translation>Opinions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Propositions de savoirs</source>
        <translation>Skill-sharing offers</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Les demandes des visiteurs se voient seulement en mode médiateur.</source>
        <translation>Visitors&apos; requests can only be seen in mediator mode.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>⚠ Le journal du bus n&apos;a pas pu être lu. Réessayez dans un moment ; si cela recommence, prévenez la médiathèque.</source>
        <translation>⚠ The bus log could not be read. Try again in a moment; if it happens again, tell the library.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Les noms et contacts sont pour la médiathèque seulement ; ils sont effacés du bus dès que le siège les a reçus.</source>
        <translation>Names and contact details are for the library only; they are deleted from the bus as soon as headquarters has received them.</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Marquer comme traitée</source>
        <translation>Mark as handled</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marquer comme traitée : %1</source>
        <translation>Mark as handled: %1</translation>
    </message>
</context>
</TS>
