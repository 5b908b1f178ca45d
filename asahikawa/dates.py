"""Fiscal years with the Japanese era name (和暦): 2023 -> 令和5年度, 2019 -> 令和元年度.

A fiscal year starts on April 1 and is named by the era in force when the year is reckoned in
city documents: FY2019 is 令和元年度 (the era changed on 1 May 2019, and the city writes the
whole year as 令和元年度), FY1989 is 平成元年度. The first year of an era is written 元.

Two kinds of label:
- for people, in the active language: `fiscal_year_label` (2023年度（令和5年度） / FY2023 (Reiwa 5)),
  the one label shown wherever a year is named on a page, and `wareki_label` (令和5年度 / Reiwa 5);
- for machines (open data, API values), the same whatever the request language: `wareki_text`
  (always 令和5年度).

And the fiscal year of a day: `fiscal_year_of` (2024-03-31 -> 2023) and `fiscal_year_bounds`
(2023 -> 2023-04-01, 2024-03-31), for anything that counts by fiscal year (calendars, reports, quotas).
"""
import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

# (first fiscal year of the era, era name as the city writes it, era name in the active language), newest first.
ERAS = (
    (2019, "令和", pgettext_lazy("era name", "令和")),
    (1989, "平成", pgettext_lazy("era name", "平成")),
    (1926, "昭和", pgettext_lazy("era name", "昭和")),
    (1912, "大正", pgettext_lazy("era name", "大正")),
    (1868, "明治", pgettext_lazy("era name", "明治")),
)


def _era(year: int):
    for first, name, translated in ERAS:
        if year >= first:
            return name, translated, year - first + 1
    raise ValueError(f"no era for year {year}")


def wareki(year: int) -> tuple[str, int]:
    """(era name in Japanese, year of the era): 2023 -> ("令和", 5)."""
    name, _translated, number = _era(year)
    return name, number


def wareki_text(year: int) -> str:
    """令和5年度, 令和元年度: the city's own writing, whatever the active language (for data files and API values)."""
    name, number = wareki(year)
    return f"{name}{'元' if number == 1 else number}年度"


def wareki_label(year: int) -> str:
    """令和5年度 in Japanese, "Reiwa 5" in English."""
    _name, translated, number = _era(year)
    return _("%(era)s%(number)s年度") % {
        "era": translated,
        # The first year of an era: 元 in Japanese, 1 in English.
        "number": pgettext("first year of an era", "元") if number == 1 else number,
    }


def fiscal_year_label(year: int) -> str:
    """The one label of a fiscal year on the pages: 2023年度（令和5年度） / FY2023 (Reiwa 5)."""
    return _("%(year)s年度（%(wareki)s）") % {"year": year, "wareki": wareki_label(year)}


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year a day belongs to: April to March, named by the year it starts."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a fiscal year: 2023 -> (2023-04-01, 2024-03-31)."""
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)
