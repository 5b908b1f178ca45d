"""The two layouts a budget file is written in, each turned into the same canonical lines.

A canonical line is one figure: line (of the file), year, table, account, code, parent, name,
amount (whole yen), is_sample. The layouts themselves are described in docs/budget-import.md.
A cell that cannot be read is an error naming its row and column; the other rows are still read,
so that one refusal lists every such cell.
"""
from __future__ import annotations

import re

import pandas as pd
from django.utils.translation import gettext as _

from asahikawa.spreadsheets import CellErrors, require_columns

from ..models import GENERAL_ACCOUNT_CODE, MAX_YEAR, MIN_YEAR, BudgetItem

PORTAL_COLUMNS = ["year", "table", "account", "code", "parent", "name", "amount", "is_sample"]
PORTAL_REQUIRED = ["year", "table", "amount"]
SPENDING_COLUMNS = ["category", "category_id", "subcategory", "subcategory_id", "amount", "year"]
CANONICAL_COLUMNS = ["line", "year", "table", "account", "code", "parent", "name", "amount", "is_sample"]
LAYOUTS = ("portal", "spendingjp")
ITEM_TABLES = tuple(choice.value for choice in BudgetItem.Breakdown)
TABLES = ("account", *ITEM_TABLES, "fund", "total")
TOTAL_CODES = ("all", "special")
TRUE_WORDS = {"true", "1", "yes", "y", "サンプル", "○"}
FALSE_WORDS = {"", "false", "0", "no", "n"}
# 1,000兆円: beyond any budget, and far enough below the database's 64-bit integers that the sums of
# a file's lines cannot overflow either.
MAX_AMOUNT = 10**15

_WHOLE = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.0+)?$")
_FRACTION = re.compile(r"^-?(?:\d+|\d{1,3}(?:,\d{3})+)\.\d*$")
_NUMBER = re.compile(r"^-(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


# Columns only one layout has: a header with some of spending.jp's and none of the portal's is a
# spending.jp file with a column missing (named as such), not a portal file without "table".
SPENDING_OWN = {"category", "category_id", "subcategory", "subcategory_id"}
PORTAL_OWN = {"table", "account", "code", "parent", "name", "is_sample"}
# spending.jp's files of some cities head the year column "time".
SPENDING_YEAR_ALIASES = ("time",)


def detect_layout(frame: pd.DataFrame) -> str:
    """spending.jp's layout when the header has its own columns and none of the portal's, else the portal's."""
    columns = set(frame.columns)
    return "spendingjp" if columns & SPENDING_OWN and not columns & PORTAL_OWN else "portal"


def _spendingjp_year_column(frame: pd.DataFrame) -> str:
    if "year" in frame.columns:
        return "year"
    return next((alias for alias in SPENDING_YEAR_ALIASES if alias in frame.columns), "year")


def canonical_lines(frame: pd.DataFrame, layout: str, errors: CellErrors, *, account: str = GENERAL_ACCOUNT_CODE,
                    sample: bool = False, unit: int = 1) -> pd.DataFrame:
    """The frame's rows as canonical lines. sample: every figure is sample; unit: amounts are in
    this many yen (1000 for thousands); account: the account of spending.jp's lines. (A whole file
    at once; the import reads it in chunks: canonical_chunk, then finish_lines.)"""
    lines = canonical_chunk(frame, layout, errors, account=account, sample=sample, unit=unit)
    return finish_lines(lines, layout, errors, account=account, sample=sample)


def canonical_chunk(frame: pd.DataFrame, layout: str, errors: CellErrors, *, account: str = GENERAL_ACCOUNT_CODE,
                    sample: bool = False, unit: int = 1) -> pd.DataFrame:
    """What can be read of each row alone: its canonical line(s) (spending.jp's lines keep their
    category and category_id until finish_lines)."""
    if layout == "spendingjp":
        year_column = _spendingjp_year_column(frame)
        require_columns(frame, [column if column != "year" else year_column for column in SPENDING_COLUMNS], file=errors.file)
        return _spendingjp_chunk(frame, errors, account=account, sample=sample, unit=unit, year_column=year_column)
    require_columns(frame, PORTAL_REQUIRED, file=errors.file)
    lines = _portal_lines(frame, errors, unit=unit)
    if sample:
        lines["is_sample"] = True
    return lines


def finish_lines(lines: pd.DataFrame, layout: str, errors: CellErrors, *, account: str = GENERAL_ACCOUNT_CODE,
                 sample: bool = False) -> pd.DataFrame:
    """What needs every row: spending.jp's checks across rows and its derived category lines."""
    if layout == "spendingjp":
        return _spendingjp_finish(lines, errors, account=account, sample=sample)
    return lines


# --- cells ---------------------------------------------------------------------------------------

def parse_amounts(values: pd.Series, lines: pd.Series, column: str, errors: CellErrors, unit: int = 1) -> pd.Series:
    """Whole yen, not negative, thousands commas allowed; a bad cell is an error and reads as 0."""
    text = values.str.replace("円", "", regex=False).str.strip()
    whole = text.str.fullmatch(_WHOLE)
    for index in values.index[~whole]:
        raw = values[index]
        if raw == "":
            message = _("金額が空です。")
        elif _FRACTION.fullmatch(text[index]):
            message = _("金額は円単位の整数で入力してください（円未満の端数があります: %(value)s）。") % {"value": raw}
        elif _NUMBER.fullmatch(text[index]):
            message = _("金額は0以上で入力してください（%(value)s）。") % {"value": raw}
        else:
            message = _("金額が数値ではありません（%(value)s）。") % {"value": raw}
        errors.add(lines[index], column, message)
    cleaned = text.where(whole, "0").str.replace(",", "", regex=False).str.replace(r"\.0+$", "", regex=True)
    amounts = cleaned.map(lambda digits: int(digits) * unit)
    for index in values.index[amounts > MAX_AMOUNT]:
        errors.add(lines[index], column, _("金額が大きすぎます（%(value)s）。") % {"value": values[index]})
    return amounts.where(amounts <= MAX_AMOUNT, 0).astype("int64")


def parse_years(values: pd.Series, lines: pd.Series, column: str, errors: CellErrors) -> pd.Series:
    """A fiscal year as four digits (the calendar year it starts in); a bad cell is an error and reads as 0."""
    text = values.str.replace(r"\.0+$", "", regex=True)
    ok = text.str.fullmatch(r"\d{4}")
    years = text.where(ok, "0").map(int)
    ok &= years.between(MIN_YEAR, MAX_YEAR)
    for index in values.index[~ok]:
        errors.add(lines[index], column, _("年度は西暦4桁で入力してください（%(value)s）。") % {"value": values[index]})
    return years.where(ok, 0)


def _file_lines(frame: pd.DataFrame) -> pd.Series:
    """The line of the file each row was on (the header is line 1)."""
    return pd.Series(frame.index + 2, index=frame.index)


# --- the portal's layout -------------------------------------------------------------------------

def _portal_lines(frame: pd.DataFrame, errors: CellErrors, *, unit: int = 1) -> pd.DataFrame:
    for column in PORTAL_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    lines = _file_lines(frame)
    out = pd.DataFrame({"line": lines})
    out["year"] = parse_years(frame["year"], lines, "year", errors)
    out["table"] = frame["table"].str.lower()
    bad_table = ~out["table"].isin(TABLES)
    for index in frame.index[bad_table]:
        errors.add(lines[index], "table", _("tableは %(allowed)s のどれかにしてください（%(value)s）。") % {
            "allowed": ", ".join(TABLES), "value": frame["table"][index]})
    out["amount"] = parse_amounts(frame["amount"], lines, "amount", errors, unit=unit)
    out["name"] = frame["name"]
    out["parent"] = frame["parent"]
    is_item = out["table"].isin(ITEM_TABLES)
    account = frame["account"].where(frame["account"] != "", frame["code"].where(out["table"] == "account", ""))
    out["account"] = account.where(~(is_item & (account == "")), GENERAL_ACCOUNT_CODE)
    out.loc[out["table"].isin(["fund", "total"]), "account"] = ""
    out["code"] = frame["code"]
    out.loc[out["table"] == "account", "code"] = out["account"]
    out.loc[out["table"] == "fund", "code"] = ""
    sample = frame["is_sample"].str.lower()
    bad_sample = ~sample.isin(TRUE_WORDS | FALSE_WORDS)
    for index in frame.index[bad_sample]:
        errors.add(lines[index], "is_sample",
                   _("is_sampleは true か false にしてください（%(value)s）。") % {"value": frame["is_sample"][index]})
    out["is_sample"] = sample.isin(TRUE_WORDS)

    needs_name = out["table"].isin(["account", *ITEM_TABLES])
    for index in frame.index[needs_name & (out["name"] == "")]:
        errors.add(lines[index], "name", _("名称が空です。"))
    for index in frame.index[is_item & (out["code"] == "")]:
        errors.add(lines[index], "code", _("コードが空です。"))
    for index in frame.index[(out["table"] == "account") & (out["account"] == "")]:
        errors.add(lines[index], "account", _("会計のコードが空です。"))
    bad_total = (out["table"] == "total") & ~out["code"].isin(TOTAL_CODES)
    for index in frame.index[bad_total]:
        errors.add(lines[index], "code", _("total行のcodeは all か special にしてください。"))
    bad_parent = ~is_item & (out["parent"] != "")
    for index in frame.index[bad_parent]:
        errors.add(lines[index], "parent", _("parentは内訳の行（purpose, nature, revenue）にだけ書けます。"))
    return out[CANONICAL_COLUMNS]


# --- spending.jp's layout ------------------------------------------------------------------------

def _spendingjp_chunk(frame: pd.DataFrame, errors: CellErrors, *, account: str, sample: bool, unit: int,
                      year_column: str = "year") -> pd.DataFrame:
    lines = _file_lines(frame)
    years = parse_years(frame[year_column], lines, year_column, errors)
    amounts = parse_amounts(frame["amount"], lines, "amount", errors, unit=unit)
    for column in ("category", "category_id"):
        for index in frame.index[frame[column] == ""]:
            errors.add(lines[index], column, _("空です。"))
    has_sub = (frame["subcategory"] != "") | (frame["subcategory_id"] != "")
    for column in ("subcategory", "subcategory_id"):
        for index in frame.index[has_sub & (frame[column] == "")]:
            errors.add(lines[index], column, _("空です。"))
    # A 項 line (code category-subcategory, parent the category) or a 款 line (parent ""), each
    # keeping its category's id and name for the checks across rows.
    return pd.DataFrame({
        "line": lines, "year": years, "table": "purpose", "account": account,
        "code": (frame["category_id"] + "-" + frame["subcategory_id"]).where(has_sub, frame["category_id"]),
        "parent": frame["category_id"].where(has_sub, ""),
        "name": frame["subcategory"].where(has_sub, frame["category"]),
        "amount": amounts, "is_sample": sample,
        "category_id": frame["category_id"], "category": frame["category"],
    }, index=frame.index)


def _spendingjp_finish(lines: pd.DataFrame, errors: CellErrors, *, account: str, sample: bool) -> pd.DataFrame:
    from .compact import append

    # One name per category id and year.
    clash = lines.groupby(["year", "category_id"], observed=True)["category"].transform("nunique") > 1
    for index in lines.index[clash]:
        errors.add(lines.at[index, "line"], "category",
                   _("同じcategory_id（%(id)s）に別の名前があります。") % {"id": lines.at[index, "category_id"]})

    # A category with no line of its own gets one: its amount is the sum of its subcategories.
    subs = lines[lines["parent"] != ""]
    derived = subs.groupby(["year", "category_id"], observed=True, sort=False).agg(
        name=("category", "first"), line=("line", "min"), amount=("amount", "sum")).reset_index()
    explicit = lines[lines["parent"] == ""]
    if not explicit.empty and not derived.empty:
        have = set(zip(explicit["year"], explicit["code"].astype(object)))
        derived = derived[[(y, c) not in have for y, c in zip(derived["year"], derived["category_id"].astype(object))]]
    lines = lines[CANONICAL_COLUMNS]
    if derived.empty:
        return lines
    rows = pd.DataFrame({
        "line": derived["line"], "year": derived["year"], "table": "purpose", "account": account,
        "code": derived["category_id"].astype(object), "parent": "", "name": derived["name"].astype(object),
        "amount": derived["amount"], "is_sample": sample,
    })
    if isinstance(lines["code"].dtype, pd.CategoricalDtype):
        return append(lines.copy(), rows)
    return pd.concat([lines, rows], ignore_index=True)
