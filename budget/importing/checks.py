"""Checks across the canonical lines of a budget file, and against what the database holds.

Each check adds what it finds to `errors` (asahikawa.spreadsheets.CellErrors: file, row, column,
message) and writes nothing; the database is read through budget.selectors.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from asahikawa.spreadsheets import CellErrors

from .. import selectors
from ..models import GENERAL_ACCOUNT_CODE
from .compact import items_of
from .layouts import ITEM_TABLES

MAX_DEPTH = 4
MAX_CODE_LENGTH = 40  # Account.code and BudgetItem.code


# --- within the file -----------------------------------------------------------------------------

def check_text(lines: pd.DataFrame, errors: CellErrors) -> None:
    """Codes fit their columns; no cell holds a NUL character (which PostgreSQL refuses)."""
    for column in ("account", "code", "parent", "name"):
        for index in lines.index[lines[column].str.contains("\x00", regex=False)]:
            errors.add(lines.at[index, "line"], column, _("使えない文字（NUL）が含まれています。"))
    too_long = [("account", lines["account"].str.len() > MAX_CODE_LENGTH),
                ("code", (lines["table"] != "account") & (lines["code"].str.len() > MAX_CODE_LENGTH))]
    for column, mask in too_long:
        for index in lines.index[mask]:
            errors.add(lines.at[index, "line"], column, _("コードは%(max)s文字以内にしてください。") % {"max": MAX_CODE_LENGTH})


def check_years_not_far_ahead(lines: pd.DataFrame, latest: int, errors: CellErrors) -> None:
    """A year beyond `latest` is a typo (2200 for 2020), not a budget."""
    for index in lines.index[lines["year"] > latest]:
        errors.add(lines.at[index, "line"], "year", _("%(year)s年度は先すぎます（取り込めるのは%(latest)s年度まで）。") % {
            "year": lines.at[index, "year"], "latest": latest})


def check_duplicates(lines: pd.DataFrame, errors: CellErrors) -> None:
    from .compact import key

    keyed = np.flatnonzero((lines["table"] != "fund").to_numpy())  # positions: no copy of the lines
    if isinstance(lines["code"].dtype, pd.CategoricalDtype):
        keys = key(lines)[keyed]
        order = np.argsort(keys, kind="stable")
        repeated = np.zeros(len(keys), dtype=bool)
        repeated[order[1:][keys[order[1:]] == keys[order[:-1]]]] = True  # every copy after the first
        del keys, order
    else:
        repeated = lines.iloc[keyed].duplicated(["year", "table", "account", "code"], keep="first").to_numpy()
    for _index, row in lines.iloc[keyed[repeated]].iterrows():
        errors.add(row["line"], "code", _("同じ年度・表・会計に同じコード（%(code)s）がすでにあります。") % {
            "code": row["code"] or row["account"]})
    funds = lines[lines["table"] == "fund"]
    for _index, row in funds[funds.duplicated(["year"], keep="first")].iterrows():
        errors.add(row["line"], "year", _("同じ年度の基金残高が2行あります。"))


def parent_rows(items: pd.DataFrame) -> pd.Series:
    """For each item line with a parent, the position (in items) of its parent's line, -1 when it
    is not in the file; int64 keys, no Python object per line."""
    from .compact import key, lookup

    has_parent = (items["parent"] != "").to_numpy()
    positions = lookup(key(items, "code"), key(items, "parent")[has_parent])
    return pd.Series(positions, index=np.flatnonzero(has_parent))


def depths(items: pd.DataFrame, errors: CellErrors) -> pd.Series:
    """Depth of every item line (0 = top level); a parent that is not in the file (or a loop, or
    more than MAX_DEPTH levels above the top) is an error."""
    depth = np.full(len(items), -1, dtype="int8")
    depth[(items["parent"] == "").to_numpy()] = 0
    parents = parent_rows(items)
    child, parent = parents.index.to_numpy(), parents.to_numpy()
    known = parent >= 0
    child, parent = child[known], parent[known]
    for level in range(1, MAX_DEPTH + 2):
        found = (depth[parent] == level - 1) & (depth[child] < 0)
        if not found.any():
            break
        depth[child[found]] = level
    depth = pd.Series(depth, index=items.index)
    for index in items.index[depth < 0]:
        errors.add(items.at[index, "line"], "parent",
                   _("上位の区分（%(parent)s）が同じ年度・表・会計にありません。") % {"parent": items.at[index, "parent"]})
    return depth


def check_children_sum(items: pd.DataFrame, errors: CellErrors) -> None:
    """A line with parts states their sum (by int64 keys: no Python object per line)."""

    has_parent = (items["parent"] != "").to_numpy()
    if not has_parent.any():
        return
    parents = parent_rows(items)
    parents = parents[parents.to_numpy() >= 0]
    children_sum = np.full(len(items), -1, dtype="int64")  # -1: no parts (amounts are >= 0)
    sums = pd.Series(items["amount"].to_numpy()[parents.index.to_numpy()]).groupby(parents.to_numpy()).sum()
    children_sum[sums.index.to_numpy()] = sums.to_numpy()
    amounts = items["amount"].to_numpy()
    wrong = (children_sum >= 0) & (children_sum != amounts)
    for position in np.flatnonzero(wrong):
        row = items.iloc[position]
        total = int(children_sum[position])
        errors.add(row["line"], "amount", _(
            "「%(name)s」の金額 %(amount)s円 が、内訳の合計 %(sum)s円 と一致しません（差 %(diff)s円）。") % {
            "name": row["name"], "amount": f"{row['amount']:,}", "sum": f"{total:,}",
            "diff": f"{row['amount'] - total:,}"})


# --- against the accounts: the file's, else the database's ---------------------------------------

@dataclass
class Accounts:
    """The account amounts a file's breakdowns and totals must match."""

    database: dict  # (year, code) -> amount the database holds
    file: dict  # (year, code) -> amount the file states (or derives)
    file_line: dict  # (year, code) -> the line that states it
    known: set  # codes of the accounts the database holds
    kinds: dict  # code -> "general" / "special": the database's accounts, then the file's new ones
    derived: set  # (year, code) whose amount the file derives from its breakdowns (spending.jp)

    @classmethod
    def of(cls, lines: pd.DataFrame, years: list[int]) -> Accounts:
        account_lines = lines[lines["table"] == "account"]
        kinds = selectors.account_kinds()
        known = set(kinds)
        for row in account_lines.itertuples():
            kinds.setdefault(row.account, "general" if row.account == GENERAL_ACCOUNT_CODE else "special")
        return cls(
            database=selectors.account_amounts(years),
            file={(row.year, row.account): row.amount for row in account_lines.itertuples()},
            file_line={(row.year, row.account): row.line for row in account_lines.itertuples()},
            known=known,
            kinds=kinds,
            derived=set(),
        )


def check_breakdowns_match_accounts(lines: pd.DataFrame, accounts: Accounts, errors: CellErrors, *,
                                    derive: bool, sample: bool, replace: bool = False) -> pd.DataFrame:
    """The top-level lines of each breakdown add up to the account's amount (the file's, else the
    database's). With derive (spending.jp, which states no account), an account the file does not
    state gets a line of the breakdown's sum: when the database has none, or when the file replaces
    it (a corrected file: the new sum is the account's new amount, still checked against the
    breakdowns the database keeps). Returns the lines, with those derived account lines."""
    items = items_of(lines)
    tops = items[items["parent"] == ""]
    derived_lines = []
    for (year, table, code), group in tops.groupby(["year", "table", "account"], observed=True):
        total = int(group["amount"].sum())
        first_line = int(group["line"].min())
        if (year, code) in accounts.file:
            stated = accounts.file[(year, code)]
            where = _("ファイルの%(line)s行目") % {"line": accounts.file_line[(year, code)]}
        elif (year, code) in accounts.database and not (derive and replace):
            stated, where = accounts.database[(year, code)], _("データベース")
        elif derive:
            derived_lines.append({"line": first_line, "year": year, "table": "account", "account": code, "code": code,
                                  "parent": "", "name": "", "amount": total, "is_sample": sample, "depth": 0})
            accounts.file[(year, code)] = total
            accounts.file_line[(year, code)] = first_line
            if (year, code) not in accounts.database:
                accounts.derived.add((year, code))
            accounts.kinds.setdefault(code, "general" if code == GENERAL_ACCOUNT_CODE else "special")
            continue
        else:
            errors.add(first_line, "account", _(
                "%(year)s年度の会計「%(account)s」の総額が、ファイルにもデータベースにもありません（account行を加えてください）。") % {
                "year": year, "account": code})
            continue
        if stated != total:
            errors.add(first_line, "amount", _(
                "%(year)s年度 %(table)s（会計 %(account)s）の合計 %(sum)s円 が、%(where)sの会計の総額 %(stated)s円 と一致しません（差 %(diff)s円）。") % {
                "year": year, "table": table, "account": code, "sum": f"{total:,}", "where": where,
                "stated": f"{stated:,}", "diff": f"{total - stated:,}"})
    if derived_lines:
        from .compact import append

        lines = append(lines, pd.DataFrame(derived_lines))
    return lines


def first_lines_of_accounts(lines: pd.DataFrame) -> dict[str, int]:
    """The first line of each account the lines use (account and item lines): account code -> line."""
    used = lines[lines["table"].isin(["account", *ITEM_TABLES]).to_numpy()]
    first = used.groupby("account", observed=True)["line"].min()
    return {code: int(line) for code, line in first.items()}


def check_accounts_exist(first_lines: dict[str, int], accounts: Accounts, errors: CellErrors) -> None:
    """Every line belongs to an account the database knows or the file creates (first_lines: the
    first line of each account the file's lines use, over every year)."""
    for code, line in first_lines.items():
        if code not in accounts.kinds:
            errors.add(line, "account", _("会計「%(account)s」がありません。") % {"account": code})


def check_stated_totals(lines: pd.DataFrame, accounts: Accounts, errors: CellErrors) -> None:
    """A stated total (table=total) is the sum of the year's accounts after the import."""
    final = {**accounts.database, **accounts.file}
    for row in lines[lines["table"] == "total"].itertuples():
        amounts = [(code, amount) for (year, code), amount in final.items() if year == row.year]
        if row.code == "special":
            amounts = [(code, amount) for code, amount in amounts if accounts.kinds.get(code) == "special"]
        total = sum(amount for _code, amount in amounts)
        if total != row.amount:
            errors.add(row.line, "amount", _(
                "%(year)s年度の%(what)sの総額 %(stated)s円 が、会計別の合計 %(sum)s円 と一致しません（差 %(diff)s円）。") % {
                "year": row.year, "what": _("特別会計") if row.code == "special" else _("全会計"),
                "stated": f"{row.amount:,}", "sum": f"{total:,}", "diff": f"{row.amount - total:,}"})


def item_units(lines: pd.DataFrame) -> set:
    """The (year, table, account) of the lines' items: the breakdowns the file replaces."""
    items = items_of(lines)
    return {(row.year, row.table, row.account) for row in items.drop_duplicates(["year", "table", "account"]).itertuples()}


def check_kept_breakdowns(replaced: set, accounts: Accounts, years: list[int], errors: CellErrors) -> None:
    """A new account amount still matches the breakdowns the database keeps for it (those the file
    does not replace: replaced, the file's (year, table, account) of items)."""
    for (year, table, code), total in selectors.item_top_sums(years).items():
        if (year, table, code) in replaced or (year, code) not in accounts.file or (year, code) in accounts.derived:
            continue
        stated = accounts.file[(year, code)]
        if stated != total:
            errors.add(accounts.file_line[(year, code)], "amount", _(
                "この額 %(stated)s円 は、データベースにある%(year)s年度 %(table)s の合計 %(sum)s円 と一致しません。") % {
                "stated": f"{stated:,}", "year": year, "table": table, "sum": f"{total:,}"})
