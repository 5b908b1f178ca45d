"""Fiscal years with the Japanese era name (和暦): 2023 -> 令和5年度, 2019 -> 令和元年度.

A fiscal year starts on April 1 and is named by the era in force when the year is reckoned in
city documents: FY2019 is 令和元年度 (the era changed on 1 May 2019, and the city writes the
whole year as 令和元年度), FY1989 is 平成元年度. The first year of an era is written 元.
"""
from django.utils.translation import gettext as _

# (first fiscal year of the era, era name), newest first.
ERAS = (
    (2019, "令和"),
    (1989, "平成"),
    (1926, "昭和"),
    (1912, "大正"),
    (1868, "明治"),
)


def wareki(year: int) -> tuple[str, int]:
    for first, name in ERAS:
        if year >= first:
            return name, year - first + 1
    raise ValueError(f"no era for year {year}")


def wareki_label(year: int) -> str:
    """令和5年度"""
    name, number = wareki(year)
    return _("%(era)s%(number)s年度") % {"era": name, "number": "元" if number == 1 else number}


def fiscal_year_label(year: int) -> str:
    """2023年度（令和5年度）"""
    return _("%(year)s年度（%(wareki)s）") % {"year": year, "wareki": wareki_label(year)}
