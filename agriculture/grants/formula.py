"""The subsidy formula: one pure function, integers of yen only (no floats, no Decimal).

For an application whose eligible cost (対象経費, yen excluding tax) is the sum of its line items:

1. by rate:     cost x rate (a fraction, e.g. 2/10), rounded down to the yen, then down to the
                program's unit (e.g. 千円未満切り捨て: unit 1,000);
2. cap:         at most the cap per application (e.g. 800,000 yen), when the program has one;
3. combined:    when the program combines with a national subsidy, the city's amount plus the
                national amount may not exceed the combined limit (e.g. 5/10) of the cost:
                room = cost x limit (rounded down to the yen) - national amount, rounded down to
                the unit, never below zero;
4. the amount is the smallest of these (never negative). `limited_by` names which one decided it
   (ties go to the earlier one: rate, then cap, then combined).

A cap should be a multiple of the unit (Program.clean checks it); the result is always a multiple
of the unit.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_COST = 100_000_000_000  # 1,000億円: far above any grant; keeps every product within a bigint


@dataclass(frozen=True)
class Formula:
    rate_numerator: int
    rate_denominator: int
    cap: int | None = None
    unit: int = 1
    combined_numerator: int | None = None
    combined_denominator: int | None = None

    def __post_init__(self):
        if self.rate_denominator < 1 or not (0 <= self.rate_numerator <= self.rate_denominator):
            raise ValueError("the rate must be a fraction between 0 and 1")
        if self.unit < 1:
            raise ValueError("the rounding unit must be at least 1 yen")
        if self.cap is not None and self.cap < 0:
            raise ValueError("the cap cannot be negative")
        if (self.combined_numerator is None) != (self.combined_denominator is None):
            raise ValueError("the combined limit needs both its numerator and its denominator")
        if self.combined_denominator is not None and (
            self.combined_denominator < 1 or not (0 <= self.combined_numerator <= self.combined_denominator)
        ):
            raise ValueError("the combined limit must be a fraction between 0 and 1")

    @property
    def combines(self) -> bool:
        return self.combined_numerator is not None


@dataclass(frozen=True)
class Amount:
    eligible_cost: int
    by_rate: int
    cap: int | None
    combined_room: int | None
    amount: int
    limited_by: str  # "rate", "cap" or "combined"


def floor_to(value: int, unit: int) -> int:
    """Round a non-negative amount down to a multiple of unit."""
    return value // unit * unit


def subsidy_amount(formula: Formula, *, costs: Iterable[int], national_subsidy: int = 0) -> Amount:
    """The subsidy for these line-item costs (yen excluding tax). national_subsidy counts only
    where the formula combines with a national subsidy."""
    costs = list(costs)
    for cost in costs:
        if not isinstance(cost, int) or isinstance(cost, bool) or cost < 0 or cost > MAX_COST:
            raise ValueError(f"a cost must be an integer of yen between 0 and {MAX_COST}: {cost!r}")
    if not isinstance(national_subsidy, int) or isinstance(national_subsidy, bool) or national_subsidy < 0:
        raise ValueError("the national subsidy must be a non-negative integer of yen")
    eligible = sum(costs)
    by_rate = floor_to(eligible * formula.rate_numerator // formula.rate_denominator, formula.unit)
    amount, limited_by = by_rate, "rate"
    if formula.cap is not None and formula.cap < amount:
        amount, limited_by = floor_to(formula.cap, formula.unit), "cap"
    room = None
    if formula.combines:
        limit = eligible * formula.combined_numerator // formula.combined_denominator
        room = floor_to(max(0, limit - national_subsidy), formula.unit)
        if room < amount:
            amount, limited_by = room, "combined"
    return Amount(eligible_cost=eligible, by_rate=by_rate, cap=formula.cap, combined_room=room,
                  amount=max(0, amount), limited_by=limited_by)
