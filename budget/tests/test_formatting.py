"""Amounts as the city writes them, against a table checked by hand."""
import pytest

from budget.eras import fiscal_year_label, wareki_label
from budget.formatting import oku_man, signed_oku_man, yen

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


def test_fiscal_year_label():
    assert fiscal_year_label(2023) == "2023年度（令和5年度）"
