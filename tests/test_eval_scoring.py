"""The extraction bench's body score (bench/eval_extraction.py) on strings."""

from __future__ import annotations

from bench.eval_extraction import _shingles, _words


def test_words_are_split_on_spaces() -> None:
    assert _words("Artists leak  OpenAI's Sora\nvideo tool") == ["artists", "leak", "openai's", "sora", "video", "tool"]


def test_a_chinese_or_japanese_character_is_a_word() -> None:
    # Written without spaces, a paragraph would be one "word": a reference
    # whose quote marks were decoded differently would share no shingle
    # with a text that is the same article.
    assert _words("梁振英道歉，“撒谎” Sora") == ["梁", "振", "英", "道", "歉", ",“", "撒", "谎", "”", "sora"]
    assert _words("６月12日の会談") == ["6", "月", "12", "日", "の", "会", "談"]
    lead = "香港行政长官梁振英在各方压力下就其大宅的违章建筑问题到立法会接受质询。\n"
    truth = lead + "不过议员们普遍指责梁振英\x93撒谎\x94，要求他马上辞职下台。"
    extracted = lead + "不过议员们普遍指责梁振英“撒谎”，要求他马上辞职下台。"
    common = _shingles(truth) & _shingles(extracted)
    assert len(common) / len(_shingles(truth)) > 0.8
