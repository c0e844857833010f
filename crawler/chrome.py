"""Chrome inside an extracted body: paragraphs that are the page around the
article (link lists, datelines, counters, share and promo lines) even though
the extractor kept them.  They stay in the stored text (a reader sees what
the page said) but are left out of the version identity, so the page
changing around an article is not an edit.  Pure; tested on strings.

A paragraph is chrome when

- the block it came from is mostly link text (a related-stories list, a
  "Read more: <link>" line, a previous/next post link), or
- it is the reporter's contact line ("Write to Jane Doe at ...",
  "Follow Jane Doe on Twitter @jdoe"), or the outlet speaking to its
  reader about itself: an invitation to its newsletter, app or channel,
  its paywall, an appeal for money, an affiliate disclosure, an audio
  player's label, a copyright notice, a comment form's stock line ("Sign
  up for our newsletter", "To view the full story, please subscribe"),
  or a teaser for another page ending in its link's "Full Article", or
  the author's bio ("Jane Doe is a senior reporter covering AI"), or
- it is short and reads as page furniture: a relative time or a dateline
  ("3 hours ago", "an hour ago", "Updated Nov 27, 2024 10:42", "By Jane Doe |
  Nov 27, 2024"), a counter ("1,234 comments", "5 min read"), a share,
  follow, subscribe or advertisement line, a photo credit ("Foto: dpa",
  "Photo by Justin Sullivan/Getty Images"), a copyright line, or
- it says nothing an edit could change: a row of buttons ("- Tweet this",
  "Share Email Print", "Back Next"), a bare time or date ("- 12:03 pm |"),
  a breadcrumb trail ("Home > News > Tech"), a table rule or an empty row,
  a calendar widget's row ("| M | D | M | D | F | S | S |"), a cookie
  notice addressed to the reader ("We use cookies ..."), or a server's
  error message printed into the page ("Warning: ... on line 12").

Never chrome, however short or linked: an "Update:", "Correction:",
"Clarification:" or "Editor's note:" line -- those are the edits a reader
most needs to see.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import lxml.html

from crawler.blocks import LINK_DENSITY, LIST_BULLET, block_densities, line_blocks, line_key
from storywatch.churn import AGO, AGO_IN_WORDS, SHORT, is_edit_notice, is_sentence, says_only_when

# Page furniture in the languages of the evaluation pages (English, German,
# French, Spanish, Italian, Portuguese, Dutch, Polish): a relative time
# (storywatch.churn's, in more languages), a dateline, a counter, a reading
# time, a share/follow/promo opener.
# The words that say when the page itself was published or last edited
# (an edit's stamp ticks with every edit), not when something happens.
_STAMP_LABEL = (
    r"published|updated|posted|last updated|first published|modified"
    r"|veröffentlicht|aktualisiert|zuletzt aktualisiert|letzte änderung|erstellt"
    r"|publié|mis à jour|modifié|publicado|actualizado|atualizado"
    r"|pubblicato|aggiornato|gepubliceerd|bijgewerkt|laatst bijgewerkt|opublikowano|zaktualizowano"
)
# A dateline opener, then at most 60 characters with no sentence end; a dot
# inside or after a number ("17.01.2021.") is a date's, not a sentence's.
_DATELINE = (
    rf"^\W*(?:{_STAMP_LABEL}|geändert|stand:|actualisé|modificado|modificato|aktualizacja|data publikacji)"
    r"(?:\b|(?<=:))(?:[^.!?]|(?<=\d)\.){0,60}$"
)
_COUNTER = (
    r"\b\d[\d,.]*\s*(?:k\s+)?(?:comments?|shares?|views?|reads?|likes?|min(?:ute)?s?\s+read"
    r"|kommentare?|commentaires?|comentarios?|coment[aá]rios?|commenti|reacties|komentarz(?:e|y)?"
    r"|lecturas|aufrufe|visualizzazioni|visualizações|weergaven|wyświetleń"
    r"|min\.?\s+(?:lesezeit|lesedauer|de lecture|de lectura|de leitura|di lettura|leestijd|czytania))\b"
    # ... and its label first ("Views: 173", "Kommentare insgesamt: 3", "просмотров: 173")
    r"|\b(?:views|hits|reads|comments|aufrufe|zugriffe|kommentare|vues|commentaires|visitas|vistas|lecturas"
    r"|comentarios|visualizzazioni|visite|commenti|visualizações|comentários|weergaven|reacties"
    r"|wyświetlenia|wyświetleń|odsłony|komentarze|просмотров|просмотры|комментарии|görüntülenme|yorumlar"
    r"|vizualizări|afișări|comentarii|visningar|kommentarer|zobrazení|komentáře)(?:\s+(?:insgesamt|gesamt|total))?\s*:\s*\d"
    # ... and a site's who-is-online count ("Insgesamt online: 1 Gäste: 1 Benutzer: 0", uCoz's)
    r"|\b(?:online|онлайн(?:\s+всего)?)\s*:\s*\d[^|]{0,40}?\b(?:gäste|guests|гостей|invités|invitados|ospiti|gości|gasten)"
    r"\s*:\s*\d"
    # ... or with the numbers first ("Online 2 Guests 0 Users 0 Member", a forum's)
    r"|\bonline\s*:?\s*\d+\s+(?:gäste|guests?|гостей|invités|invitados|ospiti|gości|gasten)\b"
)
# A counter without its number: none ("No comments"), a reading time's label
# alone ("Lesezeit").
_COUNTER_IN_WORDS = (
    r"^\W*(?:keine|no|aucun|sin|nessun|geen|brak)\s+(?:kommentare|comments|commentaires?|comentarios"
    r"|commenti|reacties|komentarzy)\b"
    r"|^\W*(?:lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo de leitura|tempo di lettura"
    r"|leestijd|czas czytania)\b"
    # ... and in words ("Less than a minute read", "Ten tekst przeczytasz w mniej niż minutę")
    r"|\bless than a minute read\b|^\W*(?:ten\s+)?(?:tekst|artykuł)\s+przeczytasz\s+w\b"
)
_OPENER = (
    r"^\W*(?:advertisement|sponsored|share(?: this)?(?: article| story)?|follow us|subscribe|sign up"
    r"|read more|related(?: articles?| stories| coverage)?|see also|more from|most (?:read|popular)|recommended"
    r"|(?:story|article) continues (?:below|after))\b"
)
# The same openers in other languages are often ordinary words ("Teilen",
# "Reklama", "Delen"), and so are a few English ones ("Up next, the
# senator ..."): furniture only on a line that does not end as a statement
# does ("Lesen Sie auch:" opens a list; "Teilen ist ... ." is prose).
_OPENER_ELSEWHERE = re.compile(
    r"^\W*(?:read next|up next|next article|previous article"
    r"|anzeige|werbung|teilen|folgen sie uns|abonnieren|lesen sie auch|auch lesen|mehr zum thema|weitere artikel"
    r"|weitere themen|mehr themen|weitere beiträge|weitere informationen|zum weiterlesen|weiterlesen|mehr lesen"
    r"|lesen sie mehr|auch interessant|schon gelesen|das (?:thema )?könnte (?:dich|sie|euch) auch interessieren"
    r"|verwandte (?:artikel|themen|beiträge)|empfohlene (?:artikel|beiträge)"
    r"|vorschau auf den nächsten artikel|nächster artikel|vorheriger artikel"
    r"|publicité|partager|suivez-nous|abonnez-vous|à lire aussi|lire aussi|lire la suite|sur le même sujet"
    r"|articles? (?:liés|similaires)"
    r"|publicidad|compartir|síguenos|suscríbete|lee también|leer más|más sobre|te puede interesar"
    r"|(?:noticias|notas|artículos|contenidos?) relacionad[oa]s|relacionad[oa]s"
    r"|publicidade|partilhar|siga-nos|leia também|veja também"
    r"|pubblicità|condividi|seguici|iscriviti|leggi anche|potrebbe interessarti|articoli correlati"
    r"|advertentie|delen|volg ons|lees ook|meer over"
    r"|reklama|udostępnij|obserwuj nas|czytaj (?:też|także|również)|zobacz (?:też|także)|przeczytaj (?:też|także))\b",
    re.I,
)
_OPENER_ENDS = " ?!:.…"
_STATEMENT_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
# A photo credit: a picture changing hands is not an edit of the text.
_CREDIT = (
    r"^\W*(?:photos?|fotos?|fot|pictures?|bild|titelbild|beitragsbild|headerbild|aufmacherbild|images?|credits?|images? credits?"
    r"|photo credits?|crédits?(?: photos?)?|crédit photo|foto ?credits?|bildquelle|bildnachweis|zdjęcie)"
    r"\s*(?:[:.]|\s/|\s©)"
    # ... and a picture's copyright or source line ("Image copyright Getty Images", "Image source, Reuters")
    r"|^\W*(?:image|photo|picture)\s+(?:copyright|source)\s*[,:]?\s+(?-i:[A-Z©])"
    # ... and a Chinese news page's editor in charge ("【责任编辑:张樵苏】")
    r"|^\W*(?:责任编辑|責任編輯|编辑|編輯)\s*[:：]"
    # ... and its English form, the picture's maker and then its agency or
    # outlet ("Photo by Justin Sullivan/Getty Images", "Illustration by Cath
    # Virginia / The Verge", "Photograph by Jane Doe for The Washington Post")
    r"|^\W*(?:photo(?:graph)?|illustration|image|graphic|screenshot)s?\s+by\s+"
    r"(?-i:(?:[A-ZÀ-Þ][\w.'’-]*\s*){1,4})(?:/|for\s+the\s|via\s)"
)
# Page furniture, in three parts so that each is tried only where it can
# match (one union was tried at every position of every line, and cost as
# much as all the other chrome rules): what opens a line, what may stand
# anywhere in it, and what needs a number.
_FURNITURE_OPENING = re.compile("|".join((_DATELINE, _OPENER, _CREDIT)), re.I)  # each anchored at the start
_FURNITURE_ANYWHERE = re.compile(
    _COUNTER_IN_WORDS + r"|©|\ball rights reserved\b|\balle rechte vorbehalten\b"
    r"|\btous droits réservés\b|\btodos los derechos reservados\b",
    re.I,
)
_FURNITURE_NUMBERED = re.compile("|".join((AGO, _COUNTER)), re.I)  # each branch holds a \d
_DIGIT = re.compile(r"\d")


def _is_furniture(text: str) -> bool:
    """A relative time, a dateline, a counter, a share/follow/promo
    opener, a photo credit or a copyright line."""
    return bool(_FURNITURE_OPENING.match(text) or _FURNITURE_ANYWHERE.search(text)
                or (_DIGIT.search(text) and _FURNITURE_NUMBERED.search(text)))


# A post's filing: its categories and tags, and a blog theme's stock lines
# around them.  Retagging a post is not an edit of its text.  A label with
# a colon is filing wherever it is; one without ("Posted in News") only on
# a line that does not end as a statement ("Posted in 2019, it went viral.").
_FILING_WORDS = (
    r"tags|categor(?:y|ies)|topics|schlagw(?:ö|oe)rter|stichw(?:ö|oe)rter|kategorien?"
    r"|catégories?|étiquettes|mots-clés|etiquetas|categor[ií]as?|categorie|tagi|trefwoorden"
)
_FILING_PHRASES = r"filed under|posted in|abgelegt unter|veröffentlicht in|classé dans|archiviato in"
_FILING_LABEL = re.compile(
    rf"^\W*(?:{_FILING_WORDS})\s*:"
    r"|\band is filed under\b|\bfollow any responses to this (?:entry|post)\b"
    r"|\bleave a response,? or trackback\b|\bresponses are currently closed\b",
    re.I,
)
# The reporter's contact line at a story's end ("Write to Jane Doe at
# jane@example.com", "To contact the reporter on this story: ...",
# "Follow Jane Doe on Twitter @jdoe", a columnist's "Follow me on
# Twitter or LinkedIn"): a new address or handle is not an
# edit of the article.  A name is capitalised ("Follow these steps shared
# on Twitter ..." is prose).
_CONTACT = re.compile(
    r"^\W*(?:[Ww]rite to|[Tt]o contact the (?:reporters?|editors?|authors?|writers?)\b"
    r"|(?:[Cc]ontact|[Ee]-?mail) the (?:reporter|author|writer)\b"
    r"|[Ff]ollow (?:me|(?:[A-Z@][\w.'’-]*\s+){1,4})\s*on (?:Twitter|X|Instagram|Facebook|Threads|Bluesky|LinkedIn|Mastodon)\b)"
)
# The outlet speaking to its reader about itself: its newsletter, app or
# channel and an invitation to it ("Never miss the latest news by signing
# up to our newsletter today!", "¡Mira lo que tiene nuestro canal de
# YouTube!"), its paywall ("To view the full story, please subscribe"),
# its appeal for money ("Wesprzyj nas darowizną"), its disclosures ("we
# may earn a commission"), its audio player ("Listen to this article"),
# its copyright notice and comment form ("You must be logged in to post a
# comment"), its notice about the reader's browser ("You are using an out
# of date browser").
# Sites rotate these promos while the article stays the same.  A channel
# needs an invitation too: "We posted it on our YouTube channel," he said,
# is prose.
_OUTLET_CHANNEL = re.compile(
    r"\bnewsletter\b"
    r"|\b(?:our|unser\w*|notre|nuestr[oa]|tenemos|nostr[oa]|noss[oa]|nasz\w*|ons)\s+(?:\w+\s+)?"
    r"(?:channel|kanal|chaîne|canal|canale|kanaal|apps?|podcast)\b"
    r"|\b(?:latest|breaking)\s+(?:news|stories|updates|headlines)\b.{0,60}\bapps?\b",
    re.I,
)
# The sign-up verbs in any form ("subscribe", "abonnieren", "inscrivez");
# the others as the imperatives they are here: "Miranda", "Folgen" and
# "Besucher" are words of prose.
_INVITATION = re.compile(
    r"\b(?:(?:sign(?:ing)?[ -]?up|subscrib|abonn|anmeld|melde dich|meld dich|inscri|suscri|iscri|zapisz|registr)\w*"
    r"|(?:download|join|únete|mira|síguenos|check out|folge|folgt|folgen sie|besuche|besucht|besuchen sie|hol dir|visit)\b)",
    re.I,
)
_OUTLET_NOTICE = re.compile(
    # affiliate and advertising disclosures, an audio player's label
    # (a commission for a click or a purchase: "agents earn a commission" is prose)
    r"^(?=.*\b(?:links?|buy|purchase|click|partners?)\b).*\b(?:earn|receive)s? (?:a )?(?:small )?"
    r"(?:share of (?:the )?(?:sales?|revenue)|commission|compensation)\b"
    r"|\baffiliate[- ](?:links?|commissions?)\b|\bprovisions?-?links?\b|\bkleine provision\b"
    r"|\b(?:dieser|der|diese) (?:beitrag|artikel|post|seite) enthält (?:\w+ )?(?:werbung|affiliate|provisions)"
    r"|\bcontiene (?:enlaces|links) de afiliad|\bcontient des liens (?:d.)?affili"
    r"|\blisten to (?:this|the) (?:article|story)\b|\bartikel (?:vor)?anhören\b|\bescucha (?:esta|la) (?:nota|noticia)\b"
    # a notice about the reader's browser (a forum engine's stock line)
    r"|\byou are using an? (?:outdated|out[- ]of[- ]date|old|unsupported) browser"
    r"|\byour browser is (?:out[- ]of[- ]date|outdated|not supported|no longer supported)"
    r"|\b(?:du verwendest|sie verwenden|sie nutzen|du nutzt) einen veralteten browser"
    r"|\bvotre navigateur (?:est obsolète|n.est plus)|\b(?:estás usando|está usando|usas) un navegador (?:obsoleto|desactualizado)"
    # a copyright notice, however long (a wire service's stock line:
    # "Copyright 2020 The Associated Press. All rights reserved. This
    # material may not be published ..."); a comment form's stock line
    r"|^\W*©|^\W*copyright\s+(?:©\s*)?(?:\d{4}|©|\(c\))"
    # ... and the licence the outlet publishes its text under ("Dieser Text wurde veröffentlicht
    # unter der Lizenz CC-BY-NC-ND-4.0-DE", "This article is licensed under a Creative Commons ...")
    r"|\b(?:this|the|dieser|der|ce|cet|este|questo)\s+(?:text|texte|article|artikel|beitrag|artículo|articolo|post"
    r"|work|content|inhalt)\b.{0,40}\b(?:licen[cs]ed|published|veröffentlicht|publié|publicado|pubblicato)\s+"
    r"(?:under|unter|sous|bajo|con|sotto)\s+(?:(?:a|the|der|einer|la|una)\s+)?"
    r"(?:licen[cs]e|lizenz|licence|licencia|licenza|creative commons|cc[- ]by)"
    r"|\bmust be logged in to (?:post|leave|write) a comment|\b(?:musst|müssen) (?:eingeloggt|angemeldet) sein\b"
    # ... and the account box's ("Sie sind aktuell nicht eingeloggt.", "Um einen Kommentar zu
    # hinterlassen, loggen Sie sich bitte ein.", "Möchten Sie eingeloggt bleiben?", "Log in to comment")
    r"|\b(?:you are|you're|sie sind|du bist)\s+(?:(?:currently|aktuell|derzeit|momentan|noch)\s+)?(?:not|nicht)\s+"
    r"(?:logged in|signed in|eingeloggt|angemeldet)\b"
    r"|\bkommentar\b.{0,40}\b(?:loggen sie sich|logge dich|melden sie sich|melde dich) (?:bitte )?(?:ein|an)\b"
    r"|\b(?:log|sign) in to (?:comment|reply|post a comment|leave a comment|check access)\b"
    r"|\b(?:möchten sie|möchtest du) (?:eingeloggt|angemeldet) bleiben\b|\b(?:stay|keep me) (?:logged|signed) in\b"
    # the paywall (Nikkei's: "この記事は会員限定です", "続きをお読みいただけます")
    r"|\bto (?:view|read|continue reading) (?:the|this) (?:full )?(?:story|article)\b|\balready a subscriber\b"
    r"|\bnur für abonnenten\b|\bréservé aux abonnés\b|\bexclusivo para suscriptores\b"
    r"|\bpreview of subscription content\b"
    r"|この記事は(?:有料)?会員限定|会員の方のみ|続きをお読み(?:いただけます|になれます)|会員の方はこちら|会員登録が必要です"
    # an invitation to follow or like the outlet ("You can also follow us on Facebook", "Folgt uns auf Instagram!")
    r"|\bfollow us on\b|\b(?:like us on|(?:folgt|folge|folgen sie|liked?|liken sie) uns (?:auch |doch )?auf"
    r"|aimez-nous sur|polub nas na|suivez-nous sur|s[ií]guenos en|s[ií]ganos en|seguinos en|seguici su"
    r"|s(?:ig|eg)a-nos n[oa]s?|segue-nos n[oa]s?|segui-nos n[oa]s?|volg ons op"
    r"|obserwuj nas na)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:facebook|instagram|twitter|x|tiktok|linkedin|youtube|threads|bluesky|mastodon|xing"
    r"|telegram|whatsapp)\b"
    # the outlet's typo-report widget ("Нашли опечатку? Выделите текст и нажмите Ctrl+Enter",
    # "Iezīmējiet tekstu un spiediet Ctrl+Enter, lai nosūtītu ... redaktoram!")
    r"|\bctrl\s*\+\s*enter\b"
    # the site greeting a reader who is not logged in ("Willkommen Gast | RSS", uCoz's header; "the
    # hotel will welcome guest speakers" is prose)
    r"|\b(?:willkommen|welcome|hello|hallo|bienvenue|bienvenido|benvenuto|witaj|приветствую вас|здравствуйте)"
    r"[,!]?\s+(?:gast|guest|invité|invitado|ospite|gość|гость)\b(?!\s*\w)"
    # an appeal for money or a sign-up
    r"|\b(?:support|unterstütze|unterstützen sie|wesprzyj|apoya|soutenez|sostieni|steun)\s+(?:us|uns|nas|nos|nous|ci|ons)\b"
    r".{0,80}(?:donat|darowizn|spende|monatlich|einmalig|€|\$|\d)"
    r"|^\W*(?:unterstütze|wesprzyj|apóyanos|soutenez|sostieni)\s"
    r"|\bhelp us\b.{0,80}\bdonat|\bdonat\w*\b.{0,80}\bhelp us\b"
    r"|\b(?:sign up|subscribe|register) here\b|\bmelde dich hier\b|\bregístrate aquí\b"
    # a sign-up form's consent ("By submitting your email, you agree to our Terms and Privacy Notice.")
    r"|^\W*by (?:submitting|entering|providing|signing up|subscribing|registering|clicking)\b.{0,60}"
    r"\byou (?:agree|consent) to (?:our|the|receive|receiving)\b"
    # ... and its check box, in the reader's words ("I agree to Nestlé processing my personal data in
    # accordance with the Nestlé Privacy Notice", "Ich stimme der Verarbeitung meiner Daten zu")
    r"|^[\s*•☐□-]*(?:i am over \d+ years of age and )?i (?:agree|consent|accept)\b.{0,120}"
    r"\b(?:privacy (?:policy|notice|statement)|personal data|terms (?:of use|and conditions))"
    r"|^[\s*•☐□-]*ich (?:stimme|willige)\b.{0,120}\b(?:datenschutz\w*|meiner (?:personenbezogenen )?daten)\b",
    re.I,
)
# A word each of the patterns above needs: a substring test first spares
# most lines the regular expressions (which cost as much as all the other
# chrome rules together).
_CHANNEL_WORDS = ("newsletter", "channel", "kanal", "chaîne", "canal", "kanaal", "app", "podcast")
_NOTICE_WORDS = (
    "commission", "compensation", "affili", "afiliad", "provision", "enthält", "listen to", "anhören", "escucha",
    "to view", "to read", "continue reading", "subscri", "abonnenten", "abonnés", "suscriptores", "support",
    "unterstütz", "wesprzyj", "apoya", "apóyanos", "soutenez", "sostieni", "steun", "help us", "sign up", "register",
    "melde dich", "regístrate", "©", "copyright", "follow us", "like us", "uns auf", "aimez-nous", "polub nas",
    "uns auch auf", "uns doch auf", "suivez-nous", "guenos", "ganos", "seguinos", "seguici", "-nos n",
    "volg ons", "obserwuj nas",
    "logged in", "eingeloggt", "angemeldet", "browser", "navigateur", "navegador",
    "gast", "guest", "invité", "invitado", "ospite", "gość", "гость",
    "signed in", "log in to", "sign in to", "loggen sie sich", "logge dich", "melden sie sich",
    "subscription content", "会員", "続きをお読み", "you agree", "you consent",
    "i agree", "i consent", "i accept", "ich stimme", "ich willige", "licen", "lizenz", "creative commons", "ctrl",
)
# A teaser for another page: a line that ends in its link's "Read more"
# ("Weak factory reports from Asia suggest more central bank action Full
# Article").  The words are capitalised as a link's are: a sentence that
# ends "... to read more." is prose.
_TEASER_END = re.compile(
    r"(?:\bFull [Aa]rticle|\bRead [Mm]ore|\bREAD MORE|\bContinue [Rr]eading|\b[Ww]eiterlesen|\bMehr lesen"
    r"|\bLire la suite|\bLeer más|\bLeggi tutto|\bCzytaj dalej|\bLees meer)\W{0,4}$"
)
_TEASER_CHARS = 400
# The author's bio at the story's end: a line that opens with the name of
# one of the article's authors and says who they are ("Jane Doe is a
# senior reporter covering AI", "Jossi Loibl (Jahrgang 1962) schreibt seit
# ..."). A new job title is not an edit of the article.  Only a full name
# (two words or more): a lone "Apple is ..." opens a sentence of prose.
_BIO_VERB = re.compile(
    r"(?!\w)[^.!?]{0,60}?\s(?:is|was|has been|ist|war|est|es|è|jest|writes|schreibt|covers|berichtet|lives|lebt)\b",
    re.I,
)
_BIO_CHARS = 500
# A line addressed to the reader (a contact line, an invitation) is chrome
# up to this long: such a line often runs on with its handles and addresses.
_ADDRESSED_CHARS = 250
_FILING_OPENER = re.compile(rf"^\W*(?:{_FILING_PHRASES}|tagged(?: with)?)\b", re.I)
# A post's meta line: when, then where it is filed ("Veröffentlicht:
# 05.01.2020 Abgelegt unter: Fotografie | Tags: Abendhimmel", "News date :
# 04/21/2022 Category : Press Releases", "Datum: 22.12.2012, Rubrik: USA").
# The date's label may be any (a "Date:" alone heads an event's date, a
# fact; followed by the post's filing it is the post's).
_FILED_AFTER = re.compile(rf"[\s|,;]+(?:(?:{_FILING_PHRASES})\b|(?:{_FILING_WORDS}|rubrik|ressort)\s*:)", re.I)
_LABELLED = re.compile(r"^\W*(?:[^\W\d]+\s+){0,2}[^\W\d]+\s*:\s*(?P<when>.+)$")


def _is_dated_filing(text: str) -> bool:
    filed = _FILED_AFTER.search(text)
    if filed is None:
        return False
    labelled = _LABELLED.match(text[:filed.start()])
    return labelled is not None and says_only_when(labelled.group("when"))


# Lines made of nothing but the words of a page's buttons and pagers.
_BUTTON_WORDS = frozenset("""
share shares tweet retweet email e-mail mail print link copy pin save bookmark this it on to via
facebook twitter x linkedin whatsapp telegram reddit pinterest digg flipboard tumblr threads bluesky
pocket skype xing mastodon messenger
back next previous prev more menu home top slideshow slideshows gallery comment comments reply like follow subscribe
loading view show hide close open expand collapse enlarge
teilen auf drucken merken weiter zurück mehr sharen mit gefällt mir liken lade wird geladen
kommentieren kommentar kommentare anzeigen ausblenden einblenden schließen öffnen vergrößern bild bilder foto fotos
partager imprimer suivant précédent compartir imprimir afficher fermer agrandir commenter
siguiente anterior condividi stampa avanti indietro mostrar cerrar ocultar ampliar comentar
photo photos image images video videos
gift jump story stories article articles page section
""".casefold().split())  # casefolded as the row's words are ("schließen": "schliessen")
# Words of a button that are also plain words ("Gefällt mir" is a post's
# title too, "Video" labels an embed, "Kommentar" a column): a row needs
# one button word besides them.
_PLAIN_BUTTON_WORDS = frozenset({"mit", "mir", "wird", "gefällt", "kommentar", "bild", "bilder", "foto", "fotos",
                                 "photo", "photos", "image", "images", "video", "videos",
                                 "story", "stories", "article", "articles", "page", "section"})
# A share block's row runs to this many words (a blog's sharing buttons
# and its like button: "Share this: Twitter Facebook ... Like this: Like
# Loading...").
_BUTTON_ROW_WORDS = 20
# A bare time or date and the words that dress one.
_BREADCRUMB = re.compile(r"\S\s+[>»›]\s+\S[^>»›]*\s+[>»›]\s+\S")
_COOKIE_NOTICE = re.compile(
    r"\bcookies?\b.*\b(?:we use|we and our partners|this (?:web)?site uses|you (?:agree|accept|consent)|"
    r"by (?:continuing|using)|wir verwenden|wir nutzen|verwendet cookies|nutzt cookies|stimmen sie|akzeptieren"
    r"|einverstanden|nous utilisons|utilise des cookies|utilizamos|usiamo|utilizza)"
    r"|\b(?:we use|this (?:web)?site uses|wir verwenden|wir nutzen|nous utilisons|utilizamos|usiamo)\b.*\bcookies?\b"
    r"|\b(?:our|unserer) (?:web)?(?:site|seite)\b.*\bcookies?\b"
    r"|\b(?:enable|aktiviere|activez|activa|abilita)\w*\b.{0,40}\b(?:javascript|cookies)\b",
    re.I,
)
# A line that is nothing but a label of the page's own: a skip link, a
# lone ad label, a recirculation module's heading, an embedded post's
# stock caption.
_STOCK_LABEL = re.compile(
    r"^\W*(?:skip to (?:the )?(?:main )?content|skip to main|(?:direkt )?zum (?:haupt)?inhalt(?: springen)?|hauptinhalt"
    r"|aller au contenu(?: principal)?|(?:ir|saltar) al contenido(?: principal)?|ad|ads"
    r"|trending(?: now| stories| today| on \w+)?|(?:from )?around the web|from the web|more stories|more news"
    r"|top stories|latest (?:stories|news)|most (?:viewed|shared|commented)|editor['’]?s picks"
    r"|(?:like this\W+)?you (?:may|might) also (?:like|enjoy|be interested in)|(?:sponsored|promoted) (?:stories|content)"
    r"|recommended for you|more for you"
    r"|view this post on instagram|sieh dir diesen beitrag auf instagram an|voir cette publication sur instagram"
    r"|ver esta publicación en instagram"
    # the report-an-error button
    r"|report an? (?:error|typo|mistake)|fehler melden|signaler une erreur|reportar (?:un )?error"
    r"|segnala (?:un )?errore|zgłoś błąd|сообщить об ошибке|ziņot par kļūdu)\W*$",
    re.I,
)
# A wire story's end mark ("(END)"; a bare "end" is a line of code).
_END_MARK = re.compile(r"^\s*\(end\)\s*$", re.I)
# A PHP (or similar) error printed into the page.
_SERVER_ERROR = re.compile(
    r"^\W*(?:php )?(?:warning|notice|deprecated|strict standards|fatal error|parse error)\s*:.*\bon line \d+"
    r"|\.php\b.{0,20}\bon line \d+\W*$",  # such a message's tail, on a line of its own
    re.I,
)
_TABLE_CELL = re.compile(r"(?<!\\)\|")
# A slideshow's or a pager's position ("2 von 17", "1 of 17", "3/12").
_POSITION = re.compile(r"^\W*\d{1,3}\s*(?:of|von|de|di|sur|z|van|из|/)\s*\d{1,3}\W*$", re.I)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


def _is_button_row(text: str) -> bool:
    words = _WORD.findall(text.casefold())
    return (bool(words) and len(words) <= _BUTTON_ROW_WORDS and all(w in _BUTTON_WORDS for w in words)
            and not _PLAIN_BUTTON_WORDS.issuperset(words))


def _is_bare_time(text: str) -> bool:
    """A time or date and nothing else, in one cell at most: a row of
    times is a timetable, whose times are facts."""
    if sum(1 for cell in _TABLE_CELL.split(text) if cell.strip()) > 1:
        return False
    return says_only_when(text)


# A dateline's label, after up to two words (a section's name), and then
# nothing but when: so it may be said in more ways than a dateline's
# opener. "Termin:", "Date:" and "Erscheinungsdatum:" head an event's or a
# book's date, a fact, and are no such label.
_LABELLED_TIME = re.compile(
    rf"^\W*(?P<section>(?:[^\W\d]+\s+){{0,2}})(?:{_STAMP_LABEL}"
    r"|created|last update|latest update|last edited|last modified"
    r"|zuletzt (?:bearbeitet|überarbeitet|geändert)|letzte aktualisierung|créé|dernière mise à jour"
    r"|última actualización|última atualização|ultimo aggiornamento|laatste update|ostatnia aktualizacja"
    r"|입력|수정|기사입력|최종수정)\b"
    r"\s*(?P<colon>:?)\s*(?P<when>.+)$",
    re.I,
)


def _is_calendar_row(text: str) -> bool:
    if not text.startswith("|"):
        return False
    cells = [c.strip() for c in _TABLE_CELL.split(text.strip().strip("|"))]
    return len(cells) >= 5 and all(len(c) <= 2 for c in cells)


def _is_outlet_notice(text: str) -> bool:
    """The outlet speaking to its reader about itself: an invitation to
    its newsletter, app or channel, its paywall, an appeal for money, a
    disclosure, an audio player's label, a copyright notice, a comment
    form's stock line, a notice about the reader's browser."""
    folded = text.casefold()
    if any(word in folded for word in _NOTICE_WORDS) and _OUTLET_NOTICE.search(text):
        return True
    return bool(
        any(word in folded for word in _CHANNEL_WORDS) and _OUTLET_CHANNEL.search(text) and _INVITATION.search(text)
    )


def _is_author_bio(text: str, authors: Sequence[str]) -> bool:
    """Opens with one of ``authors``' full names and says who they are."""
    folded = text.casefold().lstrip("*-–— ")
    for author in authors:
        name = " ".join(author.split()).casefold()
        if len(name.split()) >= 2 and folded.startswith(name) and _BIO_VERB.match(folded, len(name)):
            return True
    return False


# A web address alone on its line, or under a label of a word or two ("Short-URL:
# https://...", "Permalink: ...", "Internet: www.example.de"): the page's own
# address, an embed's fallback link, a source's home page; and so an e-mail
# address ("E-Mail: press@example.com": a press release's contacts, a wire
# reporter's address under the story).
_BARE_ADDRESS = re.compile(
    r"(?:[^\W\d_][\w-]*(?:\s[\w-]+)?\s*:\s*)?(?:(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?)$", re.I)


def says_nothing(text: str) -> bool:
    """A line no edit could be made in: buttons, a bare time, a breadcrumb,
    a table rule, a calendar row, a cookie notice, a stock label, a server
    error."""
    if not any(c.isalnum() for c in text):
        return True
    if _SERVER_ERROR.search(text):
        return True
    if len(text) > 2 * SHORT:
        return False
    if _COOKIE_NOTICE.search(text) or _is_calendar_row(text) or _STOCK_LABEL.match(text) or _END_MARK.match(text):
        return True
    body = LIST_BULLET.sub("", text, count=1).strip(" |")
    return (_is_button_row(body) or _is_bare_time(body) or bool(_POSITION.match(body))
            or bool(_BREADCRUMB.search(body) and not is_sentence(body)) or bool(_BARE_ADDRESS.match(body)))


def _squash(text: str) -> str:
    return " ".join(text.split())


def link_densities(tree: lxml.html.HtmlElement | None, lines: Sequence[str] | None = None) -> dict[str, float]:
    """``block_densities`` of ``line_blocks``."""
    return block_densities(line_blocks(tree, lines))


def is_chrome(paragraph: str, density: float | None, authors: Sequence[str] = ()) -> bool:
    """Whether ``paragraph`` (a line of the extracted body, whose block has
    link ``density``) is chrome; ``authors`` are the article's, for
    their bio."""
    text = _squash(paragraph)
    if not text or is_edit_notice(text):
        return False
    if density is not None and density >= LINK_DENSITY:
        return True
    if says_nothing(text):
        return True
    if len(text) <= _TEASER_CHARS and _TEASER_END.search(text[-24:]):
        return True
    if len(text) <= _ADDRESSED_CHARS and (_CONTACT.search(text) or _is_outlet_notice(text)):
        return True
    if authors and len(text) <= _BIO_CHARS and _is_author_bio(text, authors):
        return True
    if len(text) <= 2 * SHORT and (
        _FILING_LABEL.search(text) or (_FILING_OPENER.search(text) and not _STATEMENT_END.search(text))
        or _is_dated_filing(text)
    ):
        return True
    if len(text) > SHORT:
        return False
    if _is_labelled_time(text) or _is_signed_dateline(text):
        return True
    if _STATEMENT_END.search(text):
        # an opener and nothing else is a heading however it ends ("Schon gelesen?")
        opener = _OPENER_ELSEWHERE.match(text)
        return bool(_is_furniture(text) or (opener and not text[opener.end():].strip(_OPENER_ENDS)))
    return bool(_is_furniture(text) or _OPENER_ELSEWHERE.search(text) or AGO_IN_WORDS.search(text))


# The parts of a dateline signed with a name, a section or an outlet
# ("Handball Schweiz • 02.02.2022", "THE TIMES OF INDIA | Oct 02, 2020,
# 19:02:47 IST", "30.01.2022 · Männer · HBL1"): a bar or a dot parts them,
# a dash does not (a timeline's "Nov. 26 — Artists leak Sora" is prose).
_DATELINE_PART = re.compile(r"\s*(?<!\\)\|\s*|\s+[•·]\s+")
# Lower-case words a name or an outlet's name holds ("By Jane Doe", "Ana de la Cruz").
_NAME_PARTICLES = frozenset(
    "by von par por door and und et y e & de van der den da del della di du le la los las".split()
)
# A byline and its date after a comma ("By Evan Symon, August 14, 2020 2:30 pm").
_BYLINE = re.compile(r"^\W*(?:by|von|par|por|door)\s+(?=\S)", re.I)


def _is_signed_dateline(text: str) -> bool:
    """A date or a time beside names only: each other part is a name, a
    section or an outlet (capitalised words; the line is short) or chrome
    itself, or a byline and then its date after a comma; not a table's row
    or a list's item, whose dates are facts."""
    if text.startswith(("|", "- ")):
        return False
    byline = _BYLINE.match(text)
    if byline:
        # the name ends at one of the commas ("By Jane Doe, Associated Press, Nov 22, 2024")
        for comma in re.finditer(",", text):
            name = text[byline.end():comma.start()]
            if name.strip() and _is_signature(name) and says_only_when(text[comma.end():]):
                return True
    parts = [part for part in _DATELINE_PART.split(text) if part.strip()]
    if len(parts) < 2:
        return False
    dated = False
    for part in parts:
        if says_only_when(part) or _is_labelled_time(part):
            dated = True
        elif not (_is_signature(part) or is_chrome(part, None)):
            return False
    return dated


def _is_signature(part: str) -> bool:
    return all(word[0].isupper() or word.casefold() in _NAME_PARTICLES or "@" in word
               for word in part.replace(",", " ").split())


# A media library's availability ("Video verfügbar bis 28.02.2021"): the
# broadcaster extends or ends it while the story stays the same.
_AVAILABLE_UNTIL = re.compile(
    r"^\W*(?:(?:video|audio|sendung|podcast|film)\s+)?(?:verfügbar bis|available until|available till"
    r"|disponible jusqu['’]au|disponible hasta(?: el)?|disponibile fino al|beschikbaar tot)\b\s*:?\s*(?P<when>.+)$",
    re.I,
)
_SPACE = re.compile(r"\s+")


def _is_labelled_time(text: str) -> bool:
    """A dateline that says nothing but when, after a section's name or a
    period ("india Updated: Apr 26, 2020 21:43 IST", "Posted: Thursday,
    April 21, 2022. 10:11 pm CST.")."""
    available = _AVAILABLE_UNTIL.match(text)
    if available is not None:
        return says_only_when(available.group("when"))
    found = _LABELLED_TIME.match(text)
    if found is None or (found.group("section") and not found.group("colon")):
        return False  # "He posted on Tuesday" is prose
    when = found.group("when")
    if says_only_when(when):
        return True
    # two stamps in one line ("Published 11:00 AM EST, Tue November 26, 2024
    # Updated 3:04 PM EST, Tue November 26, 2024", "입력 2020.08.27 20:27 수정 ...")
    return any(says_only_when(when[:space.start()]) and _is_labelled_time(when[space.end():])
               for space in _SPACE.finditer(when))


def chrome_paragraphs(paragraphs: Sequence[str], densities: dict[str, float],
                      authors: Sequence[str] = ()) -> tuple[int, ...]:
    """Indices of the paragraphs that are chrome."""
    return tuple(i for i, p in enumerate(paragraphs) if is_chrome(p, densities.get(line_key(p)), authors))
