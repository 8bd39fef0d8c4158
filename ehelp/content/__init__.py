"""The eHelp content shipped with the app: first-aid articles for the PocketBook LUX and the information sources.

`manage.py load_ehelp` puts it into the database (only what is missing, so the admin's edits stay), and
`manage.py build_ehelp_manual` writes the PDF manual from the German articles plus the chapters below.
Texts use Swiss spelling ("ss", never "ß"). Menu names on the reader differ a little between software versions;
the steps say so where it matters.
"""

MANUAL_PATH = "ehelp/content/pocketbook-lux-und-ebookit.pdf"
MANUAL_URL = "/ehelp/handbuch.pdf"

# The phone number of PocketBook International for Swiss owners is a placeholder until the operator confirms it in
# the admin (eHelp › Informationsquellen; the entry is flagged "noch zu bestätigen"). 044 000 00 00 is no number any
# Swiss subscriber can have (subscriber numbers never start with 0), so nobody is called by mistake.
SUPPORT_PHONE_PLACEHOLDER = "+41 44 000 00 00"

ARTICLES = [
    {
        "slug": "startet-nicht",
        "order": 10,
        "versions": {
            "de": {
                "title": "PocketBook startet nicht oder reagiert nicht mehr",
                "symptom": "Der Bildschirm bleibt schwarz oder zeigt ein stehendes Bild, das Gerät reagiert auf "
                "keine Taste und keine Berührung.",
                "keywords": "eingefroren, hängt, schwarz, tot, geht nicht an, Neustart, Reset, zurücksetzen, "
                "einschalten, abgestürzt",
                "intro": "<p>Ein E-Ink-Bildschirm zeigt das letzte Bild auch dann noch, wenn das Gerät "
                "abgestürzt oder "
                "der Akku leer ist. Meist hilft ein Neustart. Ihre Bücher bleiben dabei erhalten.</p>",
                "steps": [
                    "Schliessen Sie den PocketBook mit dem USB-Kabel an ein Ladegerät (5 V, mindestens 1 A) oder "
                    "einen "
                    "eingeschalteten Computer an und lassen Sie ihn <strong>mindestens 30 Minuten</strong> "
                    "laden. Ein "
                    "ganz leerer Akku braucht so lange, bis das Gerät wieder startet.",
                    "Halten Sie die <strong>Ein/Aus-Taste</strong> (an der Unterkante des Geräts) "
                    "<strong>15 bis 30 Sekunden</strong> lang gedrückt, auch wenn sich zuerst nichts tut. So wird "
                    "das Gerät hart ausgeschaltet.",
                    "Lassen Sie die Taste los, warten Sie 10 Sekunden und drücken Sie die Ein/Aus-Taste dann "
                    "<strong>3 Sekunden</strong> lang, bis das PocketBook-Logo erscheint. Der Start dauert bis "
                    "zu einer "
                    "Minute.",
                    "Hängt das Gerät immer beim selben Buch, löschen oder entfernen Sie dieses Buch (am Computer "
                    "über das "
                    "USB-Kabel) und laden Sie es neu herunter: eine beschädigte Datei kann den Reader blockieren.",
                    "Startet das Gerät, hängt aber oft: installieren Sie die neueste Firmware (siehe «Firmware "
                    "aktualisieren»). Hilft auch das nicht, können Sie unter <strong>Einstellungen › Wartung › "
                    "Werkseinstellungen</strong> den Auslieferungszustand herstellen. <em>Achtung:</em> Das löscht "
                    "Einstellungen und Konten; sichern Sie vorher Ihre Bücher am Computer.",
                    "Startet der PocketBook auch nach zwei Stunden Laden und einem erneuten Versuch nicht, ist er "
                    "vermutlich defekt. Schreiben Sie Ihrer Partnerbuchhandlung; sie klärt die Garantie mit Ihnen.",
                ],
            },
            "fr": {
                "title": "Le PocketBook ne démarre pas ou ne réagit plus",
                "symptom": "L'écran reste noir ou affiche une image figée, l'appareil ne réagit à aucune touche ni "
                "au toucher.",
                "keywords": "bloqué, figé, noir, ne s'allume pas, redémarrer, réinitialiser, reset, allumer",
                "intro": "<p>Un écran E-Ink continue d'afficher la dernière image même si l'appareil est bloqué ou "
                "la batterie vide. Un redémarrage suffit le plus souvent. Vos livres sont conservés.</p>",
                "steps": [
                    "Branchez le PocketBook avec le câble USB sur un chargeur (5 V, au moins 1 A) ou sur un "
                    "ordinateur "
                    "allumé et laissez-le charger <strong>au moins 30 minutes</strong>. Une batterie entièrement "
                    "vide "
                    "a besoin de ce temps avant que l'appareil redémarre.",
                    "Maintenez le <strong>bouton marche/arrêt</strong> (sur le bord inférieur) enfoncé pendant "
                    "<strong>15 à 30 secondes</strong>, même si rien ne se passe au début. L'appareil est ainsi "
                    "éteint de force.",
                    "Relâchez le bouton, attendez 10 secondes, puis appuyez <strong>3 secondes</strong> sur le "
                    "bouton "
                    "marche/arrêt jusqu'à ce que le logo PocketBook apparaisse. Le démarrage peut durer une minute.",
                    "Si l'appareil se bloque toujours sur le même livre, supprimez ce livre (sur l'ordinateur, "
                    "via le "
                    "câble USB) et téléchargez-le à nouveau : un fichier endommagé peut bloquer la liseuse.",
                    "Si l'appareil démarre mais se bloque souvent, installez le dernier micrologiciel (voir "
                    "«Mettre à "
                    "jour le micrologiciel»). Sinon, <strong>Paramètres › Maintenance › Réglages d'usine</strong> "
                    "rétablit l'état de livraison. <em>Attention :</em> les réglages et comptes sont effacés ; "
                    "sauvegardez d'abord vos livres sur l'ordinateur.",
                    "Si le PocketBook ne démarre toujours pas après deux heures de charge et un nouvel essai, il est "
                    "probablement défectueux. Écrivez à votre librairie partenaire ; elle règle la garantie avec "
                    "vous.",
                ],
            },
            "en": {
                "title": "PocketBook does not start or no longer responds",
                "symptom": "The screen stays black or shows a frozen picture, the device reacts to no button and "
                "no touch.",
                "keywords": "frozen, stuck, black screen, dead, won't turn on, restart, reset, reboot, switch on",
                "intro": "<p>An E-Ink screen keeps showing the last picture even when the device has crashed or the "
                "battery is empty. A restart usually helps. Your books are kept.</p>",
                "steps": [
                    "Connect the PocketBook with the USB cable to a charger (5 V, at least 1 A) or to a computer "
                    "that is "
                    "switched on, and let it charge for <strong>at least 30 minutes</strong>. A completely empty "
                    "battery needs that long before the device starts again.",
                    "Press and hold the <strong>power button</strong> (on the bottom edge) for <strong>15 to 30 "
                    "seconds</strong>, even if nothing happens at first. This forces the device off.",
                    "Release the button, wait 10 seconds, then press the power button for <strong>3 seconds</strong> "
                    "until the PocketBook logo appears. Starting can take up to a minute.",
                    "If the device always freezes on the same book, delete that book (on the computer, over the USB "
                    "cable) and download it again: a damaged file can block the reader.",
                    "If the device starts but often freezes, install the latest firmware (see \"Update the "
                    "firmware\"). If that does not help either, <strong>Settings › Maintenance › Factory "
                    "settings</strong> restores the delivery state. <em>Note:</em> this erases settings and "
                    "accounts; "
                    "back up your books on the computer first.",
                    "If the PocketBook still does not start after two hours of charging and another try, it is "
                    "probably "
                    "defective. Write to your partner bookshop; they will sort out the warranty with you.",
                ],
            },
        },
    },
    {
        "slug": "gekauftes-ebook-fehlt",
        "order": 20,
        "versions": {
            "de": {
                "title": "Gekauftes eBook erscheint nicht auf dem Reader",
                "symptom": "Ich habe bei eBookit ein eBook gekauft, aber es ist nicht in meiner Bibliothek auf dem "
                "PocketBook.",
                "keywords": "Kauf, gekauft, Buch fehlt, Bibliothek, synchronisieren, Sync, Konto, Download, "
                "herunterladen, nicht da",
                "intro": "<p>Gekaufte eBooks liegen in Ihrem eBookit-Konto. Auf den Reader kommen sie durch eine "
                "Synchronisierung über WLAN oder über den Computer.</p>",
                "steps": [
                    "Prüfen Sie, ob der Kauf abgeschlossen ist: Sie haben eine Bestellbestätigung per Mail "
                    "erhalten, und "
                    "das Buch steht auf eBookit.ch unter <strong>Mein Konto › Meine eBooks</strong>. Fehlt es dort "
                    "und wurde Geld abgebucht, melden Sie bitte ein <a "
                    "href=\"/payment-problem/\">Zahlungsproblem</a>.",
                    "Verbinden Sie den PocketBook mit dem WLAN (Symbol oben in der Statusleiste).",
                    "Öffnen Sie auf dem Reader <strong>Einstellungen › Konten und Synchronisierung</strong> und "
                    "prüfen Sie, dass Sie mit <strong>derselben Mail-Adresse</strong> bei eBookit angemeldet "
                    "sind, mit "
                    "der Sie gekauft haben. Ein zweites Konto ist die häufigste Ursache.",
                    "Tippen Sie in der Bibliothek oder unter «Konten und Synchronisierung» auf "
                    "<strong>Synchronisieren</strong> und warten Sie ein bis zwei Minuten. Neue Käufe erscheinen "
                    "manchmal erst einige Minuten nach der Zahlung.",
                    "Erscheint das Buch immer noch nicht, laden Sie es am Computer herunter: eBookit.ch › Mein "
                    "Konto › "
                    "Meine eBooks › <strong>Herunterladen</strong>. Eine Datei mit der Endung <code>.acsm</code> "
                    "öffnen "
                    "Sie mit Adobe Digital Editions und übertragen das Buch dann auf den Reader (siehe «eBooks per "
                    "USB-Kabel kopieren»).",
                ],
            },
            "fr": {
                "title": "Un livre numérique acheté n'apparaît pas sur la liseuse",
                "symptom": "J'ai acheté un livre numérique chez eBookit, mais il n'est pas dans ma bibliothèque sur "
                "le PocketBook.",
                "keywords": "achat, acheté, livre manquant, bibliothèque, synchroniser, compte, télécharger",
                "intro": "<p>Les livres achetés se trouvent dans votre compte eBookit. Ils arrivent sur la liseuse "
                "par une synchronisation via Wi-Fi ou via l'ordinateur.</p>",
                "steps": [
                    "Vérifiez que l'achat est terminé : vous avez reçu une confirmation de commande par e-mail et le "
                    "livre figure sur eBookit.ch sous <strong>Mon compte › Mes livres numériques</strong>. S'il n'y "
                    "est pas et que votre compte a été débité, signalez un <a href=\"/payment-problem/\">problème de "
                    "paiement</a>.",
                    "Connectez le PocketBook au Wi-Fi (icône dans la barre d'état en haut).",
                    "Ouvrez sur la liseuse <strong>Paramètres › Comptes et synchronisation</strong> et vérifiez que "
                    "vous êtes connecté à eBookit avec <strong>la même adresse e-mail</strong> que celle de "
                    "l'achat. Un "
                    "deuxième compte est la cause la plus fréquente.",
                    "Touchez <strong>Synchroniser</strong> dans la bibliothèque ou sous «Comptes et "
                    "synchronisation» et "
                    "attendez une à deux minutes. Les nouveaux achats apparaissent parfois quelques minutes après le "
                    "paiement.",
                    "Si le livre n'apparaît toujours pas, téléchargez-le sur l'ordinateur : eBookit.ch › Mon "
                    "compte › "
                    "Mes livres numériques › <strong>Télécharger</strong>. Ouvrez le fichier <code>.acsm</code> avec "
                    "Adobe Digital Editions, puis transférez le livre sur la liseuse (voir «Copier des livres par "
                    "câble USB»).",
                ],
            },
            "en": {
                "title": "A bought eBook does not appear on the reader",
                "symptom": "I bought an eBook at eBookit, but it is not in my library on the PocketBook.",
                "keywords": "purchase, bought, missing book, library, sync, synchronise, account, download",
                "intro": "<p>Bought eBooks are kept in your eBookit account. They reach the reader by synchronising "
                "over Wi-Fi or through the computer.</p>",
                "steps": [
                    "Check that the purchase is complete: you received an order confirmation by mail, and the "
                    "book is "
                    "listed on eBookit.ch under <strong>My account › My eBooks</strong>. If it is missing there and "
                    "you were charged, please report a <a href=\"/payment-problem/\">payment problem</a>.",
                    "Connect the PocketBook to Wi-Fi (icon in the status bar at the top).",
                    "On the reader, open <strong>Settings › Accounts and synchronisation</strong> and check that you "
                    "are signed in to eBookit with <strong>the same mail address</strong> you bought with. A second "
                    "account is the most common cause.",
                    "Tap <strong>Synchronise</strong> in the library or under \"Accounts and synchronisation\" "
                    "and wait "
                    "one or two minutes. New purchases sometimes appear only a few minutes after payment.",
                    "If the book still does not appear, download it on the computer: eBookit.ch › My account › My "
                    "eBooks › <strong>Download</strong>. Open the <code>.acsm</code> file with Adobe Digital "
                    "Editions "
                    "and then transfer the book to the reader (see \"Copy eBooks over USB\").",
                ],
            },
        },
    },
    {
        "slug": "adobe-drm-fehler",
        "order": 30,
        "versions": {
            "de": {
                "title": "Adobe-DRM-Fehler beim Öffnen eines eBooks",
                "symptom": "Beim Öffnen erscheint eine Meldung wie «Dokument ist geschützt», «E_ACT_TOO_MANY_"
                "ACTIVATIONS» oder «lizenziert für eine andere Adobe-ID».",
                "keywords": "Adobe-ID, DRM, Kopierschutz, Autorisierung, autorisieren, Digital Editions, ADE, "
                "acsm, Lizenz, Fehlermeldung",
                "intro": "<p>Viele eBooks sind mit Adobe DRM geschützt. Sie lassen sich nur auf Geräten öffnen, die "
                "mit <strong>derselben Adobe-ID</strong> autorisiert sind, mit der das Buch heruntergeladen "
                "wurde.</p>",
                "steps": [
                    "Öffnen Sie auf dem Reader <strong>Einstellungen › Konten und Synchronisierung › Adobe "
                    "DRM</strong> "
                    "und prüfen Sie, mit welcher Adobe-ID (Mail-Adresse) der PocketBook autorisiert ist. Ist er "
                    "nicht "
                    "autorisiert, melden Sie sich dort mit Ihrer Adobe-ID an (WLAN nötig).",
                    "Prüfen Sie in Adobe Digital Editions am Computer unter <strong>Hilfe › "
                    "Autorisierungsinformationen"
                    "</strong>, dass dort dieselbe Adobe-ID steht. Zwei verschiedene IDs führen zu «lizenziert für "
                    "eine andere Adobe-ID».",
                    "War das Gerät mit einer falschen ID autorisiert: Autorisierung löschen (am Reader unter "
                    "«Adobe DRM» "
                    "abmelden, in Adobe Digital Editions mit <kbd>Strg</kbd>+<kbd>Umschalt</kbd>+<kbd>D</kbd> bzw. "
                    "<kbd>Cmd</kbd>+<kbd>Umschalt</kbd>+<kbd>D</kbd>), mit der richtigen ID neu autorisieren und das "
                    "Buch neu herunterladen.",
                    "Meldung <code>E_ADEPT_REQUEST_EXPIRED</code>: Prüfen Sie Datum, Uhrzeit und Zeitzone Ihres "
                    "Computers und laden Sie die <code>.acsm</code>-Datei frisch aus Ihrem eBookit-Konto "
                    "herunter; eine "
                    "alte Datei ist abgelaufen.",
                    "Meldung <code>E_ACT_TOO_MANY_ACTIVATIONS</code>: Die Adobe-ID ist auf zu vielen Geräten "
                    "autorisiert (höchstens sechs). Den Zähler kann nur Adobe zurücksetzen; schreiben Sie Ihrer "
                    "Buchhandlung, der eBookit-Support hilft dabei.",
                ],
            },
            "fr": {
                "title": "Erreur Adobe DRM à l'ouverture d'un livre numérique",
                "symptom": "À l'ouverture apparaît un message comme «Document protégé», «E_ACT_TOO_MANY_"
                "ACTIVATIONS» ou «autorisé pour un autre identifiant Adobe».",
                "keywords": "identifiant Adobe, DRM, protection, autorisation, Digital Editions, ADE, acsm, "
                "licence, erreur",
                "intro": "<p>Beaucoup de livres numériques sont protégés par Adobe DRM. Ils ne s'ouvrent que sur les "
                "appareils autorisés avec <strong>le même identifiant Adobe</strong> que celui du "
                "téléchargement.</p>",
                "steps": [
                    "Ouvrez sur la liseuse <strong>Paramètres › Comptes et synchronisation › Adobe DRM</strong> et "
                    "vérifiez avec quel identifiant Adobe (adresse e-mail) le PocketBook est autorisé. S'il ne l'est "
                    "pas, connectez-vous avec votre identifiant Adobe (Wi-Fi nécessaire).",
                    "Dans Adobe Digital Editions sur l'ordinateur, vérifiez sous <strong>Aide › Informations "
                    "d'autorisation</strong> que le même identifiant Adobe y figure. Deux identifiants différents "
                    "provoquent «autorisé pour un autre identifiant Adobe».",
                    "Si l'appareil était autorisé avec un mauvais identifiant : supprimez l'autorisation (sur la "
                    "liseuse sous «Adobe DRM», dans Adobe Digital Editions avec <kbd>Ctrl</kbd>+<kbd>Maj</kbd>+"
                    "<kbd>D</kbd> ou <kbd>Cmd</kbd>+<kbd>Maj</kbd>+<kbd>D</kbd>), autorisez à nouveau avec le bon "
                    "identifiant et téléchargez le livre une nouvelle fois.",
                    "Message <code>E_ADEPT_REQUEST_EXPIRED</code> : vérifiez la date, l'heure et le fuseau "
                    "horaire de "
                    "l'ordinateur et téléchargez un nouveau fichier <code>.acsm</code> depuis votre compte eBookit ; "
                    "un ancien fichier a expiré.",
                    "Message <code>E_ACT_TOO_MANY_ACTIVATIONS</code> : l'identifiant Adobe est autorisé sur trop "
                    "d'appareils (six au maximum). Seul Adobe peut remettre le compteur à zéro ; écrivez à votre "
                    "librairie, le support eBookit vous aide.",
                ],
            },
            "en": {
                "title": "Adobe DRM error when opening an eBook",
                "symptom": "Opening a book shows a message such as \"Document is protected\", \"E_ACT_TOO_MANY_"
                "ACTIVATIONS\" or \"licensed to a different Adobe ID\".",
                "keywords": "Adobe ID, DRM, copy protection, authorisation, authorization, Digital Editions, ADE, "
                "acsm, license, error",
                "intro": "<p>Many eBooks are protected with Adobe DRM. They open only on devices authorised with "
                "<strong>the same Adobe ID</strong> that was used to download the book.</p>",
                "steps": [
                    "On the reader, open <strong>Settings › Accounts and synchronisation › Adobe DRM</strong> "
                    "and check "
                    "which Adobe ID (mail address) the PocketBook is authorised with. If it is not authorised, "
                    "sign in "
                    "there with your Adobe ID (Wi-Fi needed).",
                    "In Adobe Digital Editions on the computer, check under <strong>Help › Authorization "
                    "Information</strong> that the same Adobe ID is shown. Two different IDs lead to \"licensed to a "
                    "different Adobe ID\".",
                    "If the device was authorised with a wrong ID: remove the authorisation (on the reader under "
                    "\"Adobe DRM\", in Adobe Digital Editions with <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>D</kbd> or "
                    "<kbd>Cmd</kbd>+<kbd>Shift</kbd>+<kbd>D</kbd>), authorise again with the right ID and "
                    "download the "
                    "book again.",
                    "Message <code>E_ADEPT_REQUEST_EXPIRED</code>: check the date, time and time zone of your "
                    "computer "
                    "and download a fresh <code>.acsm</code> file from your eBookit account; an old file has "
                    "expired.",
                    "Message <code>E_ACT_TOO_MANY_ACTIVATIONS</code>: the Adobe ID is authorised on too many devices "
                    "(six at most). Only Adobe can reset the counter; write to your bookshop, eBookit support will "
                    "help.",
                ],
            },
        },
    },
    {
        "slug": "akku-und-laden",
        "order": 40,
        "versions": {
            "de": {
                "title": "Akku lädt nicht oder ist schnell leer",
                "symptom": "Der PocketBook lädt nicht, das Akku-Symbol bleibt leer, oder der Akku hält nur noch "
                "kurz.",
                "keywords": "Batterie, Strom, laden, Ladegerät, Ladekabel, Akkus, Akkulaufzeit, leer",
                "intro": "",
                "steps": [
                    "Verwenden Sie das mitgelieferte oder ein anderes, sicher funktionierendes USB-Kabel. Viele "
                    "Kabel "
                    "sind nach Jahren an den Steckern beschädigt.",
                    "Laden Sie an einem Netzteil (5 V, mindestens 1 A) statt an einem Computer: Ein Computer im "
                    "Ruhezustand lädt nicht.",
                    "Ein ganz entladener Akku braucht <strong>2 bis 3 Stunden</strong> am Netzteil, bevor das Gerät "
                    "startet; das Akku-Symbol erscheint erst nach einiger Zeit.",
                    "Schont den Akku: Schalten Sie das WLAN aus, wenn Sie es nicht brauchen, stellen Sie die "
                    "Beleuchtung etwas dunkler und wählen Sie unter <strong>Einstellungen › Energie sparen</strong> "
                    "eine kurze Zeit für «Automatisch ausschalten».",
                    "Lädt das Gerät mit einem zweiten Kabel und Netzteil immer noch nicht, oder hält der Akku trotz "
                    "Schonung nur wenige Stunden, ist er vermutlich verbraucht. Schreiben Sie Ihrer "
                    "Partnerbuchhandlung.",
                ],
            },
        },
    },
    {
        "slug": "wlan-verbindung",
        "order": 50,
        "versions": {
            "de": {
                "title": "WLAN verbindet nicht",
                "symptom": "Der PocketBook findet mein WLAN nicht oder meldet beim Verbinden einen Fehler.",
                "keywords": "WiFi, Wi-Fi, Internet, Netzwerk, Router, Passwort, Verbindung, offline",
                "intro": "",
                "steps": [
                    "Öffnen Sie <strong>Einstellungen › WLAN</strong> (bei älterer Software «Netzwerk») und schalten "
                    "Sie den Zugriff auf das WLAN ein.",
                    "Wählen Sie Ihr Netz und geben Sie das Passwort genau ein: Gross- und Kleinschreibung zählen.",
                    "Ältere PocketBook LUX verbinden sich nur mit WLAN im <strong>2,4-GHz-Band</strong>. Sendet Ihr "
                    "Router nur im 5-GHz-Band, schalten Sie im Router das 2,4-GHz-Band ein.",
                    "Hat es früher funktioniert: Tippen Sie auf Ihr Netz, wählen Sie «Netzwerk entfernen» bzw. "
                    "«Vergessen» und verbinden Sie sich neu. Starten Sie auch den Router einmal neu.",
                    "WLANs in Hotels, Zügen oder Cafés mit einer Anmeldeseite funktionieren auf dem Reader oft "
                    "nicht. "
                    "Versuchen Sie es zu Hause oder laden Sie Bücher über den Computer.",
                ],
            },
        },
    },
    {
        "slug": "usb-kopieren",
        "order": 60,
        "versions": {
            "de": {
                "title": "eBooks per USB-Kabel vom Computer kopieren",
                "symptom": "Ich möchte ein eBook vom Computer auf den PocketBook übertragen, weiss aber nicht wie, "
                "oder der Computer erkennt den Reader nicht.",
                "keywords": "USB, Kabel, Computer, PC, Mac, übertragen, kopieren, Laufwerk, Dateien, EPUB, PDF",
                "intro": "",
                "steps": [
                    "Verbinden Sie den eingeschalteten PocketBook mit dem USB-Kabel mit dem Computer. Wählen Sie am "
                    "Reader <strong>PC-Verbindung</strong> (nicht «Laden»).",
                    "Der Reader erscheint am Computer als Laufwerk «PocketBook» (Windows: Explorer, Mac: Finder). "
                    "Zusätzliche Software brauchen Sie nicht.",
                    "eBooks <strong>ohne Kopierschutz</strong> (EPUB, PDF) ziehen Sie einfach in den Ordner "
                    "<code>Books</code> auf dem Reader.",
                    "eBooks <strong>mit Adobe DRM</strong> übertragen Sie mit Adobe Digital Editions: Buch in der "
                    "Bibliothek von Adobe Digital Editions auf den Eintrag «PocketBook» links ziehen. Der Reader "
                    "muss "
                    "mit derselben Adobe-ID autorisiert sein.",
                    "Melden Sie das Laufwerk vor dem Abziehen ab (Windows: «Auswerfen», Mac: Auswerfen-Symbol im "
                    "Finder). Sonst können Dateien beschädigt werden.",
                    "Erkennt der Computer den Reader nicht: anderes Kabel und anderen USB-Anschluss versuchen; "
                    "manche "
                    "Kabel laden nur und übertragen keine Daten.",
                ],
            },
        },
    },
    {
        "slug": "firmware-aktualisieren",
        "order": 70,
        "versions": {
            "de": {
                "title": "Firmware aktualisieren",
                "symptom": "Mein PocketBook ist langsam, stürzt ab oder eine Funktion fehlt; vielleicht ist die "
                "Software veraltet.",
                "keywords": "Update, Software, Aktualisierung, Version, aktualisieren, langsam, Absturz",
                "intro": "<p>Neue Firmware behebt Fehler und verbessert die Unterstützung von Buchformaten. Ihre "
                "Bücher bleiben bei der Aktualisierung erhalten.</p>",
                "steps": [
                    "Laden Sie den Akku auf mindestens <strong>50 Prozent</strong> und verbinden Sie den Reader "
                    "mit dem "
                    "WLAN.",
                    "Öffnen Sie <strong>Einstellungen › Software › Software-Update</strong> (bei manchen Versionen "
                    "«Über das Gerät › Software-Update»). Der Reader sucht nach einer neuen Version.",
                    "Bestätigen Sie die Installation und schalten Sie das Gerät währenddessen nicht aus. Es startet "
                    "danach von selbst neu.",
                    "Ohne WLAN: Laden Sie die Firmware für Ihr genaues Modell auf pocketbook.ch im Bereich Support "
                    "herunter, kopieren Sie die Datei <code>SWUPDATE.BIN</code> in das oberste Verzeichnis des "
                    "Readers "
                    "und folgen Sie der Anleitung auf der Download-Seite.",
                    "Startet der Reader nach der Aktualisierung nicht: siehe «PocketBook startet nicht».",
                ],
            },
        },
    },
    {
        "slug": "bildschirm-probleme",
        "order": 80,
        "versions": {
            "de": {
                "title": "Bildschirm zeigt Schatten, Streifen oder reagiert nicht auf Berührung",
                "symptom": "Auf dem Bildschirm bleiben Reste der vorigen Seite, es erscheinen Streifen, die "
                "Beleuchtung flackert oder Tippen wirkt nicht.",
                "keywords": "Display, Anzeige, Geisterbild, Ghosting, Streifen, Touchscreen, Touch, Licht, "
                "Beleuchtung, SMARTlight, kaputt, Riss",
                "intro": "<p>Leichte Schatten der vorigen Seite sind bei E-Ink normal und verschwinden beim "
                "vollständigen Neuaufbau.</p>",
                "steps": [
                    "Schatten: Stellen Sie unter <strong>Einstellungen › Bildschirm › Vollständige Aktualisierung"
                    "</strong> ein, dass die Seite öfter (z.B. bei jedem Umblättern) ganz neu aufgebaut wird.",
                    "Reagiert das Tippen nicht oder an der falschen Stelle: Bildschirmrand von Staub befreien "
                    "(trockenes, "
                    "weiches Tuch) und das Gerät neu starten (Ein/Aus-Taste 15 bis 30 Sekunden halten).",
                    "Beleuchtung zu hell, zu dunkel oder farbstichig: Tippen Sie oben auf die Statusleiste und "
                    "stellen "
                    "Sie Helligkeit und Farbtemperatur (SMARTlight) ein.",
                    "Bleibt ein Teil der Anzeige stehen, nachdem das Gerät abgestürzt ist: Neustart wie im Artikel "
                    "«PocketBook startet nicht».",
                    "Risse, Linien, die nach einem Neustart bleiben, oder dunkle Flecken sind ein Schaden am "
                    "Bildschirm "
                    "(oft durch Druck oder einen Sturz). Schreiben Sie Ihrer Partnerbuchhandlung; sie klärt mit "
                    "Ihnen "
                    "Reparatur oder Garantie.",
                ],
            },
        },
    },
    {
        "slug": "ebook-oeffnet-nicht",
        "order": 90,
        "versions": {
            "de": {
                "title": "eBook lässt sich nicht öffnen oder ist leer",
                "symptom": "Ein eBook öffnet sich nicht, bleibt leer, zeigt wirre Zeichen oder die Meldung «Datei "
                "beschädigt».",
                "keywords": "öffnen, Datei beschädigt, Format, EPUB, PDF, Kindle, acsm, Fehlermeldung",
                "intro": "",
                "steps": [
                    "Zeigt der Reader eine Adobe-Meldung (Adobe-ID, Autorisierung, <code>E_…</code>), lesen Sie "
                    "«Adobe-"
                    "DRM-Fehler beim Öffnen eines eBooks».",
                    "Löschen Sie das Buch auf dem Reader (lange auf das Cover tippen › Löschen) und übertragen "
                    "Sie es "
                    "neu: ein abgebrochener Download hinterlässt eine unvollständige Datei.",
                    "Eine Datei mit der Endung <code>.acsm</code> ist noch nicht das Buch, sondern nur der "
                    "Download-Schein. Öffnen Sie sie mit Adobe Digital Editions oder direkt auf dem Reader mit WLAN.",
                    "Prüfen Sie das Format: Der PocketBook liest EPUB und PDF (auch mit Adobe DRM), aber keine "
                    "Kindle-Formate (AZW, KFX).",
                    "Öffnet sich dasselbe Buch auch nach dem Neu-Laden nicht, schreiben Sie Ihrer Buchhandlung mit "
                    "Titel und Bestellnummer.",
                ],
            },
        },
    },
]

SOURCES = [
    {
        "key": "pocketbook-telefon-schweiz",
        "kind": "phone",
        "language": "",
        "order": 10,
        "title": "PocketBook International: Support-Telefon auf Deutsch",
        "description": "Für Besitzerinnen und Besitzer eines PocketBook LUX in der Schweiz, die den Reader in einer "
        "eBookit-Partnerbuchhandlung gekauft haben.",
        "phone": SUPPORT_PHONE_PLACEHOLDER,
        "hours": "Mo–Fr 9–17 Uhr",
        "needs_confirmation": True,
    },
    {
        "key": "handbuch-pocketbook-lux-und-ebookit",
        "kind": "download",
        "language": "",
        "order": 20,
        "title": "Handbuch «PocketBook LUX und eBookit» (PDF)",
        "description": "Alle Erste-Hilfe-Anleitungen und die Einrichtung von Konto, Adobe-ID und WLAN zum "
        "Ausdrucken.",
        "url": MANUAL_URL,
    },
    {
        "key": "pocketbook-support-web",
        "kind": "link",
        "language": "",
        "order": 30,
        "title": "PocketBook Support",
        "description": "Handbücher, Firmware und Antworten des Herstellers zu Ihrem Modell.",
        "url": "https://pocketbook.ch/",
    },
    {
        "key": "adobe-digital-editions",
        "kind": "link",
        "language": "",
        "order": 40,
        "title": "Adobe Digital Editions",
        "description": "Das kostenlose Programm für Windows und Mac, das eBooks mit Adobe DRM öffnet und auf den "
        "Reader überträgt.",
        "url": "https://www.adobe.com/solutions/ebook/digital-editions/download.html",
    },
    {
        "key": "adobe-id",
        "kind": "link",
        "language": "",
        "order": 50,
        "title": "Adobe-ID anlegen oder Passwort zurücksetzen",
        "description": "Die Adobe-ID brauchen Sie, um eBooks mit Kopierschutz auf Reader und Computer zu öffnen.",
        "url": "https://account.adobe.com/",
    },
    {
        "key": "ebookit-konto",
        "kind": "link",
        "language": "",
        "order": 60,
        "title": "Ihr eBookit-Konto",
        "description": "Käufe ansehen und eBooks erneut herunterladen.",
        "url": "https://www.ebookit.ch/",
    },
]

# Chapters of the PDF manual that are not first-aid articles.
MANUAL_CHAPTERS = [
    (
        "Willkommen",
        [
            "Dieses Handbuch begleitet Sie durch die ersten Schritte mit Ihrem PocketBook LUX und eBookit, dem "
            "eBook-Angebot der Schweizer Partnerbuchhandlungen. Es ergänzt die Bedienungsanleitung von PocketBook.",
            "Die aktuelle Fassung aller Anleitungen finden Sie jederzeit online im eHelp von eBookit. Hilft keine "
            "Anleitung weiter, schreiben Sie Ihrer Partnerbuchhandlung über das Kontaktformular: Sie antwortet so "
            "bald wie möglich und zieht bei Bedarf den eBookit-Support bei.",
        ],
    ),
    (
        "Einrichten in fünf Schritten",
        [
            "1. Laden Sie den Reader vor der ersten Benutzung vollständig auf (etwa zwei Stunden am Netzteil).",
            "2. Schalten Sie ihn mit der Ein/Aus-Taste an der Unterkante ein, wählen Sie die Sprache und verbinden "
            "Sie ihn unter Einstellungen › WLAN mit Ihrem Netz.",
            "3. Melden Sie sich unter Einstellungen › Konten und Synchronisierung mit Ihrem eBookit-Konto an, also "
            "mit derselben Mail-Adresse, mit der Sie auf eBookit.ch einkaufen.",
            "4. Autorisieren Sie den Reader unter Einstellungen › Konten und Synchronisierung › Adobe DRM mit Ihrer "
            "Adobe-ID. Verwenden Sie dieselbe Adobe-ID auch in Adobe Digital Editions am Computer.",
            "5. Aktualisieren Sie die Firmware unter Einstellungen › Software › Software-Update.",
        ],
    ),
    (
        "Ihr eBookit-Konto und die Adobe-ID",
        [
            "Das eBookit-Konto speichert Ihre Käufe. Sie können jedes gekaufte eBook erneut herunterladen, auch nach "
            "einem Gerätewechsel.",
            "Die Adobe-ID ist ein kostenloses Konto bei Adobe. Der Kopierschutz (Adobe DRM) bindet ein eBook an die "
            "Adobe-ID, mit der es zum ersten Mal geöffnet wurde. Eine Adobe-ID kann auf höchstens sechs Geräten "
            "gleichzeitig autorisiert sein.",
            "Notieren Sie sich, welche Mail-Adresse Sie für eBookit und welche für die Adobe-ID verwenden. Die "
            "meisten Probleme entstehen durch ein zweites Konto.",
        ],
    ),
    (
        "Wenn nichts hilft: so geht es weiter",
        [
            "Kontaktformular: Beschreiben Sie Ihr Problem und wählen Sie Ihre Partnerbuchhandlung. Geben Sie an, "
            "welche Schritte aus diesem Handbuch Sie schon versucht haben; das spart Rückfragen.",
            "Zahlungsproblem: Trat bei der Zahlung ein Fehler auf, melden Sie ihn über «Zahlungsproblem melden» im "
            "eHelp. Die Hotline von Comelivres, der Betreiberin von eBookit.ch, meldet sich direkt bei Ihnen.",
            "Telefon: PocketBook International bietet Besitzerinnen und Besitzern in der Schweiz, die ihren "
            "Reader in "
            "einer Partnerbuchhandlung gekauft haben, Support auf Deutsch. Die Nummer und die Zeiten finden Sie im "
            "eHelp unter «Informations-Quellen».",
            "Lässt sich ein Problem mit vertretbarem Aufwand nicht lösen, erstatten wir Ihnen nach Rücksprache den "
            "Preis des eBooks auf Ihr Zahlungsmittel zurück.",
        ],
    ),
]
