"""Readings and search folding, against words checked by hand."""
import pytest

from asahikawa.japanese import fold, furigana_html, reading, ruby_segments

HAND_CHECKED = [
    ("旭川", "あさひかわ"),
    ("除雪", "じょせつ"),
    ("電池", "でんち"),
    ("燃やせるごみ", "もやせるごみ"),
    ("回覧板", "かいらんばん"),
    ("防災", "ぼうさい"),
]


@pytest.mark.parametrize("word, expected", HAND_CHECKED)
def test_readings_of_hand_checked_words(word, expected):
    assert reading(word) == expected


@pytest.mark.parametrize("typed, stored", [("ぺっと", "ペットボトル"), ("ﾍﾟｯﾄ", "ペットボトル"), ("ＰＥＴ", "pet"), ("カン", "かん")])
def test_fold_ignores_script_width_and_case(typed, stored):
    assert fold(typed) in fold(stored)


def test_ruby_covers_only_the_kanji():
    assert ruby_segments("旭川市の除雪") == [("旭川市", "あさひかわし"), ("の", None), ("除雪", "じょせつ")]
    assert ruby_segments("食べる") == [("食", "た"), ("べる", None)]
    assert ruby_segments("ごみの日") == [("ごみの", None), ("日", "ひ")]


def test_staff_can_correct_a_reading():
    assert ruby_segments("神楽岡の除雪", {"神楽岡": "かぐらおか"})[0] == ("神楽岡", "かぐらおか")
    assert ruby_segments("明日", {"明日": "あした"}) == [("明日", "あした")]


def test_furigana_html_escapes_the_text():
    html = furigana_html("<b>除雪</b>")
    assert html == "&lt;b&gt;<ruby>除雪<rp>(</rp><rt>じょせつ</rt><rp>)</rp></ruby>&lt;/b&gt;"
