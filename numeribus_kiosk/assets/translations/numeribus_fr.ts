<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="fr_FR">
<context>
    <name>IdleMonitor</name>
    <message numerus="yes">
        <location filename="../../ui/idle_monitor.py" line="+121"/>
        <source>Retour à l&apos;accueil dans %n secondes. Touchez l&apos;écran pour continuer.</source>
        <translation>
            <numerusform>Retour à l&apos;accueil dans %n seconde. Touchez l&apos;écran pour continuer.</numerusform>
            <numerusform>Retour à l&apos;accueil dans %n secondes. Touchez l&apos;écran pour continuer.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IdleWarning</name>
    <message numerus="yes">
        <location filename="../../ui/qml/Numeribus/IdleWarning.qml" line="+49"/>
        <source>Retour à l&apos;accueil dans %n seconde(s).</source>
        <translation>
            <numerusform>Retour à l&apos;accueil dans %n seconde.</numerusform>
            <numerusform>Retour à l&apos;accueil dans %n secondes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MediatorBridge</name>
    <message numerus="yes">
        <location filename="../../ui/mediator_bridge.py" line="+258"/>
        <source>Code faux. Encore %n essai(s) avant blocage.</source>
        <translation>
            <numerusform>Code faux. Encore %n essai avant blocage.</numerusform>
            <numerusform>Code faux. Encore %n essais avant blocage.</numerusform>
        </translation>
    </message>
</context>
</TS>
