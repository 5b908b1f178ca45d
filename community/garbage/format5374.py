"""The data folder of the open-source garbage app 5374 (area_days.csv, center.csv, description.csv,
remarks.csv, target.csv): reading a cell of area_days.csv into rules, and writing rules back.

A cell of area_days.csv (one district, one category), tokens separated by spaces:
    月 木          every Monday and Thursday
    火1 火3        the 1st and 3rd Tuesday of the month (also written 1火)
    隔火20230404   every other Tuesday counted from 2023-04-04 (also "隔火 20230404")
    20230415       an explicit collection day (YYYYMMDD)
    *2             remark 2 of remarks.csv
    ... :4 6 8     after a colon: only in these months (the whole cell, not explicit dates)
Full-width digits and spaces are read as half-width (NFKC). Anything else is an error that names
the file, the row and the column.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from asahikawa.dates import fiscal_year_of

from .models import WEEKDAY_LETTERS, OnClosure, OnHoliday, Rule, RuleKind

_WEEKLY = re.compile(rf"^([{WEEKDAY_LETTERS}])$")
_NTH = re.compile(rf"^(?:([{WEEKDAY_LETTERS}])([1-5])|([1-5])([{WEEKDAY_LETTERS}]))$")
_BIWEEKLY = re.compile(rf"^隔([{WEEKDAY_LETTERS}])(\d{{8}})?$")
_DATE = re.compile(r"^\d{8}$")
_REMARK = re.compile(r"^\*(\d+)$")


class CellProblem(ValueError):
    """A cell that cannot be read; the message says why (the caller adds the place)."""


@dataclass
class ParsedCell:
    rules: list = field(default_factory=list)  # unsaved Rule objects (no district, category, year)
    remark_ids: list = field(default_factory=list)


def parse_date(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise CellProblem(_("「%(value)s」は日付として読めません（YYYYMMDD）。") % {"value": text}) from exc


def parse_cell(text: str, *, fiscal_year: int, on_holiday=OnHoliday.COLLECT, on_closure=OnClosure.SKIP) -> ParsedCell:
    text = unicodedata.normalize("NFKC", text or "").strip()
    parsed = ParsedCell()
    if not text:
        return parsed
    days_part, _colon, months_part = text.partition(":")
    months = []
    for token in months_part.split():
        if remark := _REMARK.match(token):
            parsed.remark_ids.append(int(remark.group(1)))
        elif token.isdigit() and 1 <= int(token) <= 12:
            months.append(int(token))
        else:
            raise CellProblem(_("「:」の後には月（1〜12）を空白で区切って書いてください（「%(token)s」）。") % {"token": token})
    if _colon and not months:
        raise CellProblem(_("「:」の後に対象の月がありません。"))
    weekly: list[int] = []
    nth: dict[int, set] = {}
    biweekly: list[datetime.date] = []
    dates: list[datetime.date] = []
    tokens = days_part.split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if match := _WEEKLY.match(token):
            weekly.append(WEEKDAY_LETTERS.index(match.group(1)))
        elif match := _NTH.match(token):
            letter, week = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
            nth.setdefault(WEEKDAY_LETTERS.index(letter), set()).add(int(week))
        elif match := _BIWEEKLY.match(token):
            anchor_text = match.group(2)
            if anchor_text is None:
                if index < len(tokens) and _DATE.match(tokens[index]):
                    anchor_text = tokens[index]
                    index += 1
                else:
                    raise CellProblem(_("「%(token)s」の後に基準日（YYYYMMDD）を書いてください。") % {"token": token})
            anchor = parse_date(anchor_text)
            if anchor.weekday() != WEEKDAY_LETTERS.index(match.group(1)):
                raise CellProblem(_("隔週の基準日 %(day)s は%(weekday)s曜日ではありません。")
                                  % {"day": anchor_text, "weekday": match.group(1)})
            biweekly.append(anchor)
        elif _DATE.match(token):
            day = parse_date(token)
            if fiscal_year_of(day) != fiscal_year:
                raise CellProblem(_("%(day)s は%(year)s年度（4月〜翌年3月）の外の日付です。") % {"day": token, "year": fiscal_year})
            dates.append(day)
        elif remark := _REMARK.match(token):
            parsed.remark_ids.append(int(remark.group(1)))
        else:
            raise CellProblem(_("「%(token)s」は読めません（曜日「月」、第n曜日「火1」、隔週「隔火20230404」、日付「20230415」、注意事項「*1」のいずれか）。")
                              % {"token": token})
    months_text = " ".join(str(month) for month in months)
    common = {"fiscal_year": fiscal_year, "months": months_text, "on_holiday": on_holiday, "on_closure": on_closure}
    if weekly:
        parsed.rules.append(Rule(kind=RuleKind.WEEKLY, weekdays="".join(str(d) for d in sorted(set(weekly))), **common))
    by_weeks: dict[str, list[int]] = {}
    for weekday, weeks in sorted(nth.items()):
        by_weeks.setdefault("".join(str(week) for week in sorted(weeks)), []).append(weekday)
    for weeks, weekdays in by_weeks.items():
        parsed.rules.append(Rule(kind=RuleKind.NTH, weekdays="".join(str(d) for d in weekdays), weeks=weeks, **common))
    for anchor in biweekly:
        parsed.rules.append(Rule(kind=RuleKind.BIWEEKLY, anchor=anchor, **common))
    if dates:
        parsed.rules.append(Rule(kind=RuleKind.DATES, dates=[day.isoformat() for day in sorted(set(dates))],
                                 fiscal_year=fiscal_year, on_holiday=on_holiday, on_closure=on_closure))
    for position, rule in enumerate(parsed.rules):
        rule.position = position
    return parsed


def rule_tokens(rule: Rule) -> list[str]:
    """The rule's days as 5374 tokens, without the months (see cell_text)."""
    if rule.kind == RuleKind.WEEKLY:
        return [WEEKDAY_LETTERS[int(char)] for char in rule.weekdays]
    if rule.kind == RuleKind.NTH:
        return [f"{WEEKDAY_LETTERS[int(day)]}{week}" for day in rule.weekdays for week in rule.weeks]
    if rule.kind == RuleKind.BIWEEKLY:
        return [f"隔{WEEKDAY_LETTERS[rule.anchor.weekday()]}{rule.anchor:%Y%m%d}"]
    return [day.strftime("%Y%m%d") for day in rule.date_list()]


def cell_text(*, pattern_rules, months: str = "", extra_dates=(), remark_ids=()) -> str:
    """A cell from rules that share one month limit, extra explicit dates and remark numbers."""
    tokens = [token for rule in pattern_rules for token in rule_tokens(rule)]
    tokens += [day.strftime("%Y%m%d") for day in sorted(extra_dates)]
    tokens += [f"*{number}" for number in remark_ids]
    text = " ".join(tokens)
    if months:
        text += ":" + months
    return text


def parse_closure_date(text: str) -> datetime.date:
    """center.csv dates: 2023/12/29, 2023-12-29 or 20231229."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    for pattern in ("%Y/%m/%d", "%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellProblem(_("「%(value)s」は日付として読めません（例: 2023/12/29）。") % {"value": text})
