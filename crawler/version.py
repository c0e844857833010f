"""The extractor's version, importable without loading the extractor.

Bump it whenever a change to crawler/extract.py or crawler/metadata.py can
change what is extracted: stored raw HTML is then re-extracted before a new
fetch is compared, so an extractor upgrade never shows up as a wave of edits."""

# 6: chrome paragraphs left out of the identity (crawler/chrome.py)
# 7: a subscriber page's standfirst is part of its identity; hasPart paywalls and barrier markup
# 8: list items and table rows matched to their blocks for link density (crawler/chrome.py);
#    a JSON-LD articleBody read as text (its markup, its paragraphs), used only when it agrees with the page
# 9: the identity holds the authors the page states (JSON-LD, meta tags, a selector), not a byline
#    guessed from its visible text (Extracted.stated_authors); a table cell's escaped bar ("Home \| Blog")
#    matched to its block for link density
# 10: lines that say nothing an edit could change are chrome: button rows, a bare time or date,
#     breadcrumbs, table rules and calendar rows, cookie notices, server error messages
# 11: a row of several times (a timetable) is not a bare time
# 12: page furniture in seven more languages: relative times, datelines (a date's dots allowed),
#     comment counters and reading times, share/follow/related openers on a line that is not a statement;
#     a post's filing (its tags and categories, "... and is filed under ...") is chrome
# 13: a JSON-LD articleBody written in Markdown is read as its text (links, strong and emphasised words)
# 14: the standfirst a page marks as a lead, intro or teaser above the body's container is put back
#     before the body (crawler/standfirst.py)
# 15: the lines at the end of the body that came from after its container (a forum, a newsletter box,
#     a related list the extractor read on into) are cut (crawler/container.py)
# 16: inside the container, the blocks the page marks as comments, a related or recirculation list,
#     a newsletter, sign-up or share box, an author's bio are cut (crawler/asides.py); a relative
#     time in words ("an hour ago", "hace una hora") on a line that is not a statement is chrome; so is
#     the reporter's contact line ("Write to ... at ...", "Follow Jane Doe on Twitter"); a line finds
#     its block on a page whose words carry soft hyphens or zero-width characters (crawler.blocks.printable)
# 17: a line of a paragraph split by <br> finds that paragraph (crawler/blocks.py): its own link
#     density, the container placed by the paragraph once
# 18: a Markdown articleBody's headings, rules, attribute lists, block fences and embeds (Condé Nast's)
#     are read as text: an image embed is its caption
# 19: asides also marked as a call to action, a promotion, an appeal for donations or membership,
#     a sponsor's or advertiser's box, a disclaimer or disclosure (crawler/asides.py)
# 20: a line found first outside the body's container and again inside it is the block inside
#     (crawler.blocks.prefer_inside): a heading repeated in a menu above the body is not a link
# 21: inside the container, a line found first as a link (a table of contents) and again as plain text
#     is the plain text (crawler.blocks.prefer_inside)
# 22: asides also marked as the author's box, a picture's credit or a paywall's offer
#     (crawler/asides.py)
# 23: a JSON-LD articleBody flattened into one line is split where the page's own paragraphs begin
#     and end (crawler/paragraphs.py), so each of its paragraphs is judged and compared on its own
# 24: those breaks are placed by the words, not the numbers: a number the page shows differently
#     from its structured copy (a counter, a score) no longer joins two paragraphs
# 25: the standfirst is also a "deck", or a paragraph of the <header> (or <hgroup>) that holds the
#     headline's <h1> when it reads as sentences (crawler/standfirst.py)
# 26: what a standfirst's class marks as its date (a dek ending in <span class="date">) is left out
#     of its text
# 27: a line trafilatura read as several of the page's blocks run together (its fallback for a short
#     post: headline, dateline, text and share buttons as one line) is split where those blocks begin
#     and end (crawler/paragraphs.py); the site's tagline is no standfirst (crawler/standfirst.py)
# 28: the outlet speaking to its reader about itself (its newsletter, app or channel with an
#     invitation, paywall, appeal for money, affiliate disclosure, audio player, copyright notice,
#     comment form, browser notice), the author's bio, a photo credit, a teaser ending in its
#     link's "Full Article", more related-reading labels are chrome (crawler/chrome.py)
# 29: a body whose every line reads as chrome is its own identity whole (storywatch/content.py);
#     a page showing too little to agree with (under 400 characters) reads a JSON-LD articleBody
#     four times as long when it names the page's headline (crawler/extract.py)
# 30: WordPress's comment form heading ("Leave a Reply Cancel reply") is no headline (crawler/extract.py)
# 31: "bio" as the last word of a class name, and a block carrying an embed's own attributes
#     (data-embed-type, data-embed-id: MSN's inserted videos), mark an aside (crawler/asides.py); a
#     paywall's wording counts only outside the page's header, navigation and footer (crawler/extract.py)
# 32: barrier markup counts only where it says something of its own, outside the header, navigation
#     and footer, and is not the article's own paragraphs marked for a metered paywall (crawler/extract.py)
# 33: a wire service's copyright line ("Copyright 2020 The Associated Press. All rights reserved. ...")
#     and "follow us on" are the outlet speaking to its reader (crawler/chrome.py)
# 34: "Updated:" and nothing but when is a dateline, not an edit notice (storywatch/churn.py); a
#     dateline after a section's name and a colon, or ending in a full stop, is chrome (crawler/chrome.py)
# 35: a blog's share and like row ("... Gefällt mir: Liken Lade …", "Like Loading..."), a skip link, a
#     lone ad label, a recirculation module's heading and an embedded post's stock caption are chrome,
#     and so is a view counter in the other languages (crawler/chrome.py); a bare date in French,
#     Spanish, Italian, Portuguese, Dutch or Polish says only when (storywatch/churn.py)
# 36: a line that is the text of a form field (a <textarea>: an embed code offered for copying) is
#     not the article (crawler/asides.py)
# 37: a weekday's short form ("Di, 10:19 Uhr", "lun. 6 mars") counts as its name in a bare date, and
#     a bare date and a relative time are read in Turkish, Romanian, Swedish, Danish, Norwegian,
#     Czech and Russian too (storywatch/churn.py, crawler/chrome.py)
# 38: a date line naming the day as today or yesterday ("Today at 17:04", "Heute, 10:42 Uhr") says only
#     when (storywatch/churn.py), and a counter with its label first ("Views: 173") is furniture
#     (crawler/chrome.py)
# 39: a table row of data (a cell of plain text holding a value beside linked names: "| 1 | Ei(er) |") is
#     not a row of links (crawler/blocks.py); a slideshow's position ("2 von 17"), a gallery's and a
#     comment box's buttons ("Bild anzeigen", "View Comments"), an invitation to like the outlet, a
#     related-reading label alone however it ends ("Schon gelesen?") and "Kommentare insgesamt: 3" are
#     chrome (crawler/chrome.py)
# 40: a site's header greeting a reader who is not logged in ("Willkommen Gast | RSS") and its
#     who-is-online count ("Insgesamt online: 1 Gäste: 1"), uCoz's, are chrome (crawler/chrome.py)
# 41: an account box's stock lines ("Sie sind aktuell nicht eingeloggt.", "log in to comment", "Möchten
#     Sie eingeloggt bleiben?"), a paywall's "preview of subscription content" and Nikkei's paywall in
#     Japanese ("この記事は会員限定です") are chrome (crawler/chrome.py)
# 42: a dateline signed with a name, a section or an outlet, parted by a bar or a dot ("By Jane Doe |
#     Updated Nov 27, 2024", "Handball Schweiz • 02.02.2022") or after a byline's comma ("By Evan
#     Symon, August 14, 2020 2:30 pm"), and a reading time in words ("Less than a
#     minute read") are chrome, and a dateline may be labelled with when the page was created or last
#     edited in more words and languages ("Latest update", "zuletzt bearbeitet", "Créé", "입력"); a
#     picture's credit in English ("Photo by Justin Sullivan/Getty Images") is chrome, and so are two
#     stamps in one line and a media library's "Video verfügbar bis 28.02.2021" (crawler/chrome.py); a
#     time with its am or pm glued on or after a dot ("9.45pm") says only when (storywatch/churn.py)
# 43: an article's tool buttons ("Comment on this story", "Gift Article", "Print this page"), a sign-up
#     form's consent ("By submitting your email, you agree to our Terms ...") and a module's label ("More
#     for You", "Promoted Content") are chrome (crawler/chrome.py)
# 44: where the page's JSON-LD or meta tags name its authors, trafilatura's byline search is not run
#     (crawler/trafilatura_metadata.py): its names were added only when it found more, and on the
#     corpora's 2,137 pages that was once, a date ("TIMESOFINDIA COM", "Dec 6")
# 45: PHP's error messages printed into a page ("<b>Warning</b>: ... on line <b>928</b>") are taken out
#     before it is read (crawler/server_errors.py): on a short post they were read as the article
# 46: a Chinese or Japanese line that ends as a sentence is one by its length, a space inside it or not
#     (storywatch/churn.py's is_sentence, which the breadcrumb rule of crawler/chrome.py asks too), and
#     "Updated: 3 hours ago" is a timestamp, not an edit notice: chrome (storywatch/churn.py's
#     is_edit_notice); the same reading of all 2,137 corpus pages
# 47: a post's meta line, the date it was posted and then where it is filed ("Veröffentlicht: 05.01.2020
#     Abgelegt unter: Fotografie | Tags: ...", "News date : 04/21/2022 Category : Press Releases"), is
#     chrome (crawler/chrome.py), three lines on the corpora's 2,137 pages; a cookie or consent box, a
#     pop-up or a modal inside the body's container is an aside, a consent box however much of the body it
#     is, and a blog's taxonomy classes ("tag-gdpr") mark nothing (crawler/asides.py): 14 pages lose a
#     cookie notice, a consent dialog, a login or search help modal
# 48: a dialog inside the body's container (a class named "dialog" or "...-dialog", role="dialog",
#     aria-modal, <dialog>) is an aside, and a hidden one (aria-hidden, hidden) goes however much of
#     the body it is, as a consent box does; "rgpd", a class ending in "cookies" and "cookie-warning"
#     mark a consent box; a camelCase class's words are read as words ("relatedPosts",
#     "dialogCookieWarning"); a dialog or an overlay the extractor read outside the container is not
#     the article either (crawler/asides.py): 24 pages of the corpora's 2,137 lose a pop-up's article,
#     a glossary modal, a cookie notice, a site's network menu, a related list, a promo or a sign-up form
# 49: a block inside a link to another page (a teaser card: a heading and its dek in one <a>) is link
#     text whole, so chrome (crawler/blocks.py); not an <a> that opens a box in place (href="#",
#     "javascript:") nor one longer than a card (an unclosed <a> the parser ran over the page): 60 of the
#     corpora's 2,137 pages keep fewer lines in the identity, no "with" snippet and no reference line lost
# 50: an edit notice ("Update:", "Correction:", "Editor's note:") among or above the body's paragraphs,
#     inside its container, that the extractor dropped is put back in its place (crawler/notices.py)
# 51: a dek the page marks (or its headline's <header> holds) printed under the headline in the
#     article's own head, a section away from the body (a hero banner), is the standfirst too; not
#     under an <h1> that is mostly a link (a site's name, a teaser card) (crawler/standfirst.py): 14
#     pages of the body corpora gain their dek
# 52: an article laid out as a run of sibling modules of one tag and class, of which the extractor
#     kept one, gets the others' prose paragraphs back in the page's order (crawler/sections.py); a
#     lead under the headline the extractor read with the body is the standfirst (the body's first
#     line is its first that is no heading, crawler/standfirst.py); the licence the outlet publishes
#     its text under is the outlet speaking about itself (crawler/chrome.py)
# 53: a web address alone on its line (labelled or not: "Short-URL: https://...") says nothing an edit
#     could change, and a consent box's check line in the reader's words ("I agree to ... processing my
#     personal data ...") is the outlet speaking about itself (crawler/chrome.py)
# 54: lines put back from modules two levels around the body keep the page's order (a paragraph put back
#     at the inner level places the outer level's lines; crawler/sections.py)
# 55: a standfirst that reads as a title (a subtitle) is read with the lead under it (crawler/standfirst.py)
# 56: a paragraph trafilatura's fallback split at the source's line breaks is one line again (crawler/rejoin.py)
# 57: a link to a place on the same page ("#...") is not link text to the chrome rules (crawler/blocks.py)
# 58: a web component's link (a custom element with an href: <pp-link href>) is a link
#     (crawler/component_links.py): a menu of them was read as the article
# 59: an invitation to follow the outlet in Spanish, Portuguese, Italian, French, Dutch or Polish, and on
#     Telegram or WhatsApp ("Siguenos en Telegram, Instagram ...", "Siga-nos no Telegram.") is the outlet
#     speaking about itself (crawler/chrome.py)
# 60: ... and German's polite and adverbed forms ("Folgen Sie uns auf Facebook", "Folgt uns doch auf
#     Instagram"), Rioplatense Spanish's and Portuguese's others ("Seguinos en", "Segui-nos no")
# 61: a table of contents, an author box plugin's, an affiliate disclosure, the next story of an endless
#     page and a consent manager's stand-in for an embed are asides by their marks (crawler/asides.py); a
#     table of contents' entry (a link to a place on the page) names the heading it jumps to, whose line it
#     is (crawler/blocks.py: an aside mark on the contents would have taken the heading out)
# 62: the outlet's typo-report widget ("... Ctrl+Enter ..."), a report-an-error button, a wire story's
#     "(END)", an e-mail address alone on its line and a Chinese page's editor in charge ("【责任编辑:...")
#     are chrome (crawler/chrome.py)
# 63: a picture's copyright or source line ("Image copyright Getty Images", "Pictures: Getty") is a credit,
#     and "Like this? You might also be interested in:" a recirculation label (crawler/chrome.py)
# 64: a forum's who-is-online count with the numbers first ("Online 2 Guests 0 Users 0 Member") is a
#     counter (crawler/chrome.py)
EXTRACTOR_VERSION = "64"
