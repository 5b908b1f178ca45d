"""Amounts and fiscal years in each language, against tables checked by hand: Japanese as the
city writes them, English in the short scale."""
import pytest
from django.utils import translation

from asahikawa.dates import fiscal_year_label, wareki_label, wareki_text
from asahikawa.money import city_japanese, oku_man, signed_oku_man, yen

HAND_CHECKED = [
    # The newsletter's own figures (万円未満は四捨五入).
    (292_957_130_000, "2,929億5,713万円"),
    (169_270_000_000, "1,692億7,000万円"),
    (123_687_130_000, "1,236億8,713万円"),
    (7_034_010_000, "70億3,401万円"),
    (3_460_000_000, "34億6,000万円"),
    (3_574_010_000, "35億7,401万円"),
    # Edges: whole 億, no 万 part, rounding half up, carries, small amounts, 兆.
    (100_000_000, "1億円"),
    (5_000_000_000, "50億円"),
    (10_000, "1万円"),
    (123_456, "12万円"),
    (125_000, "13万円"),
    (124_999, "12万円"),
    (99_995_000, "1億円"),
    (99_994_999, "9,999万円"),
    (1_234_567_890, "12億3,457万円"),
    (9_999, "9,999円"),
    (0, "0円"),
    (1_000_000_000_000, "1兆円"),
    (1_234_500_000_000, "1兆2,345億円"),
    (10_000_050_000, "100億5万円"),
]


@pytest.mark.parametrize(("amount", "expected"), HAND_CHECKED)
def test_oku_man_writes_amounts_as_the_city_does(amount, expected):
    assert oku_man(amount) == expected
    with translation.override("ja"):
        assert oku_man(amount) == expected
    with translation.override("en"):
        assert city_japanese(amount) == expected  # the city's notation for data, whatever the language


# ≥ 1 billion yen: billions, two decimals at most; ≥ 1 million: millions, one decimal at most;
# below: the exact yen. Rounded half up; trailing zeros dropped.
HAND_CHECKED_ENGLISH = [
    # The newsletter's own figures.
    (292_957_130_000, "¥292.96 billion"),
    (169_270_000_000, "¥169.27 billion"),
    (123_687_130_000, "¥123.69 billion"),
    (7_034_010_000, "¥7.03 billion"),
    (3_460_000_000, "¥3.46 billion"),
    (3_574_010_000, "¥3.57 billion"),
    (620_000_000, "¥620 million"),  # 議会費
    # Edges: whole billions and millions, trailing zeros, rounding half up, carries, small amounts.
    (1_000_000_000, "¥1 billion"),
    (5_000_000_000, "¥5 billion"),
    (1_500_000_000, "¥1.5 billion"),
    (1_005_000_000, "¥1.01 billion"),
    (1_004_999_999, "¥1 billion"),
    (999_950_000, "¥1 billion"),  # 999.95 million rounds to 1,000.0 million: written in billions
    (999_949_999, "¥999.9 million"),
    (760_000_000, "¥760 million"),
    (3_550_000, "¥3.6 million"),
    (3_549_999, "¥3.5 million"),
    (1_000_000, "¥1 million"),
    (999_999, "¥999,999"),
    (12_345, "¥12,345"),
    (0, "¥0"),
    (1_234_500_000_000, "¥1,234.5 billion"),
]


@pytest.mark.parametrize(("amount", "expected"), HAND_CHECKED_ENGLISH)
def test_oku_man_in_english_uses_the_short_scale(amount, expected):
    with translation.override("en"):
        assert oku_man(amount) == expected


def test_signed_changes_in_english():
    with translation.override("en"):
        assert signed_oku_man(7_034_010_000) == "+¥7.03 billion"
        assert signed_oku_man(-500_000_000) == "-¥500 million"
        assert signed_oku_man(0) == "±¥0"
        assert yen(292_957_130_000) == "292,957,130,000 yen"  # the exact yen, on hover and in tables


def test_signed_changes():
    assert signed_oku_man(7_034_010_000) == "+70億3,401万円"
    assert signed_oku_man(-500_000_000) == "-5億円"
    assert signed_oku_man(0) == "±0円"


def test_exact_yen():
    assert yen(292_957_130_000) == "292,957,130,000円"


@pytest.mark.parametrize(("year", "expected"), [
    (2023, "令和5年度"), (2019, "令和元年度"), (2018, "平成30年度"), (1989, "平成元年度"), (1988, "昭和63年度"),
])
def test_era_names(year, expected):
    assert wareki_label(year) == expected


@pytest.mark.parametrize(("year", "expected"), [
    (2023, "Reiwa 5"), (2019, "Reiwa 1"), (2018, "Heisei 30"), (1989, "Heisei 1"), (1988, "Showa 63"),
])
def test_era_names_in_english(year, expected):
    with translation.override("en"):
        assert wareki_label(year) == expected


@pytest.mark.parametrize("language", ["ja", "en"])
def test_wareki_text_is_the_same_in_every_language(language):
    with translation.override(language):
        assert [wareki_text(year) for year in (2023, 2019, 1989)] == ["令和5年度", "令和元年度", "平成元年度"]


def test_fiscal_year_label():
    assert fiscal_year_label(2023) == "2023年度（令和5年度）"
    assert fiscal_year_label(2019) == "2019年度（令和元年度）"
    with translation.override("en"):
        assert fiscal_year_label(2023) == "FY2023 (Reiwa 5)"
        assert fiscal_year_label(2019) == "FY2019 (Reiwa 1)"


@pytest.mark.parametrize(
    "day, year",
    [("2023-04-01", 2023), ("2024-03-31", 2023), ("2024-04-01", 2024), ("2024-01-01", 2023), ("2019-05-01", 2019)],
)
def test_fiscal_year_of_a_day(day, year):
    import datetime

    from asahikawa.dates import fiscal_year_bounds, fiscal_year_of

    day = datetime.date.fromisoformat(day)
    assert fiscal_year_of(day) == year
    first, last = fiscal_year_bounds(year)
    assert first <= day <= last and (first.month, first.day, last.month, last.day) == (4, 1, 3, 31)
