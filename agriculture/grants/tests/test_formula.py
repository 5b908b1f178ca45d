"""The subsidy formula against hand-checked cases, for each sample program of the demo (the same
values the demo loads): rate, cap, rounding down to the unit, and the combined limit with the
national subsidy (smart agriculture: the city's 2/10 and the national 3/10, at most 5/10)."""
import pytest

from agriculture.grants.demo import PROGRAMS
from agriculture.grants.formula import Formula, subsidy_amount

SPECS = {spec["code"]: spec for spec in PROGRAMS}


def formula_of(code):
    spec = SPECS[code]
    return Formula(
        rate_numerator=spec["rate_numerator"], rate_denominator=spec["rate_denominator"], cap=spec.get("cap"),
        unit=spec.get("rounding_unit", 1000), combined_numerator=spec.get("combined_numerator"),
        combined_denominator=spec.get("combined_denominator"),
    )


# (program, line-item costs in yen excluding tax, national subsidy, expected amount, what limited it)
CASES = [
    # SMART: 2/10, cap 1,000,000 (sample), 1,000-yen unit (sample), with the national 3/10 at most 5/10 together.
    ("SMART", [1_000_000], 300_000, 200_000, "rate"),        # 2/10 = 200,000; 5/10 - 3/10 = 200,000 too
    ("SMART", [1_234_567], 370_370, 246_000, "rate"),        # 246,913.4 -> 246,000; room 617,283 - 370,370 = 246,913 -> 246,000
    ("SMART", [1_000_000], 400_000, 100_000, "combined"),    # national 4/10: the city only 1/10
    ("SMART", [1_000_000], 500_000, 0, "combined"),          # national already 5/10
    ("SMART", [1_000_000], 650_000, 0, "combined"),          # national above 5/10: never negative
    ("SMART", [10_000_000], 3_000_000, 1_000_000, "cap"),    # 2,000,000 by rate; capped
    ("SMART", [6_000_000], 2_700_000, 300_000, "combined"),  # cap 1,000,000, but 3,000,000 - 2,700,000 = 300,000
    ("SMART", [4_999], 0, 0, "rate"),                        # 999 -> rounded down to 0
    ("SMART", [5_000], 0, 1_000, "rate"),
    ("SMART", [1_650_000, 1_230_000], 864_000, 576_000, "rate"),  # the demo's approved application
    ("SMART", [333_333, 333_333, 333_334], 300_001, 199_000, "combined"),  # room 199,999 -> 199,000
    # CROP: 1/2, cap 2,000,000 (sample); no national subsidy (a national amount changes nothing).
    ("CROP", [3_150_000], 0, 1_575_000, "rate"),
    ("CROP", [4_000_000], 0, 2_000_000, "rate"),             # exactly the cap: the rate decides
    ("CROP", [5_000_000], 0, 2_000_000, "cap"),
    ("CROP", [123_457], 0, 61_000, "rate"),                  # 61,728.5 -> 61,000
    ("CROP", [1_999], 0, 0, "rate"),
    ("CROP", [1_000_000], 900_000, 500_000, "rate"),         # not combined: the national amount is ignored
    # SOLAR: 1/3, cap 500,000 (sample).
    ("SOLAR", [1_000_000], 0, 333_000, "rate"),              # 333,333.3 -> 333,000
    ("SOLAR", [1_500_000], 0, 500_000, "rate"),
    ("SOLAR", [1_500_003], 0, 500_000, "rate"),              # 500,001 -> 500,000: not above the cap
    ("SOLAR", [1_503_000], 0, 500_000, "cap"),               # 501,000
    ("SOLAR", [2_999], 0, 0, "rate"),
    # COGEN: 1/3, cap 1,000,000 (sample).
    ("COGEN", [2_400_000], 0, 800_000, "rate"),
    ("COGEN", [2_900_000], 0, 966_000, "rate"),
    ("COGEN", [3_100_000], 0, 1_000_000, "cap"),
    # BATTERY: 1/3, cap 300,000 (sample).
    ("BATTERY", [980_000], 0, 300_000, "cap"),               # 326,666 -> 326,000 -> 300,000
    ("BATTERY", [600_000], 0, 200_000, "rate"),
    ("BATTERY", [899_999], 0, 299_000, "rate"),
    # PELLET: 1/2, cap 150,000 (sample).
    ("PELLET", [420_000, 80_000], 0, 150_000, "cap"),
    ("PELLET", [299_999], 0, 149_000, "rate"),
    ("PELLET", [1_000], 0, 0, "rate"),
    # WOOD: 1/2, cap 100,000 (sample).
    ("WOOD", [199_999], 0, 99_000, "rate"),
    ("WOOD", [200_000], 0, 100_000, "rate"),
    ("WOOD", [465_000], 0, 100_000, "cap"),
    # HOUSE: 1/2 (sample), cap 800,000 (the newsletter's).
    ("HOUSE", [1_200_000], 0, 600_000, "rate"),
    ("HOUSE", [1_600_000], 0, 800_000, "rate"),
    ("HOUSE", [3_000_000], 0, 800_000, "cap"),
    ("HOUSE", [1_599_999], 0, 799_000, "rate"),              # 799,999.5 -> 799,000
    # HEARING: the whole cost up to 3,000 yen, to the yen (all sample).
    ("HEARING", [5_400], 0, 3_000, "cap"),
    ("HEARING", [2_800], 0, 2_800, "rate"),
    ("HEARING", [3_000], 0, 3_000, "rate"),
    ("HEARING", [], 0, 0, "rate"),
]


@pytest.mark.parametrize("code, costs, national, expected, limited_by", CASES,
                         ids=[f"{c[0]}-{'+'.join(map(str, c[1])) or 'none'}-{c[2]}" for c in CASES])
def test_the_formula_table(code, costs, national, expected, limited_by):
    result = subsidy_amount(formula_of(code), costs=costs, national_subsidy=national)
    assert (result.amount, result.limited_by) == (expected, limited_by)
    assert result.eligible_cost == sum(costs)
    assert result.amount % formula_of(code).unit == 0


def test_every_sample_program_has_cases():
    assert {case[0] for case in CASES} == set(SPECS)


def test_the_newsletter_values_are_the_demo_values():
    assert (SPECS["SMART"]["rate_numerator"], SPECS["SMART"]["rate_denominator"]) == (2, 10)
    assert (SPECS["SMART"]["combined_numerator"], SPECS["SMART"]["combined_denominator"]) == (5, 10)
    assert SPECS["HOUSE"]["cap"] == 800_000
    assert {code: SPECS[code]["max_grants"] for code in ("SOLAR", "COGEN", "BATTERY", "PELLET", "WOOD")} == {
        "SOLAR": 10, "COGEN": 22, "BATTERY": 25, "PELLET": 13, "WOOD": 22}


def test_the_city_and_national_never_exceed_five_tenths_together():
    formula = formula_of("SMART")
    for cost in (1, 999, 1_000, 12_345, 999_999, 1_000_001, 3_333_333, 9_999_999):
        for national_tenths in range(0, 7):
            national = cost * national_tenths // 10
            result = subsidy_amount(formula, costs=[cost], national_subsidy=national)
            assert result.amount + national <= cost * 5 // 10 or result.amount == 0
            assert 0 <= result.amount <= cost * 2 // 10


@pytest.mark.parametrize("kwargs", [
    {"rate_numerator": 3, "rate_denominator": 2}, {"rate_numerator": 1, "rate_denominator": 0},
    {"rate_numerator": 1, "rate_denominator": 2, "unit": 0}, {"rate_numerator": 1, "rate_denominator": 2, "cap": -1},
    {"rate_numerator": 1, "rate_denominator": 2, "combined_numerator": 5},
    {"rate_numerator": 1, "rate_denominator": 2, "combined_numerator": 6, "combined_denominator": 5},
])
def test_a_formula_that_makes_no_sense_is_refused(kwargs):
    with pytest.raises(ValueError):
        Formula(**kwargs)


@pytest.mark.parametrize("costs, national", [([-1], 0), ([1.5], 0), (["100"], 0), ([True], 0), ([10**12], 0), ([1], -1)])
def test_costs_must_be_yen_integers(costs, national):
    with pytest.raises(ValueError):
        subsidy_amount(formula_of("SMART"), costs=costs, national_subsidy=national)
