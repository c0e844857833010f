"""Tokens for the story query: the same folding on the query's side and the
text's, so that what a reader sees as the same word is the same token.

- Unicode NFKC, case folding and accent folding ("tecnología" = "tecnologia",
  "Künstler" = "Kunstler", "hacké" = "hacke").
- Words split at script changes and inside joined forms: camel case
  ("HuggingFace", "#SoraLeak"), underscores ("PR_Puppets"), hyphens, letter
  and digit runs ("Sora2").  A joined lower-case form ("huggingface") is
  matched by the query as the concatenation of neighbouring tokens.
- Chinese, Japanese, Korean and Thai runs, written without spaces, become
  overlapping character bigrams (what Lucene's CJK analyzer does): a
  dictionary segmenter (ICU) would need a compiler and libicu on every
  machine, and bigrams find a query word inside a glued run just as well.
- A minimal English stemmer (plural "s", "es", "ies"; Lucene's
  EnglishMinimalStemFilter, after Harman 1991), so "PR Puppet" matches
  "PR Puppets".  Snowball's English stemmer was rejected: it folds
  "Protestant" into "protest", a measured false positive.
- Sentence and paragraph numbers on every token, so a phrase never spans a
  sentence end ("hugging. Face it") and proximity stays in one paragraph.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

_CJK = "\u0e00-\u0e7f\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A CJK run, or a run of letters and digits in any other script.
_WORD = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
# Camel-case humps and letter/digit runs inside one word: "PRPuppets" ->
# PR, Puppets; "HuggingFace" -> Hugging, Face; "Sora2" -> Sora, 2.
_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_a-zA-Z]+")
# A sentence ends at . ! ? (and their full-width forms) before a space or the
# end, or at 。！？ anywhere; a paragraph at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)\]]*\s+|(?<=[。！？])")


@dataclasses.dataclass(frozen=True, slots=True)
class Token:
    form: str  # folded: case, accents, width
    stem: str  # form, minimally stemmed
    sentence: int
    paragraph: int


def _unaccented(text: str) -> str:
    """NFKC, then without combining marks (case kept, for camel case)."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def fold(text: str) -> str:
    """Case, width and accent folding."""
    return _unaccented(text).casefold()


def minimal_stem(word: str) -> str:
    """English plural folding (EnglishMinimalStemFilter's rules)."""
    if len(word) < 3 or not word.isalpha() or word[-1] != "s" or word[-2] in "us":
        return word
    if word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    return word[:-1]


def _parts(word: str) -> list[str]:
    """A word's pieces: camel-case humps, letter and digit runs, CJK bigrams."""
    if _CJK_RUN.fullmatch(word):
        if len(word) == 1:
            return [word]
        return [word[i : i + 2] for i in range(len(word) - 1)]
    # Camel case is split before case is folded away.
    return _PART.findall(_unaccented(word)) or [word]


def words(text: str) -> list[str]:
    """The folded words of a piece of text, without positions (for query terms)."""
    return [form for word in _WORD.findall(unicodedata.normalize("NFKC", text)) for form, _ in _folded_parts(word)]


@functools.lru_cache(maxsize=65536)
def _folded_parts(word: str) -> tuple[tuple[str, str], ...]:
    """(form, stem) of each piece of a word; words repeat, so this is cached."""
    forms = [part.casefold() for part in _parts(word)]
    return tuple((form, minimal_stem(form)) for form in forms)


def tokenize(text: str, first_paragraph: int = 0) -> list[Token]:
    tokens: list[Token] = []
    sentence = 0
    paragraphs = [p for p in text.split("\n") if p.strip()]
    for number, paragraph in enumerate(paragraphs, start=first_paragraph):
        for chunk in _SENTENCE_END.split(unicodedata.normalize("NFKC", paragraph)):
            found = False
            for word in _WORD.findall(chunk):
                for form, stem in _folded_parts(word):
                    tokens.append(Token(form, stem, sentence, number))
                    found = True
            if found:
                sentence += 1
    return tokens


def is_cjk(word: str) -> bool:
    return bool(_CJK_RUN.fullmatch(word))


# The lead: the first words of the text.  Counted in words, not paragraphs:
# extracted text often opens with short lines (kickers, datelines, headings,
# "Erschienen am:") that would use up a paragraph count.
LEAD_WORDS = 120


def lead(tokens: list[Token], words: int = LEAD_WORDS) -> list[Token]:
    """The tokens of the text's first ``words`` words; a CJK bigram counts
    half a word (a Chinese or Japanese word is about two characters)."""
    weight = 0.0
    for index, token in enumerate(tokens):
        weight += 0.5 if _CJK_RUN.fullmatch(token.form) else 1.0
        if weight > words:
            return tokens[:index]
    return tokens
