"""「私の税金の使いみち」: what a resident's city tax pays for, by purpose, each year and each day.

The tax is shared out in proportion to the general account's expenditure by purpose (款), as the
"Where Does My Money Go" sites do. From an income, the individual municipal inhabitant tax
(個人市民税) is estimated simply: salary income only, the employment income deduction
(給与所得控除, the table in force since 2020), the basic deduction (基礎控除 430,000円), the
municipal income levy of 6% (所得割; Asahikawa is not a designated city, so 6% of the 10%) and
the municipal per-capita levy (均等割: 3,500円 to FY2023, 3,000円 from FY2024). Social insurance and
other deductions are not taken into account: the page says it is an estimate.

The household: a single person, or one with dependants (配偶者・扶養親族: the spouse counted among
them). Each dependant is a deduction of 330,000円 (the inhabitant tax's 配偶者控除/扶養控除, general
case), and raises the income under which no tax is due (the standard non-taxable limits:
350,000円 x (1 + dependants) + 100,000円, plus 320,000円 for the income levy / 210,000円 for the
per-capita levy when there are dependants; a single person: 450,000円 for both).

Each purpose's share is shared again among its subcategories (項), so that the page can drill down.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field

from .selectors import purpose_tree

MUNICIPAL_INCOME_RATE = 6  # percent
BASIC_DEDUCTION = 430_000
NON_TAXABLE_INCOME = 450_000  # 合計所得金額 up to this: no inhabitant tax (single person, simplified)
DEPENDANT_DEDUCTION = 330_000
MAX_DEPENDANTS = 9


def non_taxable_limits(dependants: int) -> tuple[int, int]:
    """(income levy, per-capita levy): the 合計所得金額 up to which each is not due."""
    if dependants <= 0:
        return NON_TAXABLE_INCOME, NON_TAXABLE_INCOME
    base = 350_000 * (1 + dependants) + 100_000
    return base + 320_000, base + 210_000


def employment_income_deduction(salary: int) -> int:
    if salary <= 1_625_000:
        return min(salary, 550_000)
    if salary <= 1_800_000:
        return salary * 40 // 100 - 100_000
    if salary <= 3_600_000:
        return salary * 30 // 100 + 80_000
    if salary <= 6_600_000:
        return salary * 20 // 100 + 440_000
    if salary <= 8_500_000:
        return salary * 10 // 100 + 1_100_000
    return 1_950_000


def per_capita_levy(year: int) -> int:
    return 3_500 if year <= 2023 else 3_000


def estimate_city_tax(salary: int, year: int, dependants: int = 0) -> int:
    """The municipal part of the inhabitant tax on a salary, in yen (an estimate); dependants: the
    spouse and relatives the earner supports (0: a single person)."""
    income = max(0, salary - employment_income_deduction(salary))
    income_limit, per_capita_limit = non_taxable_limits(dependants)
    per_capita = per_capita_levy(year) if income > per_capita_limit else 0
    if income <= income_limit:
        return per_capita
    taxable = max(0, income - BASIC_DEDUCTION - DEPENDANT_DEDUCTION * dependants) // 1_000 * 1_000
    income_levy = taxable * MUNICIPAL_INCOME_RATE // 100 // 100 * 100
    return income_levy + per_capita


def days_in_fiscal_year(year: int) -> int:
    """April 1 of `year` to March 31 of the next: 366 when that February has 29 days."""
    return 366 if calendar.isleap(year + 1) else 365


def share(total: int, weights: list[int]) -> list[int]:
    """Split total yen in proportion to weights (largest remainder): the parts add up to total."""
    whole = sum(weights)
    if not whole:
        return [0 for _ in weights]
    parts = [total * weight // whole for weight in weights]
    rest = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


@dataclass
class Slice:
    code: str
    name: str
    budget: int
    per_year: int
    per_day: float
    is_sample: bool
    children: list[Slice] = field(default_factory=list)  # the 項 of a 款, sharing its part


@dataclass
class Result:
    year: int
    tax: int
    estimated_from_income: int | None
    days: int
    slices: list[Slice]
    dependants: int = 0

    @property
    def is_sample(self):
        return any(item.is_sample or any(child.is_sample for child in item.children) for item in self.slices)

    @property
    def has_children(self):
        return any(item.children for item in self.slices)

    @property
    def per_day(self):
        return round(self.tax / self.days, 1)


def _slices(lines, children_of, total: int, days: int) -> list[Slice]:
    parts = share(total, [line.amount for line in lines])
    return [
        Slice(code=line.code, name=line.name, budget=line.amount, per_year=part, per_day=round(part / days, 1),
              is_sample=line.is_sample,
              children=_slices(children_of.get(line.pk, []), {}, part, days) if children_of.get(line.pk) else [])
        for line, part in zip(lines, parts)
    ]


def calculate(*, year: int, tax: int | None = None, income: int | None = None, dependants: int = 0) -> Result | None:
    """None when the year has no breakdown by purpose. dependants: used for the estimate from income."""
    tops, children_of = purpose_tree(year)
    if not tops:
        return None
    estimated_from = None
    if tax is None:
        estimated_from = income
        tax = estimate_city_tax(income or 0, year, dependants)
    days = days_in_fiscal_year(year)
    return Result(year=year, tax=tax, estimated_from_income=estimated_from, days=days,
                  slices=_slices(tops, children_of, tax, days), dependants=dependants if estimated_from is not None else 0)
