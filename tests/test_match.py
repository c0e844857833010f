"""The story query, matched directly on strings."""

from __future__ import annotations

import pytest

from crawler.match import QueryError, StoryQuery

QUERY = 'sora AND (leak* OR "PR Puppets" OR "Hugging Face")'


@pytest.mark.parametrize(
    ("title", "text", "relevant"),
    [
        ("Artists leak Sora", "", True),
        ("OpenAI's SORA", "The tool was LEAKED on Tuesday.", True),  # case, prefix
        ("Sora", "a project by PR Puppets", True),  # phrase
        ("Sora", "PR and Puppets", False),  # phrase words apart
        ("OpenAI launches Sora", "Available to all subscribers.", False),  # hard negative
        ("Hugging Face model", "no mention of the video tool", False),
        ("Sora", "posted on Hugging Face", True),
        ("Sora", "leakage", True),
    ],
)
def test_story_query(title: str, text: str, relevant: bool) -> None:
    assert StoryQuery(QUERY).match(title, None, text).relevant is relevant


def test_terms_and_score_say_why() -> None:
    result = StoryQuery(QUERY).match("Sora leak", "", "Sora leaked by PR Puppets; the leak spread.")
    assert result.relevant
    assert set(result.terms) == {"sora", "leak*", '"PR Puppets"'}
    weaker = StoryQuery(QUERY).match("News", "", "Sora leak")
    assert result.score > weaker.score > 0


def test_not_implicit_and_fields_and_star() -> None:
    assert StoryQuery("sora -launch").match("Sora leak", None, "").relevant
    assert not StoryQuery("sora NOT launch").match("Sora launch", None, "").relevant
    assert not StoryQuery("sora leak").match("Sora", None, "nothing else").relevant  # implicit AND
    assert StoryQuery("title:sora").match("Sora", None, "").relevant
    assert not StoryQuery("title:sora").match("Other", None, "sora").relevant
    assert StoryQuery("*").match(None, None, "anything").relevant
    assert StoryQuery("café").match("CAFÉ news", None, "").relevant  # Unicode casefold


@pytest.mark.parametrize("query", ["sora AND (leak", "author:someone", "sora~2", "date:[2024 TO 2025]"])
def test_bad_queries_are_refused(query: str) -> None:
    with pytest.raises(QueryError):
        StoryQuery(query)


# -- real prose (issue 19): the folding rules, each on its own -----------------


@pytest.mark.parametrize(
    ("query", "text", "relevant"),
    [
        # Scripts separated, CJK segmented into bigrams.
        ("openai AND 動画", "OpenAIの動画生成AI", True),
        ('"hugging face"', "Hugging Face上に公開", True),
        ("流出", "Soraが流出した", True),
        ("流出", "流行が出た", False),  # the two characters, not side by side
        ("泄露 AND sora", "Sora遭艺术家泄露", True),
        ("露", "Sora遭艺术家泄露", True),  # one character: wherever it occurs
        ("露", "Sora遭艺术家泄漏", False),
        # Accents folded on both sides.
        ("tecnologia", "la tecnología de video", True),
        ("künstler", "Kunstler protestieren", True),
        ("hacke", "l'outil a été hacké", True),
        # Joined, camel-case, hashtag, hyphen and underscore forms.
        ('"hugging face"', "posted on HuggingFace", True),
        ('"hugging face"', "posted on huggingface", True),
        ("huggingface", "posted on Hugging Face", True),
        ("sora AND leak*", "#SoraLeak is trending", True),
        ('"pr puppets"', "signed PR_Puppets", True),
        ('"pr puppets"', "signed PR-Puppets", True),
        ('"pr puppets"', "signed PRPuppets", True),
        # Plural and singular of a phrase, without over-stemming.
        ('"pr puppets"', "the PR Puppet collective", True),
        ("protest", "artists protests", True),
        ("protest", "a Protestant church", False),
        # A phrase does not cross a sentence end.
        ('"hugging face"', "They were hugging. Face it, though.", False),
        ('"hugging face"', "They were hugging face masks", True),
    ],
)
def test_real_prose_folding(query: str, text: str, relevant: bool) -> None:
    assert StoryQuery(query).match(None, None, text).relevant is relevant


def test_proximity_within_n_words_in_one_paragraph() -> None:
    near = StoryQuery('"sora leak*"~4')
    assert near.match(None, None, "Sora was quickly leaked by artists").relevant
    assert near.match(None, None, "Artists leaked the tool, Sora, on Tuesday").relevant  # any order
    assert not near.match(None, None, "Sora was, after a long and eventful week, leaked").relevant
    assert not near.match(None, None, "It is about Sora.\nIn other news, a leak at the bank.").relevant
    with pytest.raises(QueryError):
        StoryQuery("sora~4")  # fuzzy words are not supported


def test_lead_tells_an_article_about_the_story_from_a_passing_mention() -> None:
    query = StoryQuery("lead:(sora AND leak*)")
    about = "Kicker\nNov 26\nSora leaked on Tuesday.\nMore detail.\nEven more."
    filler = " ".join(["Veo 2 renders hands and physics well, and its clips hold together."] * 12)
    passing = f"{filler}\nOnce, Sora leaked.\nThe end."  # past the lead's 120 words
    assert query.match("A review", None, about).relevant
    assert not query.match("A review", None, passing).relevant
    assert StoryQuery("sora AND leak*").match("A review", None, passing).relevant
    assert query.match("Sora leak", None, "unrelated body").relevant  # the title is in the lead
    assert query.match(None, "Sora leaked", "unrelated body").relevant  # so is the description


def test_a_term_named_twice_counts_once_and_lead_weighs_more() -> None:
    once = StoryQuery('sora AND "PR Puppets"').match(None, None, "Sora. PR Puppets.\nx\ny\nz")
    twice = StoryQuery('sora AND ("PR Puppets" OR "PR Puppets")').match(None, None, "Sora. PR Puppets.\nx\ny\nz")
    assert once.score == twice.score
    deep = StoryQuery('sora AND "PR Puppets"').match(None, None, "x " * 130 + "\nSora. PR Puppets.")
    assert once.score > deep.score > 0
    assert StoryQuery("sora^3").match("Sora", None, "").score == 3 * StoryQuery("sora").match("Sora", None, "").score
