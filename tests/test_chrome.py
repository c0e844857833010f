"""Chrome inside an extracted body (crawler/chrome.py), on strings, and the
version identity that leaves it out."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.chrome import chrome_paragraphs, is_chrome, link_densities
from crawler.extract import extract_article
from storywatch.content import identity_text, left_out


@pytest.mark.parametrize(
    ("line", "chrome"),
    [
        ("3 hours ago", True),
        ("Updated Nov 27, 2024 10:42", True),
        # A timestamp that ticks, however it is labelled: not a notice.
        ("Updated: 3 hours ago", True),
        ("Update: vor einer Stunde", True),
        ("Update: 3 hours ago, OpenAI responded to the artists", False),
        ("Published 12:30 PM ET", True),
        ("1,234 comments", True),
        ("5 min read", True),
        ("No comments", True),
        ("Keine Kommentare", True),
        ("Lesezeit", True),
        ("Replica Media © 2024", True),
        ("Advertisement", True),
        ("Read more: Another story you may like today", True),
        ("Follow us on X and Instagram", True),
        ("© 2024 Replica Media. All rights reserved.", True),
        # Lines that say nothing an edit could change.
        ("- Tweet this", True),
        ("Share Email Print More Slideshows Back Next", True),
        # A blog's share block and its like button, whose count ticks.
        ("Share this: Twitter Facebook LinkedIn Email Print Reddit Pocket Telegram WhatsApp Like this: Like Loading...",
         True),
        ("Twitter Facebook E-Mail LinkedIn Pinterest Drucken Telegram WhatsApp Gefällt mir: Liken Lade …", True),
        ("Gefällt mir Wird geladen …", True),
        # ... but its plain German words alone are a post's title or a line's fragment.
        ("Gefällt mir", False),
        ("mit:", False),
        # A label of the page's own on a line of its own: a skip link, an ad
        # label, a recirculation module's heading, an embedded post's stock
        # caption ...
        ("Skip to main content", True),
        ("Zum Inhalt springen", True),
        ("Ad", True),
        ("Trending On Reuters", True),
        ("AROUND THE WEB", True),
        ("More Stories", True),
        ("View this post on Instagram", True),
        # ... but not a sentence that opens with its words.
        ("Ad spending fell in the third quarter", False),
        ("Trending topics on the site included the leak.", False),
        ("Hauptinhalt der Reform ist die Rente mit 70", False),
        ("- 12:03 pm |", True),
        ("Tuesday, November 26, 2024 at 10:42 am ET", True),
        # ... in the other languages of the evaluation pages too.
        ("mercredi 11 septembre 2019", True),
        ("Domingo, Diciembre 6, 2020 - 07:32", True),
        ("Sábado 23 de abril del 2022", True),
        ("06 Dicembre 2020", True),
        ("Sabato 5 dicembre alle ore 21.45", True),
        ("quinta-feira, 3 de setembro de 2020 às 10h42", True),
        ("zaterdag 12 september 2020 om 10:00", True),
        ("28 kwietnia 2021, 06:29", True),
        # ... and with a weekday's short form ("Di" for Dienstag).
        ("Di, 10:19 Uhr", True),
        ("lun. 6 mars 2023", True),
        ("mié., 6 de diciembre de 2023 07:32", True),
        ("wo 12 mei 2021, 09:15", True),
        ("So, 12:00 Uhr: Die Polizei sperrt die Straße", False),
        # ... and in the other languages whose datelines the pages show.
        ("30 Ekim 2020 Cuma 18:28", True),
        ("13 января 2020", True),
        ("Joi, 12 noiembrie 2020, 10:42", True),
        ("måndag 3 februari 2020 kl 10:42", True),
        ("13 января 2020 г. в 10:42", True),
        ("pátek 6. března 2020", True),
        # ... and the day the page was served, named as today or yesterday.
        ("Today at 17:04", True),
        ("Heute, 10:42 Uhr", True),
        ("сегодня в 17:04, просмотров: 173", True),
        ("Today, the company said it would cut 173 jobs.", False),
        ("News > Technology > Artificial intelligence", True),
        ("|---|---|---|", True),
        ("| | | |", True),
        ("| M | D | M | D | F | S | S |", True),
        ("We use cookies to give you the best experience; by continuing you agree to our policy.", True),
        ("Wir verwenden Cookies, um unsere Website für Sie zu verbessern.", True),
        ("Warning: Undefined variable $post in /var/www/html/wp-content/themes/news/single.php on line 42", True),
        ("Deprecated: Function create_function() is deprecated in /srv/www/blog/wp-includes/x.php on line 7", True),
        ("/srv/www/blog/wp-content/plugins/recent-comments/recent-comments.php on line 310", True),
        ("Please enable JavaScript and cookies to see every part of this page.", True),
        # The same furniture in other languages.
        ("vor 3 Stunden", True),
        ("il y a 2 heures", True),
        ("hace 5 minutos", True),
        ("3 ore fa", True),
        ("2 uur geleden", True),
        ("5 godzin temu", True),
        ("3 saat önce", True),
        ("Acum 15 minute", True),
        ("för 3 timmar sedan", True),
        ("for 2 timer siden", True),
        ("před 3 hodinami", True),
        ("3 часа назад", True),
        # ... and counted in words: a comment's or a teaser's timestamp.
        ("an hour ago", True),
        ("A few minutes ago", True),
        ("Hace una hora", True),
        ("vor einer Stunde", True),
        ("il y a une heure", True),
        ("un'ora fa", True),
        ("een uur geleden", True),
        ("godzinę temu", True),
        ("Aktualisiert am 17.01.2021.", True),
        ("Veröffentlicht am 3. März 2020 um 10.42 Uhr", True),
        ("Stand: 14.02.2019", True),
        ("Mis à jour le 12 novembre 2024 à 10h42", True),
        ("Actualizado el 27/11/2024", True),
        ("12 Kommentare", True),
        ("- 4433 lecturas", True),
        ("1.234 Aufrufe", True),
        # ... and with the counter's label first.
        ("Views: 173", True),
        ("Aufrufe: 1.234", True),
        ("Kommentare: 3", True),
        ("Views: the company and its critics still disagree", False),
        ("Keine Kommentare", True),
        ("Lesezeit: 3 Minuten", True),
        ("4 min de lecture", True),
        ("Anzeige", True),
        ("Teilen auf Facebook", True),
        ("Lesen Sie auch:", True),
        ("Notas relacionadas", True),
        ("Czytaj także", True),
        ("Alle Rechte vorbehalten.", True),
        # ... but their words in a sentence, or a heading that is not a dateline, are prose.
        ("Teilen ist schön, sagt sie.", False),
        ("Reklama w internecie rośnie szybko.", False),
        ("Aktualisiert wurde die Regel am Montag. Sie gilt ab Mai.", False),
        ("Stand der Technik", False),
        ("A few days ago, the artists posted their letter.", False),
        ("Hace una hora, el fiscal dijo que no recurrirá.", False),
        # A post's filing and a blog theme's stock lines around it.
        ("Tags: OpenAI, Sora, leak", True),
        ("Filed under: AI", True),
        ("Posted in News, Tech | 3 Comments", True),
        ("Abgelegt unter Allgemein, Politik", True),
        ("Kategorie: News", True),
        ("This entry was posted on Tuesday, September 3rd, 2013 at 12:53 pm and is filed under Startups, Technology.", True),
        ("You can follow any responses to this entry through the RSS 2.0 feed.", True),
        ("You can leave a response, or trackback from your own site.", True),
        ("Both comments and pings are currently closed; responses are currently closed.", True),
        # ... after the date it was posted on, whatever the date's label.
        ("Veröffentlicht: 05.01.2020 Abgelegt unter: Fotografie | Tags: Abendhimmel, Silhouette 5 Kommentare", True),
        ("News date : 04/21/2022 Category : Press Releases", True),
        ("Datum: 22.12.2012, Rubrik: USA", True),
        ("Date: 22.12.2012", False),  # an event's date, a fact
        ("Deadline: 22.12.2012, then the tags: none are final yet", False),
        ("On 26.05.2019 tags: were added to every post", False),  # no label before the date
        ("On 22.12.2012 the group filed under seal: a motion to stop the leak.", False),
        # The reporter's contact line.
        ("Write to Alejandro de la Garza at alejandro.delagarza@time.com", True),
        ("To contact the reporter on this story: Steve Matthews in Atlanta at smatthews@bloomberg.net", True),
        ("Follow Lucia I. Suarez on Twitter @luciasuarezsang", True),
        ("Follow Tia Ghose on Twitter and Google+. Follow Live Science @livescience, Facebook & Google+.", True),
        ("Follow The Replica Gazette on Twitter and Instagram @ReplicaGazette and on Facebook @GazetteReplica. "
         "Send us a message on WhatsApp at 1-876-000-0000 or email us at desk@replica.example "
         "or letters@replica.example", True),  # 210 characters: a contact line runs on
        # The outlet inviting its reader: newsletter, app, channel, paywall,
        # an appeal for money, a disclosure, an audio player.
        ("Never miss the latest news by signing up to our newsletter today!", True),
        ("Lust auf mehr? Melde dich hier für unseren Newsletter an!", True),
        ("For the latest stories and breaking news updates download the Replica apps for iOS and Android.", True),
        ("¡Mira lo que tiene nuestro canal de YouTube!", True),
        ("To view the full story, please subscribe to The Replica Times.", True),
        ("If you're seeing this message but you're already a subscriber, you can log in.", True),
        ("Wesprzyj nas darowizną lub przekaż nam 1% podatku.", True),
        ("Unterstütze Replica bereits mit 2,50!", True),
        ("Do you want to be informed of our actions? Sign up here", True),
        ("If you buy something from a Replica link, Replica Media may earn a commission.", True),
        ("Dieser Beitrag enthält Affiliate-Links.", True),
        ("Listen to this article", True),
        ("© 2024, Replica News. This article is the copyrighted property of Replica News. Written permission "
         "must be obtained before reprint in online or print media.", True),
        ("Copyright 2020 The Replica Press. All rights reserved. This material may not be published, "
         "broadcast, rewritten or redistributed without permission.", True),  # a wire service's stock line
        ("Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND-4.0-DE. Die Fotos dürfen nicht verwendet "
         "werden.", True),
        ("This article is licensed under a Creative Commons Attribution 4.0 International License.", True),
        ("You can also follow us on Facebook, Instagram and Twitter and download the Replica News app.", True),
        ("You must be logged in to post a comment.", True),
        ("Du musst eingeloggt sein, um Kommentare zu schreiben!", True),
        ("You are using an out of date browser. It may not display this or other websites correctly. "
         "You should upgrade or use an alternative browser.", True),
        ("Du verwendest einen veralteten Browser. Es ist möglich, dass diese oder andere Websites nicht korrekt "
         "angezeigt werden. Du solltest ein Upgrade durchführen oder einen alternativen Browser verwenden.", True),
        # ... and a photo credit, a related-reading label.
        # ... and a web address alone on its line, labelled or not.
        ("Short-URL: https://replica.test/m57399", True),
        ("https://www.instagram.com/p/CMe36CjDPBh/", True),
        ("Internet: www.replica-news.de", True),
        ("The leak was posted at https://huggingface.co/spaces/PR-Puppets/PR-Puppet-Sora on Tuesday.", False),
        ("Foto: dpa", True),
        ("Photo: Silver Screen Collection/Getty Images", True),
        ("(Bild: Dieter Stork)", True),
        ("Crédits photos : Bestimage", True),
        ("Fot. Jan Kowalski / Agencja Gazeta", True),
        ("Image Credits: Getty Images", True),
        ("Story continues below advertisement", True),
        ("Weak factory reports from Asia, Europe suggest more central bank action Full Article", True),
        ("Die Heizsaison beginnt: was Sie jetzt über Thermostate wissen sollten Weiterlesen »", True),
        ("Follow me on Twitter or LinkedIn. Check out my website.", True),
        ("Auch lesen:", True),
        ("Das Thema könnte dich auch interessieren:", True),
        ("Weitere Informationen:", True),
        ("Más sobre La Tercera AM", True),
        # ... but a sentence that opens with those words is prose, and so is
        # news about apps, channels, newsletters and commissions.
        ("Follow these steps shared on Twitter to safely apprehend a train groper in Japan.", False),
        ('"We posted the video on our YouTube channel," the artists said.', False),
        ("Users can download the app for iOS and Android from Tuesday.", False),
        ("Copyright holders sued the company in 2023 over the training of its video models.", False),
        ("The model was published under a license that forbids commercial use, the artists said.", False),
        ("The company launched a paid newsletter last year.", False),
        ("Lin-Manuel Miranda launched a paid newsletter last year.", False),
        ("Victims will receive compensation under the scheme, the minister said.", False),
        ("Estate agents earn a commission of 1.5 % on each sale.", False),
        ("Support for the measure grew after the leak.", False),
        ("Werden Sie Teil der Community und unterstützen Sie uns dabei, unsere Produkte zu verbessern.", False),
        ("Photographers said the images were taken in 2023.", False),
        ("Weitere Informationen gab die Polizei am Abend nicht bekannt.", False),
        ("Subscribers who click the link in the email can read more.", False),
        ("Google said the old browser extension is no longer supported.", False),
        ("Writers to the paper complained about the leak.", False),
        ("Posted in 2019, the video went viral.", False),
        ("Tagged as a risk, the plan was shelved by the board in May.", False),
        ("The lawsuit was filed under seal.", False),
        ("Categories of workers affected include artists and testers.", False),
        # Datelines that say nothing but when, after a colon or a section.
        ("Updated: Jan 23, 2020, 10.45 AM IST", True),
        ("india Updated: Apr 26, 2020 21:43 IST", True),
        ("Posted: Thursday, April 21, 2022. 10:11 pm CST.", True),
        ("He posted on Tuesday", False),  # prose: a section's name needs the colon
        ("Updated: new details from OpenAI", False),
        # Edits a reader must see, however short.
        ("Update: OpenAI says the artists' access is restored.", False),
        ("Update, Nov 27: OpenAI responded.", False),
        ("Correction: an earlier version misstated the date.", False),
        ("Editor's note: this story has been updated.", False),
        # Prose, even with numbers or a furniture word in it.
        ("The company said 14 people were killed, up from 12 reported earlier.", False),
        ("Related research published in 2023 found that artists were rarely paid for testing AI tools, the report said.", False),
        # Short facts, however list-like: changing them is an edit.
        ("- Tickets: 44.90 euros a person", False),
        ("- 12 artists", False),
        ("December 2024", False),
        ("1h30", False),  # a recipe's time
        ("El 6 de diciembre de 2020 murió", False),
        ("Le 12 juin 2019, la grève", False),
        ("| Arsenal | 3 | 1 |", False),
        ("| 10:00 | 11:30 |", False),  # a timetable's times are facts
        ("Print sales fell 12% last year.", False),
        ("Google said it would stop using third-party cookies in Chrome next year.", False),
        ("Next, the artists plan a second protest.", False),
        ("The warning came on Tuesday: a leak on line 4 of the contract.", False),
        ("", False),
        # A slideshow's position and a gallery's or a comment box's buttons
        # (version 39); a noun of a button alone labels what follows.
        ("2 von 17", True),
        ("1 of 17", True),
        ("3/12", True),
        ("Bild anzeigen", True),
        ("Bild schließen", True),
        ("View Comments", True),
        ("Kommentieren", True),
        ("Video", False),
        ("Kommentar", False),
        ("3 of the 17 victims were children.", False),
        ("12 of 15 artists signed the letter.", False),
        ("Page 2 of 17: the artists' letter", False),
        # Liking the outlet; a related-reading label alone, however it ends;
        # a comment counter with "insgesamt".
        ("Like us on Facebook!", True),
        ("Folgt uns auf Instagram!", True),
        ("Liken Sie uns auf Facebook", True),
        ("Schon gelesen?", True),
        ("Lesen Sie auch?", True),
        ("Kommentare insgesamt: 3", True),
        ("Schon gelesen? Die Stadt hat am Dienstag entschieden.", False),
        ("Teilen Sie diese Meinung?", False),
        ("The artists like us on most things, she said.", False),
        ("Die Fans folgt uns auf Schritt und Tritt.", False),
        # ... in the outlet's other languages, on its messaging channels too.
        ("Siguenos en Telegram, Instagram, Facebook y Twitter para recibir en directo todas nuestras "
         "actualizaciones", True),
        ("O conhecimento liberta. Saiba mais. Siga-nos no Telegram.", True),
        ("Suivez-nous sur WhatsApp et Instagram.", True),
        ("Seguici su Facebook per gli aggiornamenti.", True),
        ("Folgen Sie uns auf Facebook und Twitter.", True),
        ("Folgt uns doch auf Instagram!", True),
        ("Seguinos en Instagram", True),
        ("Segui-nos no Instagram", True),
        ("La policía pidió a los vecinos que la siguieran en Telegram.", False),
        ("Die Fans folgen Sie uns auf Schritt und Tritt.", False),
        # A site's header greeting a reader who is not logged in, beside the
        # time it was served, and its who-is-online count (uCoz's; version 40).
        ("| Samstag, 2016-10-08, 0:26 AM Willkommen Gast \\| RSS |  |", True),
        ("Приветствую Вас Гость | RSS", True),
        ("| Insgesamt online: 1 Gäste: 1 Benutzer: 0 |", True),
        ("Total online: 3 Guests: 3 Users: 0", True),
        ("The hotel will welcome guest speakers from 12 countries.", False),
        ("Online: 3 million people watched the leak.", False),
        ("Online: 3 million viewers, offline: 2 million.", False),
        ("- Guests: 4", False),
        # The account box and a paywall in Japanese (version 41).
        ("Sie sind aktuell nicht eingeloggt.", True),
        ("Um einen Kommentar zu hinterlassen, loggen Sie sich bitte ein.", True),
        ("Möchten Sie eingeloggt bleiben? (Es wird ein Cookie gesetzt.)", True),
        ("This is a preview of subscription content, log in to check access.", True),
        ("この記事は会員限定です。電子版に登録すると続きをお読みいただけます。", True),
        ("ご利用には会員登録が必要です", True),
        ("電子版に登録すると続きをお読みいただけます。", True),
        ("Bitte melden Sie sich hierzu online an.", False),
        ("Loggen Sie sich ein und klicken Sie auf Einstellungen.", False),
        ("The company said its paid members were not logged in during the outage.", False),
        ("有料会員数は100万人を突破した。", False),
        ("サービスの利用には会員登録が必要だ。", False),
        # A dateline signed with a name, a section or an outlet, parted by
        # a bar or a dot; a reading time in words (version 42).
        ("By Jane Doe | Updated Nov 27, 2024", True),
        ("Staff Report | Nov 22, 2024", True),
        ("THE TIMES OF INDIA | Oct 02, 2020, 19:02:47 IST", True),
        ("Handball Schweiz • 02.02.2022", True),
        ("30.01.2022 · Männer · HBL1", True),
        ("Ana de la Cruz ana@example.org | Viernes 22 abril, 2022", True),
        ("January 13, 2020 at 08:45 AM | categories: Python, Mercurial | View Comments", True),
        ("Less than a minute read", True),
        ("Ten tekst przeczytasz w mniej niż minutę", True),
        ("Nov. 26 — OpenAI Pauses Sora", False),
        ("Nov 22, 2024 | hearing scheduled in the case", False),
        ("Nov 26 • Artists leak the tool in protest", False),
        ("| Nov 22, 2024 | Jane Doe |", False),
        ("2002 | Greatest Hits", False),
        ("Jane Doe | Reporter", False),
        ("Więcej przeczytasz w naszym raporcie.", False),
        # When the page was made or last edited, in more words and languages;
        # an event's or a book's date is a fact (version 42).
        ("zuletzt bearbeitet: 04.02.2022, 08:27 Uhr", True),
        ("Latest update May 6th, 2022 12:49 AM", True),
        ("Créé: 12.12.2019, 07h36", True),
        ("Dernière mise à jour : 12/03/2024 à 10h42", True),
        ("입력 2020.08.27 20:27", True),
        ("Termin: 21.02.2020, 19 Uhr", False),
        ("Erscheinungsdatum: 14.08.2017", False),
        ("Date: 21 March 2025", False),
        ("Created by the artists on Nov. 26", False),
        ("Update vom 3. April 2019", False),
        # The Washington Post's two stamps run together; a tour's dates in a
        # list are facts (version 42).
        ("Updated November 22, 2024 at 3:04 p.m. EST|Published November 22, 2024 at 2:00 p.m. EST", True),
        ("- 03.03.2025 | Berlin", False),
        # Two stamps in one line; a media library's availability; a time
        # with its am or pm glued on or after a dot, as British outlets write
        # it (version 42).
        ("Published 11:00 AM EST, Tue November 26, 2024 Updated 3:04 PM EST, Tue November 26, 2024", True),
        ("입력 2020.08.27 20:27 수정 2020.08.27 21:03", True),
        ("Video verfügbar bis 28.02.2021", True),
        ("Available until 28 February 2021", True),
        ("The video is available until Friday.", False),
        ("Verfügbar bis 28.02.2021 in der Mediathek", False),
        ("Updated: 9.45pm", True),
        ("Updated: 9:45pm", True),
        ("December 29 2014 9:11pm", True),
        ("- 10 p.m. |", True),
        ("9.45", False),
        ("The 10pm news", False),
        ("10 amps", False),
        # A byline and its date after a comma (version 42).
        ("By Evan Symon, August 14, 2020 2:30 pm", True),
        ("By Jane Doe, Associated Press, Nov 22, 2024", True),
        ("By November 26, 2024, the artists had leaked it", False),
        ("By Jane Doe, who wrote on Nov 22, 2024", False),
        ("By then, Nov 22, 2024", False),
        # A picture's credit in English: its maker, then its agency or outlet (version 42).
        ("Illustration by Cath Virginia / The Verge", True),
        ("Photo by Justin Sullivan/Getty Images", True),
        ("Photograph by Jane Doe for The Washington Post", True),
        ("Image by Jane Doe via Unsplash", True),
        ("Photo by photo, the artists documented everything.", False),
        ("Photos by the artists show the tool at work / in use", False),
        ("Photos by night/day show the difference.", False),
        ("Photo by Jane Doe", False),
        # An article's tool buttons, a sign-up form's consent and a module's
        # label (version 43).
        ("Comment on this story", True),
        ("Gift Article", True),
        ("Print this page", True),
        ("Jump to comments section", True),
        ("Story", False),
        ("Page 2", False),
        ("By submitting your email, you agree to our Terms and Privacy Notice.", True),
        ("I AM OVER 18 YEARS OF AGE AND I AGREE TO REPLICA PROCESSING MY PERSONAL DATA IN ACCORDANCE WITH THE "
         "REPLICA PRIVACY NOTICE *", True),
        ("Ich stimme der Verarbeitung meiner Daten gemäß der Datenschutzerklärung zu.", True),
        ('"I agree to nothing they put in their privacy policy," one of the artists said.', False),
        ("By clicking submit, you consent to receive emails.", True),
        ("By submitting the tool to artists, OpenAI said you agree to test it.", False),
        ("By entering this store you agree to be bound by the FoodCorp Privacy Statement.", False),
        ("More for You", True),
        ("Promoted Content", True),
        ("More for you and your family was the slogan.", False),
        # The outlet's typo-report widget and button, a wire story's end mark,
        # an e-mail address alone, a Chinese page's editor in charge (version 62).
        ("Нашли опечатку? Выделите текст и нажмите Ctrl+Enter", True),
        ("Iezīmējiet tekstu un spiediet Ctrl+Enter, lai nosūtītu labojamo teksta fragmentu redaktoram!", True),
        ("Ziņot par kļūdu", True),
        ("Report an error", True),
        ("(END)", True),
        ("end", False),  # a line of code
        ("kokobj@yna.co.kr", True),
        ("E-Mail: press@replica.test", True),
        ("Tips went to press@replica.test, the artists said.", False),
        ("【责任编辑:张樵苏】", True),
        ("（编辑：严玉洁 王辉）", True),
        ("The artists pressed Ctrl and Enter to post the leak.", False),
        # A picture's copyright or source line, a recirculation module's
        # question (version 63).
        ("Image copyright Getty Images", True),
        ("Image source, Reuters", True),
        ("Pictures: Getty", True),
        ("Like this? You might also be interested in:", True),
        ("Image copyright law is complex.", False),
        ("Photo source code was leaked.", False),
        ("Picture this: a leak.", False),
        # A forum's who-is-online count with the numbers first (version 64).
        ("Online 2 Guests 0 Users 0 Member", True),
        ("The artists went online 2 days later.", False),
    ],
)
def test_furniture_lines(line: str, chrome: bool) -> None:
    assert is_chrome(line, None) is chrome


def test_a_link_list_with_soft_hyphens_is_chrome() -> None:
    # The page's words carry soft hyphens (a hyphenation plugin), the
    # extractor's lines do not: the line still finds its block.
    tree = lxml.html.document_fromstring(
        "<html><body><article><p>Die Künst\xadler ver\xadöf\xadfent\xadlich\xadten den Zu\xadgang am Diens\xadtag.</p>"
        "<ul><li><a href='/a'>So\xadra im Test: so gut sind die Vi\xaddeos wirk\xadlich</a></li></ul>"
        "</article></body></html>"
    )
    lines = ["Die Künstler veröffentlichten den Zugang am Dienstag.", "- Sora im Test: so gut sind die Videos wirklich"]
    assert chrome_paragraphs(lines, link_densities(tree, lines)) == (1,)


def test_link_dense_blocks_are_chrome_but_a_linked_update_is_not() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><article>"
        "<p>Artists leaked access to Sora on Tuesday, <a href='/x'>the report</a> said, after weeks of talks.</p>"
        "<p><a href='/a'>Another story</a> · <a href='/b'>And another one</a></p>"
        "<p>Update: <a href='/statement'>OpenAI's statement in full</a></p>"
        "</article></body></html>"
    )
    densities = link_densities(tree)
    lines = [
        "Artists leaked access to Sora on Tuesday, the report said, after weeks of talks.",
        "Another story · And another one",
        "Update: OpenAI's statement in full",
    ]
    assert chrome_paragraphs(lines, densities) == (1,)


def test_a_link_around_a_block_is_a_card_but_a_box_opening_in_place_is_not() -> None:
    # A teaser card (its heading and dek inside one <a>) is link text
    # however its blocks hold no <a> of their own (version 49).
    long_paragraph = "The artists said they were being used for unpaid labor and art washing. " * 10
    tree = lxml.html.document_fromstring(
        "<html><body><article>"
        "<p>Artists leaked access to Sora on Tuesday, the group said, after weeks of talks.</p>"
        "<a href='/2024/11/20/apple-event'><h3>Apple's event, live</h3>"
        "<p>Everything the company announced on Tuesday, as it happened.</p></a>"
        "<a href='#'><div><h4>What the artists asked for</h4>Payment for their work</div></a>"
        "<a href='javascript:void(0)'><p>A box that opens in place, with the terms of the program.</p></a>"
        f"<a href='/2024/11/26/sora'><p>{long_paragraph}</p></a>"
        "</article></body></html>"
    )
    lines = [
        "Artists leaked access to Sora on Tuesday, the group said, after weeks of talks.",
        "Apple's event, live",
        "Everything the company announced on Tuesday, as it happened.",
        "What the artists asked for",
        "Payment for their work",
        "A box that opens in place, with the terms of the program.",
        long_paragraph.strip(),
    ]
    # The last: an <a> as long as an article is one the parser let run on, not a card.
    assert chrome_paragraphs(lines, link_densities(tree, lines)) == (1, 2)


def test_identity_leaves_chrome_out_and_keeps_every_real_edit() -> None:
    text = "Para one is here.\n3 hours ago\nPara two is here."
    assert identity_text(text, (1,)) == "Para one is here.\nPara two is here."
    assert identity_text(text, ()) == text


def test_a_body_that_is_all_chrome_is_its_own_identity() -> None:
    text = "Sora leaked via netzpolitik.org\n3 hours ago\nOpenAI pauses access via t3n News"
    assert identity_text(text, (0, 1, 2)) == text
    assert identity_text(text + "\n", (0, 1, 2)) == text + "\n"
    assert left_out(text, (0, 1, 2)) == () and left_out(text + "\n", (0, 1, 2)) == ()
    assert left_out(text, (2, 1)) == (1, 2) and identity_text(text, (2, 1)) == "Sora leaked via netzpolitik.org"


ROUNDUP_ITEMS = (
    "Artists leak OpenAI's Sora video generator in protest",
    "OpenAI pauses Sora's early access program for all artists",
    "What the PR Puppets group wanted from OpenAI, in their words",
    "Hugging Face takes the leaked Sora front end offline",
    "Why artists say they were used for unpaid labor and art washing",
    "A short history of OpenAI's early access programs for creators",
)
ROUNDUP_PAGE = """<html><head><title>Links of the day</title></head><body>
<nav><a href="/">Home</a> <a href="/links">Links</a></nav>
<main><article><header><h1>Links of the day</h1></header><div class="entry-content"><ul class="linkroll">
{items}
</ul></div></article></main>
<footer><p>Replica Blog runs on a replica engine.</p></footer></body></html>"""


def test_a_post_that_is_a_list_of_links_still_shows_its_edits() -> None:
    # Every line of such a post is link-dense, so chrome: left out, its
    # identity would be empty and no edit would ever make a version.
    def read(*titles: str) -> str:
        # A bookmarking service's link roll, as WordPress plugins print it.
        items = "\n".join(f'<li><p class="link"><a href="https://news{i}.test/story">{title}</a></p>\n'
                          f'<p class="description">via News {i} <a href="https://news{i}.test/">https://news{i}.test/</a></p></li>'
                          for i, title in enumerate(titles))
        extracted = extract_article(ROUNDUP_PAGE.format(items=items).encode(), "https://blog.test/2024/11/27/links")
        assert extracted is not None and len(extracted.chrome) == len(titles)
        return extracted.content_hash

    base = read(*ROUNDUP_ITEMS)
    assert read(*ROUNDUP_ITEMS) == base
    assert read(*ROUNDUP_ITEMS[:2], "What the PR Puppets group demanded from OpenAI", *ROUNDUP_ITEMS[3:]) != base


PAGE = """<html><head><title>Artists leak Sora</title></head><body>
<nav><a href="/">Home</a> <a href="/ai">AI</a></nav>
<article><h1>Artists leak Sora</h1>
<p class="time">{when}</p>
<p>A group of artists who had early access to OpenAI's Sora video generator leaked access to the tool
on Tuesday, the group said in a statement.</p>
<p>The group, calling itself PR Puppets, published a project on Hugging Face that let anyone generate videos for about three hours.</p>
<p>The artists said they were being used for unpaid labor and art washing by a company valued at {value} billion dollars.</p>
<p><a href="/2024/11/20/{related}">{related_title}</a></p>
<p>OpenAI shut down the early access a few hours later, a spokesperson said, and paused the program for all artists.</p>
{extra}
</article>
<footer>Copyright Replica Media</footer></body></html>"""


def _page(**changes: str) -> bytes:
    values = {
        "when": "3 hours ago",
        "value": "150",
        "related": "openai-dev-day-recap",
        "related_title": "OpenAI's dev day, recapped",
        "extra": "",
    }
    return PAGE.format(**{**values, **changes}).encode()


def test_the_page_changing_around_the_article_keeps_its_identity() -> None:
    base = extract_article(_page(), "https://a.test/2024/11/26/sora")
    assert base is not None and "A group of artists" in base.text
    for churn in (
        {"when": "4 hours ago"},
        {"related": "apple-event-live", "related_title": "Apple's event, live"},
        # A redeploy that lets the extractor keep buttons, a time stamp and a
        # cookie notice it dropped before.
        {"extra": "<ul><li>Tweet this</li><li>Email this</li><li>Print</li></ul><p>Tuesday, 10:42 am ET</p>"
                  "<p>We use cookies to improve your experience. By continuing you agree to our policy.</p>"},
        # A dateline in another language, and the post retagged.
        {"when": "Aktualisiert am 27.11.2024."},
        # The day the page was served, in Spanish; a blog's share and like row.
        {"extra": "<p>Domingo, Diciembre 6, 2020 - 07:32</p>"},
        {"extra": "<p>Twitter Facebook E-Mail Drucken WhatsApp Gefällt mir: Liken Lade …</p>"},
        {"extra": "<p>Tags: OpenAI, Sora, video</p>"},
        # A dateline signed with the desk's name, its time ticking (version 42).
        {"extra": "<p>Replica Wire | Nov 27, 2024, 10:42 IST</p>"},
        # The article's tools and a sign-up box's consent, A/B-tested (version 43).
        {"extra": "<p>Gift Article</p><p>Comment on this story</p>"
                  "<p>By submitting your email, you agree to our Terms and Privacy Notice.</p>"},
        # An A/B-tested promo, a paywall note and a photo credit come and go.
        {"extra": "<p>Never miss a story: sign up for our newsletter today!</p>"
                  "<p>Already a subscriber? Log in to read the full story.</p><p>Photo: Replica/Jane Doe</p>"},
        # A teaser card in the body, its heading and dek inside one link (version 49).
        {"extra": "<a href='/2024/11/20/apple-event-live'><h3>Apple's event, live</h3>"
                  "<p>Everything the company announced on Tuesday, as it happened.</p></a>"},
    ):
        again = extract_article(_page(**churn), "https://a.test/2024/11/26/sora")
        assert again is not None and again.content_hash == base.content_hash, churn
    # A timestamp labelled as an update ticks: it is no notice (version 46).
    stamped, ticked = (extract_article(_page(when=f"Updated: {hours} hours ago"), "https://a.test/2024/11/26/sora")
                       for hours in (3, 4))
    assert stamped is not None and ticked is not None and stamped.content_hash == ticked.content_hash
    for edit in (
        {"value": "157"},  # a number inside a body sentence is an edit
        {"extra": "<p>Update: OpenAI said participation was voluntary.</p>"},
        {"extra": "<p>Posted in 2019, an earlier video by the group went viral.</p>"},
    ):
        edited = extract_article(_page(**edit), "https://a.test/2024/11/26/sora")
        assert edited is not None and edited.content_hash != base.content_hash, edit


def test_list_items_and_table_rows_are_matched_to_their_blocks() -> None:
    # trafilatura writes "- item" and "| a | b |": a related-stories list
    # and a row of links are chrome by their link density all the same.
    page = (
        "<html><body><article><h1>Artists leak Sora</h1>"
        "<p>A group of artists leaked access to OpenAI's Sora video generator on Tuesday, the group said.</p>"
        "<ul><li><a href='/a'>The Best Inventions of 2023</a></li>"
        "<li><a href='/b'>Is Using the Snooze Button Bad for You?</a></li></ul>"
        "<table><tr><td><a href='/c'>Gift cards</a></td><td><a href='/d'>Privacy policy</a></td></tr>"
        "<tr><td><a href='/'>Home</a> | <a href='/blog'>Blog</a> | <a href='/login'>Log in</a></td></tr></table>"
        "<ul><li>Sora leaked on November 26</li><li>OpenAI paused access the same day</li></ul>"
        "<p>OpenAI shut down the early access a few hours later, a spokesperson said on Tuesday night.</p>"
        "</article></body></html>"
    )
    tree = lxml.html.document_fromstring(page)
    lines = [
        "- The Best Inventions of 2023",
        "- Is Using the Snooze Button Bad for You?",
        "| Gift cards | Privacy policy | ",
        "| Home \\| Blog \\| Log in |",  # a bar inside a cell, escaped
        "- Sora leaked on November 26",  # a list of facts is the article
        "- OpenAI paused access the same day",
    ]
    assert chrome_paragraphs(lines, link_densities(tree)) == (0, 1, 2, 3)


RESULTS_PAGE = """<html><body><article><h1>Artists leak Sora</h1>
<p>A group of artists leaked access to OpenAI's Sora video generator on Tuesday, the group said.</p>
<p>The protest letter drew signatures from artists in several countries within the first day.</p>
<table>
<tr><td><a href='/p/berlin'>Berlin</a></td><td>{berlin}</td></tr>
<tr><td><a href='/p/paris'>Paris</a></td><td>15</td></tr>
<tr><td><a href='/s/leak'>{related}</a></td><td>26.11.2024</td></tr>
<tr><td><a href='/'>Home</a></td><td>\u00a0|\u00a0</td><td><a href='/blog'>Blog</a></td></tr>
</table>
<p>OpenAI shut down the early access a few hours later, a spokesperson said on Tuesday night.</p>
</article></body></html>"""


def test_a_table_row_of_data_is_the_article_though_its_names_are_links() -> None:
    # A cell of plain text holding a value (a count, a score, a quantity)
    # makes a row data: its links are names.  A linked title beside a bare
    # date is a teaser list, and a row of links a menu.
    page = RESULTS_PAGE.format(berlin="12", related="OpenAI's dev day, recapped")
    tree = lxml.html.document_fromstring(page)
    lines = ["| Berlin | 12 |", "| Paris | 15 |", "| OpenAI's dev day, recapped | 26.11.2024 |", "| Home | | | Blog |"]
    assert chrome_paragraphs(lines, link_densities(tree, lines)) == (2, 3)
    base = extract_article(page.encode(), "https://a.test/2024/11/26/sora")
    assert base is not None and "| Berlin | 12 |" in base.text
    rotated = extract_article(RESULTS_PAGE.format(berlin="12", related="Apple's event, live").encode(),
                              "https://a.test/2024/11/26/sora")
    assert rotated is not None and rotated.content_hash == base.content_hash
    updated = extract_article(RESULTS_PAGE.format(berlin="14", related="OpenAI's dev day, recapped").encode(),
                              "https://a.test/2024/11/26/sora")
    assert updated is not None and updated.content_hash != base.content_hash  # a new count is an edit


@pytest.mark.parametrize(
    ("line", "authors", "chrome"),
    [
        ("Jane Doe is a senior reporter covering AI for Replica News.", ("Jane Doe",), True),
        ("Jossi Loibl (Jahrgang 1962) schreibt seit mehr als 25 Jahren über Wein.", ("Jossi Loibl",), True),
        ("JANE DOE was our Berlin correspondent until 2020.", ("Jane Doe",), True),
        # Not the byline's name, a name alone, or the name saying something.
        ("Jane Doe is a senior reporter covering AI for Replica News.", ("John Roe",), False),
        ("Jane Doe is a senior reporter covering AI for Replica News.", (), False),
        ("Reuters is a news agency.", ("Reuters",), False),
        ("Jane Doeson is the artists' lawyer.", ("Jane Doe",), False),
        ("Jane Doe said the artists had not been paid. The company is reviewing it.", ("Jane Doe",), False),
    ],
)
def test_the_authors_bio_is_chrome(line: str, authors: tuple[str, ...], chrome: bool) -> None:
    assert is_chrome(line, None, authors) is chrome


BIO_PAGE = """<html><head><title>Artists leak Sora</title><meta name="author" content="Jane Doe"></head><body>
<article><h1>Artists leak Sora</h1>
<p>A group of artists who had early access to OpenAI's Sora video generator leaked access to the tool
on Tuesday, the group said in a statement posted on Hugging Face.</p>
<p>The group, calling itself PR Puppets, published a project that let anyone generate videos for about {hours} hours.</p>
<p>OpenAI shut down the early access a few hours later, a spokesperson said, and paused the program for all artists.</p>
<p>{bio}</p>
</article></body></html>"""


def test_a_new_bio_under_the_article_keeps_its_identity() -> None:
    def read(**values: str) -> str:
        page = BIO_PAGE.format(**{"hours": "three", "bio": "Jane Doe is a reporter covering AI.", **values})
        extracted = extract_article(page.encode(), "https://a.test/2024/11/26/sora")
        assert extracted is not None and extracted.authors == ("Jane Doe",)
        return extracted.content_hash

    base = read()
    assert read(bio="Jane Doe is a senior reporter covering AI and policy, based in Berlin.") == base
    assert read(hours="four") != base
