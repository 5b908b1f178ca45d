"""The plan of an import: a checked file's canonical lines, and what they add or replace."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from asahikawa.spreadsheets import CellErrors, file_name

from .. import selectors
from ..models import GENERAL_ACCOUNT_CODE, latest_importable_year
from . import checks, compact
from .compact import items_of
from .layouts import ITEM_TABLES, canonical_chunk, detect_layout, finish_lines
from .reading import read_budget_chunks

# Rows read at a time: a chunk's text cells are Python strings (about 1 KB a row at most), the
# lines kept of it are compact (budget/importing/compact.py).
CHUNK_ROWS = 20_000
# A file with this many errors is refused without reading on: the person fixes these first.
MAX_ERRORS = 1_000


@dataclass
class Unit:
    """What one import writes as a whole: the lines of one (year, table, account)."""

    year: int
    table: str
    account: str
    rows: int
    amount: int
    existing_rows: int = 0
    previous_amount: int | None = None  # an account unit: the amount the database holds now

    @property
    def replaces(self):
        return self.existing_rows > 0


@dataclass
class Plan:
    """A checked file, ready to write: its canonical lines (kept by year, on disk) and what they replace."""

    layout: str
    store: compact.LineStore
    units: list[Unit]
    new_accounts: dict[str, str] = field(default_factory=dict)  # code -> name
    year_sample: dict[int, bool] = field(default_factory=dict)  # year -> totals are sample
    source: str = ""
    unit: int = 1
    warnings: list[str] = field(default_factory=list)

    @property
    def years(self):
        return sorted({unit.year for unit in self.units})

    def lines_by_year(self):
        """(year, its checked lines with their depth), one year at a time."""
        for year in self.store.years:
            yield year, self.store.lines(year)

    def describe(self):
        """Lines a person reads: what the import would change."""
        out = []
        if self.unit != 1:
            out.append(_("金額の単位: %(unit)s円（ファイルの値を%(unit)s倍して取り込みます）") % {"unit": f"{self.unit:,}"})
        for unit in self.units:
            verb = _("置き換え") if unit.replaces else _("追加")
            out.append(
                _("%(year)s年度 %(table)s %(account)s: %(rows)s行 合計 %(amount)s円（%(verb)s、既存 %(existing)s行）") % {
                    "year": unit.year, "table": unit.table, "account": unit.account or "-", "rows": unit.rows,
                    "amount": f"{unit.amount:,}", "verb": verb, "existing": unit.existing_rows,
                }
            )
            if unit.table == "account" and unit.previous_amount is not None:
                values = {"year": unit.year, "account": unit.account, "old": f"{unit.previous_amount:,}",
                          "new": f"{unit.amount:,}", "diff": f"{unit.amount - unit.previous_amount:+,}"}
                if unit.amount == unit.previous_amount:
                    out.append(_("%(year)s年度 会計 %(account)s の総額: %(old)s円（変わりません）") % values)
                else:
                    out.append(_("%(year)s年度 会計 %(account)s の総額: %(old)s円 → %(new)s円（%(diff)s円）") % values)
        for code, name in self.new_accounts.items():
            out.append(_("新しい会計: %(code)s（%(name)s）") % {"code": code, "name": name})
        return out


def build_plan(file, *, layout="auto", replace=False, sample=False, unit=1, account=GENERAL_ACCOUNT_CODE,
               source="") -> Plan:
    """Read and check the file (a path, or an uploaded/opened binary file); raise SpreadsheetError
    naming every problem by file, row and column, or return the Plan. Nothing is written."""
    store = compact.LineStore()
    try:
        return _build_plan(store, file, layout=layout, replace=replace, sample=sample, unit=unit, account=account,
                           source=source)
    except BaseException:
        store.close()
        raise


def _build_plan(store, file, *, layout, replace, sample, unit, account, source) -> Plan:
    """The steps in the order of the checks; each step that can refuse the file goes through every
    year (one year's lines in memory at a time) before the file is refused or the next step begins."""
    name = file_name(file)
    errors = CellErrors(name)
    for chunk in read_budget_chunks(file, name=name, chunksize=CHUNK_ROWS):
        if layout == "auto":
            layout = detect_layout(chunk)
        chunk_lines = canonical_chunk(chunk, layout, errors, account=account, sample=sample, unit=unit)
        del chunk
        checks.check_text(chunk_lines, errors)
        store.add(chunk_lines)
        del chunk_lines
        if len(errors) >= MAX_ERRORS:
            break
    errors.raise_if_any()
    years = store.years

    latest = latest_importable_year()
    for year in years:
        lines = store.lines(year)
        finished = finish_lines(lines, layout, errors, account=account, sample=sample)
        checks.check_years_not_far_ahead(finished, latest, errors)
        if finished is not lines:
            store.put(year, finished)
    errors.raise_if_any()

    for year in years:
        lines = store.lines(year)
        checks.check_duplicates(lines, errors)
        checks.depths(items_of(lines), errors)
    errors.raise_if_any()

    others = store.others()  # the file's account, fund and total lines: a few a year
    accounts = checks.Accounts.of(others, years)
    existing = selectors.imported_units(years)
    units, replaced, first_lines, derived = [], set(), {}, []
    for year in years:
        lines = store.lines(year)
        lines["depth"] = checks.depths(items_of(lines), errors).reindex(lines.index).fillna(0).astype("int8")
        checks.check_children_sum(items_of(lines), errors)
        read = len(lines)
        lines = checks.check_breakdowns_match_accounts(lines, accounts, errors, derive=layout == "spendingjp",
                                                       sample=sample, replace=replace)
        derived.append(lines.iloc[read:].copy())  # account lines derived from the breakdowns (spending.jp)
        store.put(year, lines)
        replaced |= checks.item_units(lines)
        for code, line in checks.first_lines_of_accounts(lines).items():
            first_lines[code] = min(line, first_lines.get(code, line))
        units += _units(lines, replace=replace, errors=errors, previous=accounts.database, existing=existing)
    checks.check_accounts_exist(first_lines, accounts, errors)
    others = pd.concat([others, *derived], ignore_index=True)
    checks.check_stated_totals(others, accounts, errors)
    checks.check_kept_breakdowns(replaced, accounts, years, errors)
    errors.raise_if_any()

    new_accounts = {row.account: row.name or row.account
                    for row in others[others["table"] == "account"].itertuples() if row.account not in accounts.known}
    return Plan(layout=layout, store=store, units=units, new_accounts=new_accounts,
                year_sample=_year_sample(others, years), source=source or name, unit=unit,
                warnings=_warnings(others, unit))


# A general account under this is no city's budget (Asahikawa's is about 1,700億円): most likely a
# file in thousands of yen read as yen.
IMPLAUSIBLE_GENERAL = 1_000_000_000


def _warnings(lines: pd.DataFrame, unit: int) -> list[str]:
    """What the import does not refuse but a person should look at before writing."""
    warnings = []
    general = lines[(lines["table"] == "account") & (lines["account"] == GENERAL_ACCOUNT_CODE)]
    for row in general[general["amount"] < IMPLAUSIBLE_GENERAL].itertuples():
        values = {"year": row.year, "amount": f"{int(row.amount):,}"}
        if unit == 1:
            warnings.append(_("%(year)s年度の一般会計の総額が %(amount)s円 です。市の予算としては小さすぎます（10億円未満）。"
                              "千円単位のファイルなら単位に1000を指定してください（--unit 1000）。") % values)
        else:
            warnings.append(_("%(year)s年度の一般会計の総額が %(amount)s円 です。市の予算としては小さすぎます（10億円未満）。"
                              "ファイルの単位を確かめてください。") % values)
    return warnings


def _units(lines: pd.DataFrame, *, replace: bool, errors: CellErrors, previous: dict, existing: dict) -> list[Unit]:
    """One unit per (year, table, account); one already in the database (existing: its rows) is
    imported again only on purpose."""
    units = []
    for (year, table, code), group in lines.groupby(["year", "table", "account"], sort=True, observed=True):
        if table == "total":
            continue
        count = existing.get((year, table, code), 0)
        if count and not replace:
            errors.add(group["line"].min(), "year", _(
                "%(year)s年度の%(table)s（会計 %(account)s）はすでに取り込まれています。置き換えるときは --replace を付けてください。") % {
                "year": year, "table": table, "account": code or "-"})
        amount = int(group.loc[group["depth"] == 0, "amount"].sum()) if table in ITEM_TABLES else int(group["amount"].sum())
        units.append(Unit(int(year), table, code, len(group), amount, count,
                          previous.get((year, code)) if table == "account" else None))
    return units


def _year_sample(lines: pd.DataFrame, years: list[int]) -> dict[int, bool]:
    """Whether each year's totals are sample: as its stated totals say, else its account lines."""
    stated = lines[lines["table"] == "total"].groupby("year", observed=True)["is_sample"].any()
    accounts = lines[lines["table"] == "account"].groupby("year", observed=True)["is_sample"].any()
    year_sample = {int(year): bool(value) for year, value in accounts.items()}
    year_sample.update({int(year): bool(value) for year, value in stated.items()})
    return year_sample
