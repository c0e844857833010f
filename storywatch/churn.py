"""Is a changed identity an edit?  The paragraph-level comparison.

The version identity (storywatch.content) hashes the article's title,
authors and the body's lines without its chrome and template lines.  When
that hash moves, the two bodies are compared line by line: if every line
that appeared, disappeared or changed is *page furniture* -- short (50
characters, or 6 words in up to 100) and not a sentence: a dateline, "Page
1 of 2", a photo credit, a "Zum Angebot" button, a section label -- or
only *moved* (the same lines in another order: a list of teasers or share
buttons the extractor kept, reshuffled), the page around the article
changed, not the article, and the fetch is set aside as churn (its page
kept, so a later rule can judge it again).  A paragraph moved without a
word of it changed is therefore not a version either: the trade for the
reshuffled lists, which are far more common.

Never furniture, however short: an "Update:", "Correction:",
"Clarification:" or "Editor's note:" line; a sentence, or the clause that
opens a list ("He was 45." becoming "He was 46." is an edit, and so is
"killed 12" becoming "killed 14"); list items and table rows (a list of
facts or a results table edited is an edit; a list of links is chrome by
its link density, crawler/chrome.py); a line that says the same words with
another figure ("Free shipping if they spend $50 or more" becoming "$75"),
unless the figure is a date, a time or a place in a sequence ("Page 1 of
2") or the line too short to state anything ("Seite 17"); a line reworded
in its place, half its words kept ("Why Referrals Matter" becoming "Why
Referrals Work": a subheading rewritten), unless it names a date or a
time.  A changed title or stated byline
(the authors the page's metadata states: Extracted.stated_authors) is
always an edit.

The lines left once furniture and moved lines are set apart are read
against the two pages themselves (storywatch/pagetext.py): when both pages
say every line that left the body or came into it, and each line of the
body as many times as the other, the page says what it said and only what
the extractor kept of it moved (a class renamed by a redeploy lets a promo
box through, or moves a paragraph out of the container the extractor
chose); that fetch is churn too.  A real edit leaves a line one of the
pages does not say (the changed sentence is not on the previous page, the
removed paragraph not on the new one, or once less) unless an edit leaves
it word for word elsewhere; an edit notice is never judged so.

Before that, a line whose only change is the whole text of one of its
links (two words or more, a link on the previous page, no more than a
third of its words kept) replaced by another link's, the page's own words
around it the same, is a teaser's title rotated ("Our coverage continues:
<title>, ..."): churn, however little of the line the link is.  A word
edited inside a link keeps most of its words, a one-word link is a name
an edit may change, and a line that is only a link is a link list's item
(a post of links): those stay edits.
Pure; tested on strings.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import NamedTuple

from storywatch.article import Extracted
from storywatch.content import content_hash, identity_text, normalise_text
from storywatch.pagetext import MIN_LETTERS, PageSaid, letters, times_said

# Furniture lines are short; a long line is prose whatever its shape.
SHORT = 100
# ... and a furniture line is at most this long, or has at most this many
# words (measured on real pages: longer lines without a full stop are body
# text split by the page -- a caption, a data line -- as often as furniture).
FURNITURE_CHARS = 50
FURNITURE_WORDS = 6
# A sentence has this many words at least (or, in a script written without
# spaces, this many characters).
SENTENCE_WORDS = 3
SENTENCE_CHARS_UNSPACED = 8
_CJK = 0x2E80  # where the scripts written without spaces begin

# "Update, Nov 27: ..." is a notice, and so is a notice box's heading
# ("Correction: Nov 27", its text on the next line); "Updated Nov 27, 2024
# 10:42" (a colon inside a time) is a dateline, and so is "Updated: Jan 23,
# 2020, 10.45 AM IST": the page says when it was updated, and nothing else.
_EDIT_NOTICE = re.compile(
    r"^\W*(?P<word>update[sd]?|correction|clarification|editor['’]?s note)\b[^\n]{0,40}?:(?!\d)\s*(?P<said>\S.*)$",
    re.I | re.S,
)
# A date or a time: the words and numbers one is written with, in the
# languages of the evaluation pages (English, German, French, Spanish,
# Italian, Portuguese, Dutch, Polish; the months and weekdays also in
# Turkish, Romanian, Swedish, Danish and Norwegian, Czech and Russian,
# whose datelines the pages show too).  English and German months and
# weekdays by their stems; the others by their full names (their stems,
# "set", "out", "gen", "mag", are words of their own), and a weekday by
# its short form too (words of their own as well, but they count only on
# a line that names a date or a time and holds nothing else).
_MONTH = (
    r"(?:jan|feb|mar|mär|apr|may|mai|jun|jul|aug|sep|sept|oct|okt|nov|dec|dez)[^\W\d_]*"
    r"|avril|juin|juillet|juil|août|aout|décembre|déc|février|fevrier|févr"
    r"|enero|abril|agosto|setiembre|diciembre"
    r"|gennaio|maggio|giugno|luglio|settembre|ottobre|dicembre"
    r"|fevereiro|setembro|outubro"
    r"|maart|mei"
    r"|stycznia|styczeń|lutego|luty|marca|marzec|kwietnia|kwiecień|maja|maj|czerwca|czerwiec|lipca|lipiec"
    r"|sierpnia|sierpień|września|wrzesień|października|październik|listopada|listopad|grudnia|grudzień"
    r"|ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık"
    r"|ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie"
    r"|januari|februari|marts|augusti|oktober"
    r"|ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince"
    r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
)
_WEEKDAY = (
    r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|sabato"
    r"|lunedì|lunedi|martedì|martedi|mercoledì|mercoledi|giovedì|giovedi|venerdì|venerdi|domenica"
    r"|segunda|terça|terca|quarta|quinta|sexta|feira"
    r"|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag"
    r"|poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela"
    # their short forms ("Di, 10:19 Uhr", "lun. 6 mars", "mié., 6 de diciembre")
    r"|mo|di|mi|do|fr|sa|so|lun|mer|jeu|ven|sam|dim|mié|mie|jue|vie|sáb|sab|dom|gio"
    r"|seg|ter|qua|qui|sex|ma|wo|vr|za|zo|pon|wt|śr|czw|pt|sob|niedz"
    r"|pazartesi|salı|çarşamba|perşembe|cuma|cumartesi|pazar|luni|marți|miercuri|joi|vineri|sâmbătă|duminică"
    r"|måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|mandag|tirsdag|lørdag|søndag"
    r"|pondělí|úterý|středa|čtvrtek|pátek|neděle"
    r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
)
# A date written with numbers, and a month's name beside a day's number
# (any word there, then checked: one pattern of every month name, tried at
# every word of every line, cost more than the rest of the chrome rules).
# A dotted or a bare hour is a time only with its am or pm ("9.45pm", "10
# p.m."): "9.45" is a number.
_NUMERIC_WHEN = re.compile(
    r"\d{1,2}:\d{2}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\b\d{1,2}(?:\.\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)", re.I
)
_WORD_BEFORE_DAY = re.compile(r"\b([^\W\d_]{3,})\.?\s+\d{1,2}\b")
_WORD_AFTER_DAY = re.compile(r"\b\d{1,2}\.?\s+(?:de\s+)?([^\W\d_]{3,})\b")
_MONTH_NAME = re.compile(_MONTH, re.I)
_DATE_WORDS = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th|am|pm)?|\d{1,2}h\d{2}|am|pm|a\.m|p\.m|utc|gmt|[ecmp][sd]t|et|pt|um|uhr|at|on"
    r"|ist|bst|cest?|jst|kst|hkt|sgt|aes[td]"
    # the words around a date or a time elsewhere ("le 6 mars à 10h42",
    # "6 de diciembre de 2020 a las 07:32", "alle ore 21.45", "om 10.00 uur",
    # "2020 r., godz. 10:00", "kl 10:42", "в 10:42", "saat 18:28", "la ora
    # 10:42"); a French "10h42" counts only beside a date
    # ("1h30" alone is a recipe's duration)
    r"|le|à|de|del|a|las|hs|alle|ore|às|om|uur|r|godz|kl|v|в|г|saat|la|ora"
    # and the day the page was served ("Today at 17:04", "Heute, 10:42 Uhr")
    r"|today|yesterday|heute|gestern|aujourd['’]hui|hier|hoy|ayer|oggi|ieri|hoje|ontem|vandaag|gisteren"
    r"|dzisiaj|dziś|wczoraj|сегодня|вчера|bugün|dün|astăzi|azi|idag|igår|dnes|včera"
    rf"|{_MONTH}|{_WEEKDAY})\b",
    re.I,
)
# A relative time ("3 hours ago", "vor 3 Stunden"), in the languages of
# the evaluation pages and Turkish, Romanian, Swedish, Danish, Norwegian,
# Czech and Russian: a timestamp that ticks (crawler/chrome.py reads it as
# furniture too).
AGO = (
    r"\b\d+\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\b"
    r"|\bvor\s+\d+\s*(?:sekunden|minuten|min|stunden|std|tagen|wochen|monaten)\b"
    r"|\bil y a\s+\d+\s*(?:secondes?|minutes?|min|heures?|h|jours?|semaines?|mois)\b"
    r"|\bhace\s+\d+\s*(?:segundos?|minutos?|min|horas?|h|d[ií]as?|semanas?|meses?)\b"
    r"|\b(?:há|ha)\s+\d+\s*(?:segundos?|minutos?|min|horas?|h|dias?|semanas?|meses?)\b"
    r"|\b\d+\s*(?:secondi|minuti|min|ore|ora|giorni|settimane|mesi)\s+fa\b"
    r"|\b\d+\s*(?:seconden|minuten|min|uur|dagen|weken|maanden)\s+geleden\b"
    r"|\b\d+\s*(?:sekund[ya]?|minut[ya]?|min|godzin[ya]?|dni|tygodni[ea]?|miesięcy)\s+temu\b"
    r"|\b\d+\s*(?:saniye|dakika|dk|saat|gün|hafta|ay)\s+önce\b"
    r"|\bacum\s+\d+\s*(?:secunde|minute|min|ore|oră|zile|săptămâni|luni)\b"
    r"|\bför\s+\d+\s*(?:sekunder|minuter|min|timmar|timme|dagar|veckor|månader)\s+sedan\b"
    r"|\bfor\s+\d+\s*(?:sekunder|minutter|min|timer|time|dage|dager|uger|uker|måneder)\s+siden\b"
    r"|\bpřed\s+\d+\s*(?:sekundami|minutami|min|hodinami|hodinou|dny|týdny|měsíci)\b"
    r"|\b\d+\s*(?:секунд[уы]?|минут[уы]?|мин|час(?:а|ов)?|дн(?:я|ей)|недел[ьюи]|месяц(?:а|ев)?)\s+назад\b"
)
# A relative time counted in words ("an hour ago", "hace una hora", "vor
# einer Stunde"): as a line of its own it is a comment's or a teaser's
# timestamp; opening a sentence ("A few days ago, she quit.") it is prose.
AGO_IN_WORDS = re.compile(
    r"\b(?:an?|one|a few|a couple of|few|several)\s+(?:second|minute|min|hour|hr|day|week|month)s?\s+ago\b"
    r"|\bmoments? ago\b"
    r"|\bvor\s+(?:einer|einem|wenigen|ein paar)\s+(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?)\b"
    r"|\bil y a\s+(?:une|un|quelques)\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois)\b"
    r"|\bhace\s+(?:una|un|unos|unas|pocos|pocas)\s+(?:segundos?|minutos?|horas?|d[ií]as?|semanas?|mes(?:es)?)\b"
    r"|\bhá\s+(?:uma|um|alguns|algumas|poucos)\s+(?:segundos?|minutos?|horas?|dias?|semanas?|m[eê]s(?:es)?)\b"
    r"|\b(?:un'|una\s+|un\s+|qualche\s+|pochi\s+|poche\s+)(?:secondo|secondi|minuto|minuti|ora|ore|giorno|giorni"
    r"|settimana|settimane|mese|mesi)\s+fa\b"
    r"|\b(?:een|enkele|paar)\s+(?:seconden?|minuut|minuten|uur|dag|dagen|week|weken|maand|maanden)\s+geleden\b"
    r"|(?:^|\s)(?:sekundę|minutę|godzinę|dzień|tydzień|miesiąc|kilka \w+)\s+temu\b",
    re.I,
)
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def says_only_when(text: str) -> bool:
    """A date or a time and nothing else ("Jan 23, 2020, 10.45 AM IST",
    "Thursday, April 21, 2022. 10:11 pm CST.")."""
    return _names_a_time_or_date(text) and not _LETTER.search(_DATE_WORDS.sub("", text))


def _names_a_time_or_date(text: str) -> bool:
    if not _DIGIT.search(text):  # every way of naming one holds a number
        return False
    if _NUMERIC_WHEN.search(text):
        return True
    return any(_MONTH_NAME.fullmatch(found.group(1))
               for pattern in (_WORD_BEFORE_DAY, _WORD_AFTER_DAY) for found in pattern.finditer(text))


_AGO_NUMBERED = re.compile(AGO, re.I)


def says_how_long_ago(text: str) -> bool:
    """A relative time and nothing else ("3 hours ago", "vor einer Stunde")."""
    bare = _AGO_NUMBERED.sub("", AGO_IN_WORDS.sub("", text))
    return bare != text and not _LETTER.search(bare)


def is_edit_notice(text: str) -> bool:
    """An "Update:", "Correction:" or editor's note line: the article's own,
    never the page around it; not "Updated:" and when alone, nor "Update:"
    and how long ago (a timestamp that ticks: "Updated: 3 hours ago")."""
    found = _EDIT_NOTICE.match(text)
    if found is None:
        return False
    word, said = found.group("word").casefold(), found.group("said")
    if word.startswith("update") and says_how_long_ago(said):
        return False
    return not (word == "updated" and says_only_when(said))


# A sentence, or the clause that opens a list ("... include:").
_SENTENCE_END = re.compile(r"[.!?:;…。！？：；؟।][\"'”’»」』)\]]*$")
# trafilatura writes list items as "- item" and table rows as "| a | b |".
_LIST_OR_TABLE = re.compile(r"^(?:- |\|)")


def is_sentence(text: str) -> bool:
    """Ends as a sentence ends and is long enough to be one."""
    if not _SENTENCE_END.search(text):
        return False
    if len(text.split()) >= SENTENCE_WORDS:
        return True
    # Chinese or Japanese: its spaces are not between words (a dateline's
    # "新华社北京11月17日电 " before the sentence), so its length decides.
    return len(text) >= SENTENCE_CHARS_UNSPACED and any(ord(c) >= _CJK for c in text)


def is_furniture(line: str) -> bool:
    """A line whose appearing, disappearing or changing is not an edit."""
    text = normalise_text(line)
    if not text:
        return True
    if len(text) > SHORT or _LIST_OR_TABLE.match(text) or is_edit_notice(text):
        return False
    if len(text) > FURNITURE_CHARS and len(text.split()) > FURNITURE_WORDS:
        return False
    return not is_sentence(text)


# A line states a figure when it holds a number among this many words of
# letters ("Free shipping if they spend $50 or more"; not "Page 1 of 2",
# "Seite 17", "Intensität 5 Mild") and names no date or time.
FIGURE_WORDS = 4
# A line reworded in place keeps at least half its words and at least two
# of them ("Why Referrals Matter"; a price's "Kaufen" button renamed keeps
# one, "Preis: 12,99 € (D)"), and is a phrase, not sentences and a button
# after them ("... ご覧ください。 詳しくはこちら"; an ellipsis is no sentence's
# end: "Eating & Drinking... Lots").  Between two lines of prose, where a
# subheading stands and that button does not, one kept word of two will do
# (``Place.is_between_prose``).
REWORDED_KEPT = 2
# A full stop a sentence ends with, something after it; not an ellipsis's,
# a number's ("5. Pflegen und Reparieren": a numbered heading), an
# initial's ("J. K. Rowling", "z. B.") or an abbreviation's ("Die
# Drei-Wege-, Ballon- bzw. Vario-Finanzierung").
_SENTENCE_INSIDE = re.compile(r"(?P<word>[^\W\d_]*)[.!?。！？][\"'”’»」』)\]]*\s")
_ABBREVIATION = frozenset("""
bzw usw etc ggf evtl inkl vgl bzgl ca hrsg nr st dr prof mr mrs ms jr sr vs no fig vol
""".split())
_WORD_OF_LETTERS = re.compile(r"[^\W\d_]{2,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


# A month and its year ("E-Mail eines Mandanten, November 2018"): a date.
_WORD_BEFORE_YEAR = re.compile(r"\b([^\W\d_]{3,})\.?,?\s+\d{4}\b")
# A place in a sequence ("Page 1 of 2", "Bild 3 von 12"): a counter.
_POSITION = re.compile(r"\b\d+\s+(?:of|von|sur|de|di|van|z|из)\s+\d+\b", re.I)


def _has_sentence_inside(line: str) -> bool:
    # The word before the stop: none after a number or an ellipsis's dots,
    # one letter for an initial.
    return any(len(word := found.group("word")) > 1 and word.casefold() not in _ABBREVIATION
               for found in _SENTENCE_INSIDE.finditer(line))


def _counts_or_dates(line: str) -> bool:
    """Names a date, a time or a place in a sequence."""
    if not _DIGIT.search(line):
        return False
    return bool(_names_a_time_or_date(line) or _POSITION.search(line) or any(
        _MONTH_NAME.fullmatch(found.group(1)) for found in _WORD_BEFORE_YEAR.finditer(line)
    ))


def _figure_shape(line: str) -> str | None:
    if not _DIGIT.search(line) or len(_WORD_OF_LETTERS.findall(line)) < FIGURE_WORDS or _counts_or_dates(line):
        return None
    return _NUMBER.sub("#", line)


def refigured_lines(gone: Sequence[str], came: Sequence[str]) -> set[str]:
    """The lines of a change that say the same words with another figure
    ("... spend $50 or more" became "... spend $75 or more"): an edit
    however short the line, as "killed 12" becoming "killed 14" is in a
    sentence.  A date is not a figure (it names a day, a month or a time),
    nor is a place in a sequence ("Page 1 of 2") or a line of too few words
    to state anything ("Seite 17"); a relative time or a counter never gets
    here (chrome, crawler/chrome.py)."""
    gone_shapes = {line: _figure_shape(line) for line in gone}
    came_shapes = {line: _figure_shape(line) for line in came}
    both = (set(gone_shapes.values()) & set(came_shapes.values())) - {None}
    return {line for shapes in (gone_shapes, came_shapes) for line, shape in shapes.items() if shape in both}


# A line's skeleton: each run of letters one "a", each number one "#"
# ("01. Robert Plant" and "02. Rob Halford" are both "#. a a").
_LETTERS_RUN = re.compile(r"[^\W\d_]+")


def _skeleton(line: str) -> str:
    return _LETTERS_RUN.sub("a", _NUMBER.sub("#", line))


def _refigured_list_item(place: Place) -> bool:
    """One short line replaced by the same words with another figure,
    beside an unchanged line of its shape: an item of a list of like
    lines ("01. Robert Plant" among "02. Rob Halford" ..., "Ausstattung
    Sicherheit: 1" above "Ausstattung Komfort: 1") whose neighbour kept its
    figure, a ranking or a score edited.  A counter that ticks, or every
    figure of a list changing at once, is not one."""
    if not (len(place.gone) == len(place.came) == 1):
        return False
    old, new = place.gone[0], place.came[0]
    if old == new or not _DIGIT.search(old) or not _WORD_OF_LETTERS.search(old) or _counts_or_dates(old):
        return False
    if _NUMBER.sub("#", old) != _NUMBER.sub("#", new):
        return False
    shape = _skeleton(old)
    return any(line is not None and line != old and _skeleton(line) == shape for line in (place.above, place.below))


def identity_lines(text: str, chrome: Sequence[int]) -> list[str]:
    """The body's lines that the identity hashes (normalised, blank ones out)."""
    lines = (normalise_text(line) for line in identity_text(text, chrome).split("\n"))
    return [line for line in lines if line]


class Place(NamedTuple):
    """Where two bodies differ: the lines gone from it, the lines come to
    it (one side empty where lines were only removed or only added), and
    the unchanged lines around it (None at a body's end)."""

    gone: Sequence[str]
    came: Sequence[str]
    above: str | None
    below: str | None

    def is_between_prose(self) -> bool:
        """One line replaced by one, with a line of prose above and below:
        a subheading's place, not a button's beside a price or a label's
        among data lines."""
        return len(self.gone) == len(self.came) == 1 and all(
            line is not None and not is_furniture(line) for line in (self.above, self.below))


def changed_places(before: Sequence[str], after: Sequence[str]) -> list[Place]:
    """Each place where two bodies differ."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [Place(before[i1:i2], after[j1:j2], before[i1 - 1] if i1 else None, before[i2] if i2 < len(before) else None)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _sides(places: Sequence[Place]) -> tuple[list[str], list[str]]:
    return [line for place in places for line in place.gone], [line for place in places for line in place.came]


def changed_sides(before: Sequence[str], after: Sequence[str]) -> tuple[list[str], list[str]]:
    """The lines that disappeared or were changed from, and the lines that
    appeared or were changed to, between two bodies."""
    return _sides(changed_places(before, after))


def _words_of_letters(line: str) -> Counter[str]:
    return Counter(word.casefold() for word in _WORD_OF_LETTERS.findall(line))


def reworded_lines(gone: Sequence[str], came: Sequence[str], kept_at_least: int = REWORDED_KEPT) -> set[str]:
    """The lines of one changed place (``gone`` replaced by ``came``) that
    say in part what the other side says in other words: a subheading
    rewritten ("Why Referrals Matter" became "Why Referrals Work"), half
    its words and ``kept_at_least`` kept and a word of letters changed.  An
    edit, however short the line; a date, a time or a place in a sequence
    changing is not one.  Only furniture is paired (any other line is an
    edit already)."""
    def worded(lines: Sequence[str]) -> list[tuple[str, Counter[str]]]:
        phrases = (line for line in lines
                   if is_furniture(line) and not _counts_or_dates(line) and not _has_sentence_inside(line))
        return [(line, words) for line in phrases
                for words in (_words_of_letters(line),) if words.total() >= kept_at_least]

    reworded: set[str] = set()
    for old, old_words in worded(gone):
        for new, new_words in worded(came):
            kept = (old_words & new_words).total()
            if old_words != new_words and kept >= kept_at_least and 2 * kept >= max(old_words.total(), new_words.total()):
                reworded.update((old, new))
    return reworded


def unexplained_changes(before: Sequence[str], after: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """The lines that are neither page furniture nor only moved: those that
    disappeared or were changed from, and those that appeared or were
    changed to (each once for every time it went without coming back, or
    came without having gone).  None when the bodies are the same."""
    places = changed_places(before, after)
    return _unexplained(places) if places else None


def _unexplained(places: Sequence[Place]) -> tuple[list[str], list[str]]:
    gone, came = _sides(places)
    # A figure is paired wherever it changed; a rewording only in its place,
    # and between prose one kept word of two will do ("Construction
    # Weakness" became "Construction Slowdown").
    edited = refigured_lines(gone, came).union(*(
        reworded_lines(place.gone, place.came, 1 if place.is_between_prose() else REWORDED_KEPT) for place in places),
        *((*place.gone, *place.came) for place in places if _refigured_list_item(place)))
    gone_text = Counter(line for line in gone if line in edited or not is_furniture(line))
    came_text = Counter(line for line in came if line in edited or not is_furniture(line))
    return list((gone_text - came_text).elements()), list((came_text - gone_text).elements())


def only_churn_changed(before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether two bodies' identity lines differ in page furniture and
    moved lines only: every line that is not furniture and went from one
    place came back, unchanged, at another."""
    changes = unexplained_changes(before, after)
    return changes is not None and not changes[0] and not changes[1]


def _passage_around(lines: Sequence[str], index: int, said: Callable[[str], str]) -> str:
    """Line ``index`` of ``lines``, read with the lines around it (one
    more on each side at a time) until what it ``said`` is twice as long
    as a line found alone; alone when it is that long itself."""
    if len(said(lines[index])) >= MIN_LETTERS:
        return lines[index]
    start, end = index, index + 1
    while len(said("".join(lines[start:end]))) < 2 * MIN_LETTERS and (start > 0 or end < len(lines)):
        start, end = max(start - 1, 0), min(end + 1, len(lines))
    return "".join(lines[start:end])


def said_with_neighbours(line: str, lines: Sequence[str], page: str, other: str) -> bool:
    """Whether a line too short to be found alone (``times_said`` 0: a
    list's item, "- 4 Eier") is found with the lines around it in its body
    (``lines``), read together until they are twice as long as a line
    found alone, as many times on its page as on the other one: the
    extractor dropped or took the passage, the page still says it.  An
    item removed from a list is not found so: the passage around it is
    no longer on the new page."""
    places = [index for index, other_line in enumerate(lines) if other_line == line]
    if not places:
        return False
    for index in places:
        passage = _passage_around(lines, index, letters)
        said = times_said(passage, page)
        if not said or said != times_said(passage, other):
            return False
    return True


def still_said(gone: Sequence[str], came: Sequence[str], body: Iterable[str], before_page: str,
               after_page: str) -> bool:
    """Whether both pages say every line that left the body or came into
    it, and say each of those and each line of the body (``body``: both
    bodies' lines but furniture) as many times (storywatch.pagetext): the
    extractor kept another part of the same text, the page said nothing
    new.  A short line edited in place (a list item's figure) is counted
    too: the previous page may say its new text elsewhere (a reader's own
    list in a comment), but the new page says its old text less often.
    An edit notice is never judged so."""
    if any(is_edit_notice(line) or not times_said(line, before_page) for line in (*gone, *came)):
        return False
    return all(times_said(line, before_page) == times_said(line, after_page) for line in (*body, *gone, *came))


@dataclasses.dataclass(frozen=True, slots=True)
class LineIdentity:
    """What a version's identity holds, line by line."""

    heading: str  # the title's and stated authors' identity
    lines: tuple[str, ...]


# What a subscriber page's heading holds before its standfirst.
_SUBSCRIBER = "\x1dsubscriber page\x1d"


def line_identity(title: str | None, authors: Sequence[str], text: str, chrome: Sequence[int] | None,
                  is_partial: bool, description: str | None = None) -> LineIdentity | None:
    """None when a body cannot be compared line by line: its chrome lines
    are not known (a version stored before they were kept).  A subscriber
    page's standfirst (``description``, part of its identity hash) is part
    of its heading, with the mark of a subscriber page: a changed
    standfirst there is an edit, and a subscriber page and a complete one
    are never judged churn of each other (the first complete text after
    teasers is a version)."""
    if chrome is None:
        return None
    standfirst = f"{_SUBSCRIBER}{normalise_text(description or '')}" if is_partial else ""
    return LineIdentity(content_hash(title, authors, standfirst), tuple(identity_lines(text, chrome)))


def extracted_identity(content: Extracted) -> LineIdentity | None:
    return line_identity(content.title, content.identity_authors, content.text, content.chrome, content.is_partial,
                         content.description)


# A link's text of this many words may be a teaser's title that rotated (a
# one-word link is a name, and a one-word edit replaces all of it).
LINK_WORDS = 2
# A link's text shorter than this is found inside other words by chance.
_LINK_LETTERS = 4


def _only_a_link_replaced(gone: str, came: str, before: PageSaid, after: PageSaid) -> bool:
    """Whether ``came`` is ``gone`` with the whole text of a link (two
    words or more, a link of the previous page) replaced by another link's
    (of the new page), the page's own words around it the same: a teaser's
    title rotated, not an edit; a word edited inside a link keeps most of
    its words, and a line that is only a link is a list's."""
    said = old = letters(gone)
    new = letters(came)
    olds = [link for link, words in before.links.items()
            if len(words) >= LINK_WORDS and len(link) >= MIN_LETTERS and link in old and link not in new]
    news = [link for link in after.links if len(link) >= _LINK_LETTERS and link in new and link not in old]
    if not olds:  # (and a new title that is no link leaves the lines unequal below)
        return False
    for link in sorted(olds, key=len, reverse=True):
        old = old.replace(link, "|")
    for link in sorted(news, key=len, reverse=True):
        new = new.replace(link, "|")
    own = old.replace("|", "")
    if old != new or len(own) < max(MIN_LETTERS, len(said) // 3):
        return False
    old_words = frozenset().union(*(before.links[link] for link in olds))
    new_words = frozenset().union(*(after.links[link] for link in news))
    return _mostly_other_words(old_words, new_words)


def _mostly_other_words(old: frozenset[str], new: frozenset[str]) -> bool:
    """Whether a link's words were replaced by mostly other words (a third
    kept at most): another title, not the same one edited."""
    return 3 * len(old & new) <= min(len(old), len(new))


# A line holding more links than this is a list of them (a tag cloud, a
# link roll), not the page's words around a teaser's title; each is a step
# of the search below.
_MOST_TITLES = 20


def _titles_ahead(pieces: Sequence[str], text: str, at: int, titles: Collection[str],
                  lengths: Sequence[int]) -> list[str] | None:
    """The titles ``text`` says from ``at`` on, each followed by the next
    of ``pieces``; None where it does not."""
    if not pieces:
        return []
    for length in lengths:
        title = text[at:at + length]
        if title in titles and text.startswith(pieces[0], at + length):
            rest = _titles_ahead(pieces[1:], text, at + length + len(pieces[0]), titles, lengths)
            if rest is not None:
                return [title, *rest]
    return None


def _titles_behind(pieces: Sequence[str], text: str, at: int, titles: Collection[str],
                   lengths: Sequence[int]) -> list[str] | None:
    """``_titles_ahead`` read backwards from ``at``: the titles before it,
    each after the piece before it."""
    if not pieces:
        return []
    for length in lengths:
        if length > at:
            break
        title = text[at - length:at]
        if title in titles and text.endswith(pieces[-1], 0, at - length):
            rest = _titles_behind(pieces[:-1], text, at - length - len(pieces[-1]), titles, lengths)
            if rest is not None:
                return [*rest, title]
    return None


def _said_around(own: Sequence[str], titles: Collection[str], text: str) -> list[str] | None:
    """Where ``text`` says the pieces ``own`` with one of ``titles``
    between each two, the titles it says there (the first place found).
    Found outwards from the longest piece, a title at a time: a regular
    expression of the titles would try each at every letter of the page."""
    middle = max(range(len(own)), key=lambda index: len(own[index]))
    piece = own[middle]
    if len(piece) < MIN_LETTERS:
        return None  # found all over the page by chance, each place tried
    lengths = sorted({len(title) for title in titles})
    start = text.find(piece)
    while start >= 0:
        ahead = _titles_ahead(own[middle + 1:], text, start + len(piece), titles, lengths)
        behind = None if ahead is None else _titles_behind(own[:middle], text, start, titles, lengths)
        if ahead is not None and behind is not None:
            return [*behind, *ahead]
        start = text.find(piece, start + 1)
    return None


def _said_with_other_links(line: str, page: PageSaid, other: PageSaid) -> bool:
    """Whether ``other`` says ``line`` (a line of ``page``) with the whole
    text of one of its links or more replaced by another link's of
    ``other``, the page's own words around them the same: a line that
    came into the body or left it because a teaser's title in it rotated
    (its link text moved the line over the extractor's link-density
    threshold), with no partner line on the other side.  The line's own
    words must be a third of it; each link replaced must be replaced by
    mostly other words, and one of them by a title (two words or more) or
    be one: a word edited inside a link keeps most of its words, a
    one-word link replaced by another word is a one-word edit."""
    if is_edit_notice(line):
        return False
    said = letters(line)
    links = sorted((link for link in page.links if len(link) >= _LINK_LETTERS and link in said), key=len, reverse=True)
    titles = {link for link in other.links if len(link) >= _LINK_LETTERS}
    if not links or not titles:
        return False
    pieces = re.split("(" + "|".join(map(re.escape, links)) + ")", said)
    own, olds = pieces[::2], pieces[1::2]
    if len(olds) > _MOST_TITLES or len("".join(own)) < max(MIN_LETTERS, len(said) // 3):
        return False
    news = _said_around(own, titles, other.letters)
    if news is None:
        return False
    replaced = [(page.links[old], other.links[new]) for old, new in zip(olds, news, strict=True) if old != new]
    return (bool(replaced)
            and all(_mostly_other_words(old, new) for old, new in replaced)
            and any(max(len(old), len(new)) >= LINK_WORDS for old, new in replaced))


def _rotated(gone: list[str], came: list[str], before: PageSaid, after: PageSaid) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    free = list(came)
    for line in gone:
        partner = next((other for other in free if _only_a_link_replaced(line, other, before, after)), None)
        if partner is not None:
            pairs.append((line, partner))
            free.remove(partner)
    return pairs


def _words_said(text: str) -> str:
    """What a text says, its figures aside (``letters`` without digits)."""
    return _DIGIT.sub("", letters(text))


def _furniture_left(places: Sequence[Place]) -> list[str]:
    """The furniture lines that left the body (``places``: where it
    changed) with no line come in their place saying the same words with
    other figures (a counter or a date ticking)."""
    gone, came = _sides(places)
    came_words = {_words_said(line) for line in came}
    return [line for line in (Counter(gone) - Counter(came)).elements()
            if is_furniture(line) and _words_said(line) not in came_words]


# A link's text this long or longer, inside a short line, may be a rotated
# teaser's ("Genre: Pop").
_SHORT_LINK_LETTERS = 3


def left_the_page(left: Sequence[str], before: Sequence[str], before_page: PageSaid, after_page: PageSaid) -> bool:
    """Whether a line that ``left`` the body (``before``), short as it may be
    (a list's item, a subheading: page furniture to the rules above), left
    the page too: the new page no longer says its words, or, too short to
    be found alone, the words of the passage around it in the body; its
    figures aside (a date ticking is no edit).  Not a line holding a
    link's text: a teaser's title rotates out of the page."""
    if not left:
        return False  # the pages' text is not copied for nothing
    links = [link for link in before_page.links if len(link) >= _SHORT_LINK_LETTERS]
    before_words, after_words = _DIGIT.sub("", before_page.letters), _DIGIT.sub("", after_page.letters)
    for line in left:
        said = letters(line)
        if any(link in said for link in links):
            continue
        words = _words_said(_passage_around(before, before.index(line), _words_said))
        if len(words) >= MIN_LETTERS and words in before_words and words not in after_words:
            return True
    return False


def is_churn(before: LineIdentity | None, after: LineIdentity | None,
             pages: Callable[[], tuple[PageSaid, PageSaid]] | None = None) -> bool:
    """Whether a fetch whose identity hash moved changed only the page
    around the article: the same heading, the bodies differing in furniture
    lines and moved lines only, or (given ``pages``: what the previous and
    the new page say, ``storywatch.pagetext.page_said``, read only when the
    lines alone do not decide) in links' rotated titles and in lines both
    pages say.  A furniture line that left the body and the page with it
    is an edit (``left_the_page``)."""
    if before is None or after is None or before.heading != after.heading:
        return False
    places = changed_places(before.lines, after.lines)
    if not places:
        return False
    gone, came = _unexplained(places)
    if pages is None:
        return not gone and not came
    # A short line that left the body with no line come in its place may
    # have left the page: judged on the pages (a list's item removed).
    left = _furniture_left(places)
    if not gone and not came and not left:
        return True
    before_page, after_page = pages()
    if left_the_page(left, before.lines, before_page, after_page):
        return False
    if not gone and not came:
        return True
    rotated = _rotated(gone, came, before_page, after_page)
    for old, new in rotated:
        gone.remove(old)
        came.remove(new)
    if rotated and not gone and not came:
        return True
    gone = [line for line in gone if not _said_with_other_links(line, before_page, after_page)]
    came = [line for line in came if not _said_with_other_links(line, after_page, before_page)]
    if not gone and not came:
        return True
    rotated_lines = {line for pair in rotated for line in pair}
    body = {line for line in (*before.lines, *after.lines) if not is_furniture(line) and line not in rotated_lines}
    gone = [line for line in gone if times_said(line, before_page.letters)
            or not said_with_neighbours(line, before.lines, before_page.letters, after_page.letters)]
    came = [line for line in came if times_said(line, after_page.letters)
            or not said_with_neighbours(line, after.lines, after_page.letters, before_page.letters)]
    return still_said(gone, came, body, before_page.letters, after_page.letters)
