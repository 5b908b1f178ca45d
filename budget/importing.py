"""Reading and checking a budget file (CSV or Excel) with pandas, before anything is written.

Two layouts are read (the layout is told by the header row):

The portal's own layout (documented on /budget/data/ and in docs below), one line per figure:

    year,table,account,code,parent,name,amount,is_sample

    year       fiscal year as the calendar year it starts in (2023 = 令和5年度)
    table      account  - an account's budget (一般会計 / 特別会計): `account` is its code
               purpose  - expenditure by purpose (款; 項 with `parent` = the 款's code)
               nature   - expenditure by nature (性質別)
               revenue  - revenue by source (歳入)
               fund     - fiscal adjustment fund balance at the end of the year (`name` = a note)
               total    - a stated total to check against: code `all` (every account) or
                          `special` (the special accounts); it is checked, not stored
    account    the account's code (`general` is the general account); blank means `general`
               for purpose/nature/revenue lines
    code       the line's code, unique within (year, table, account)
    parent     the code of the line this one is part of (blank for a top-level line)
    name       the name shown (account name, 款/項 name, note)
    amount     whole yen, digits with optional thousands commas
    is_sample  true when the figure is invented (shown as サンプル): true/false, 1/0, yes/no

The layout of the "Where Does My Money Go" sites run by Japanese civic groups (spending.jp):

    category,category_id,subcategory,subcategory_id,amount,year

Each line is a 項 (subcategory) of a 款 (category) of expenditure by purpose; a line with no
subcategory is the 款 itself. The 款 amounts are the sums of their 項.

Checks: every amount is whole yen and not negative; parts add up to the total the file states
(a parent line, an account line, a total line) or, when the file does not state it, the total the
database holds; a (year, table, account) already in the database is refused unless replace=True.
Errors name the line (the header is line 1) and the column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.utils.translation import gettext as _

from .models import GENERAL_ACCOUNT_CODE, Account, AccountBudget, BudgetItem, FundBalance

PORTAL_COLUMNS = ["year", "table", "account", "code", "parent", "name", "amount", "is_sample"]
PORTAL_REQUIRED = ["year", "table", "amount"]
SPENDING_COLUMNS = ["category", "category_id", "subcategory", "subcategory_id", "amount", "year"]
ITEM_TABLES = tuple(choice.value for choice in BudgetItem.Breakdown)
TABLES = ("account", *ITEM_TABLES, "fund", "total")
TOTAL_CODES = ("all", "special")
TRUE_WORDS = {"true", "1", "yes", "y", "サンプル", "○"}
FALSE_WORDS = {"", "false", "0", "no", "n"}
MAX_ERRORS = 200
MAX_DEPTH = 4
# 1,000兆円: beyond any budget, and far enough below the database's 64-bit integers that the sums of
# a file's lines cannot overflow either.
MAX_AMOUNT = 10**15
MAX_CODE_LENGTH = 40  # Account.code and BudgetItem.code

_WHOLE = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.0+)?$")
_FRACTION = re.compile(r"^-?(?:\d+|\d{1,3}(?:,\d{3})+)\.\d*$")
_NUMBER = re.compile(r"^-(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


@dataclass(frozen=True)
class RowError:
    line: int | None  # line of the file (header = 1); None for an error about the whole file
    column: str | None
    message: str

    def __str__(self):
        if self.line is None:
            return f"{self.message}" if not self.column else _("%(column)s列: %(message)s") % {
                "column": self.column, "message": self.message}
        if self.column:
            return _("%(line)s行目 %(column)s列: %(message)s") % {
                "line": self.line, "column": self.column, "message": self.message}
        return _("%(line)s行目: %(message)s") % {"line": self.line, "message": self.message}


class BudgetFileError(Exception):
    """The file was refused; nothing has been written. `errors` name the line and column."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors[:MAX_ERRORS]))


@dataclass
class Unit:
    """What one import writes as a whole: the lines of one (year, table, account)."""

    year: int
    table: str
    account: str
    rows: int
    amount: int
    existing_rows: int = 0

    @property
    def replaces(self):
        return self.existing_rows > 0


@dataclass
class Plan:
    """A checked file, ready to write: canonical lines and what they replace."""

    layout: str
    lines: pd.DataFrame
    units: list[Unit]
    new_accounts: dict[str, str] = field(default_factory=dict)  # code -> name
    year_sample: dict[int, bool] = field(default_factory=dict)  # year -> totals are sample
    source: str = ""

    @property
    def years(self):
        return sorted({unit.year for unit in self.units})

    def describe(self):
        """Lines a person reads: what the import would change."""
        out = []
        for unit in self.units:
            verb = _("置き換え") if unit.replaces else _("追加")
            out.append(
                _("%(year)s年度 %(table)s %(account)s: %(rows)s行 合計 %(amount)s円（%(verb)s、既存 %(existing)s行）") % {
                    "year": unit.year, "table": unit.table, "account": unit.account or "-", "rows": unit.rows,
                    "amount": f"{unit.amount:,}", "verb": verb, "existing": unit.existing_rows,
                }
            )
        for code, name in self.new_accounts.items():
            out.append(_("新しい会計: %(code)s（%(name)s）") % {"code": code, "name": name})
        return out


# --- Reading -------------------------------------------------------------------------------

def _cell_text(value):
    """Excel cells as text: whole floats lose their '.0', empty cells become ''."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def read_table(path) -> pd.DataFrame:
    """Every cell as stripped text; the header names lower-cased."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            frame = pd.read_excel(path, sheet_name=0, dtype=object, header=0)
        except Exception as exc:  # a broken workbook: name the problem, not a trace
            raise BudgetFileError([RowError(None, None, _("Excelファイルを読めません: %(error)s") % {"error": exc})]) from exc
        frame = frame.apply(lambda column: column.map(_cell_text))
    else:
        frame = None
        for encoding in ("utf-8-sig", "cp932"):
            try:
                frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, skipinitialspace=True)
                break
            except UnicodeDecodeError:
                continue
            except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
                raise BudgetFileError([RowError(None, None, _("CSVとして読めません: %(error)s") % {"error": exc})]) from exc
        if frame is None:
            raise BudgetFileError([RowError(None, None, _("文字コードはUTF-8かShift_JISにしてください。"))])
        frame = frame.apply(lambda column: column.astype(str).str.strip())
    frame.columns = [str(column).strip().lower() for column in frame.columns]
    return frame.reset_index(drop=True)


def detect_layout(frame: pd.DataFrame) -> str:
    columns = set(frame.columns)
    if set(SPENDING_COLUMNS) <= columns:
        return "spendingjp"
    return "portal"


# --- Row-level checks ------------------------------------------------------------------------

def _parse_amounts(values: pd.Series, lines: pd.Series, column: str, errors: list, unit: int = 1) -> pd.Series:
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
        errors.append(RowError(int(lines[index]), column, message))
    cleaned = text.where(whole, "0").str.replace(",", "", regex=False).str.replace(r"\.0+$", "", regex=True)
    amounts = cleaned.map(lambda digits: int(digits) * unit)
    for index in values.index[amounts > MAX_AMOUNT]:
        errors.append(RowError(int(lines[index]), column, _("金額が大きすぎます（%(value)s）。") % {"value": values[index]}))
    return amounts.where(amounts <= MAX_AMOUNT, 0).astype("int64")


def _parse_years(values: pd.Series, lines: pd.Series, column: str, errors: list) -> pd.Series:
    text = values.str.replace(r"\.0+$", "", regex=True)
    ok = text.str.fullmatch(r"\d{4}")
    years = text.where(ok, "0").map(int)
    ok &= years.between(1868, 2200)
    for index in values.index[~ok]:
        errors.append(RowError(int(lines[index]), column,
                               _("年度は西暦4桁で入力してください（%(value)s）。") % {"value": values[index]}))
    return years.where(ok, 0)


def _canonical_portal(frame: pd.DataFrame, errors: list, *, unit: int = 1) -> pd.DataFrame:
    missing = [column for column in PORTAL_REQUIRED if column not in frame.columns]
    if missing:
        raise BudgetFileError([RowError(1, column, _("必要な列がありません。")) for column in missing])
    for column in PORTAL_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    lines = pd.Series(frame.index + 2, index=frame.index)
    out = pd.DataFrame({"line": lines})
    out["year"] = _parse_years(frame["year"], lines, "year", errors)
    out["table"] = frame["table"].str.lower()
    bad_table = ~out["table"].isin(TABLES)
    for index in frame.index[bad_table]:
        errors.append(RowError(int(lines[index]), "table", _("tableは %(allowed)s のどれかにしてください（%(value)s）。") % {
            "allowed": ", ".join(TABLES), "value": frame["table"][index]}))
    out["amount"] = _parse_amounts(frame["amount"], lines, "amount", errors, unit=unit)
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
        errors.append(RowError(int(lines[index]), "is_sample",
                               _("is_sampleは true か false にしてください（%(value)s）。") % {"value": frame["is_sample"][index]}))
    out["is_sample"] = sample.isin(TRUE_WORDS)

    needs_name = out["table"].isin(["account", *ITEM_TABLES])
    for index in frame.index[needs_name & (out["name"] == "")]:
        errors.append(RowError(int(lines[index]), "name", _("名称が空です。")))
    for index in frame.index[is_item & (out["code"] == "")]:
        errors.append(RowError(int(lines[index]), "code", _("コードが空です。")))
    for index in frame.index[(out["table"] == "account") & (out["account"] == "")]:
        errors.append(RowError(int(lines[index]), "account", _("会計のコードが空です。")))
    bad_total = (out["table"] == "total") & ~out["code"].isin(TOTAL_CODES)
    for index in frame.index[bad_total]:
        errors.append(RowError(int(lines[index]), "code", _("total行のcodeは all か special にしてください。")))
    bad_parent = ~is_item & (out["parent"] != "")
    for index in frame.index[bad_parent]:
        errors.append(RowError(int(lines[index]), "parent", _("parentは内訳の行（purpose, nature, revenue）にだけ書けます。")))
    return out


def _canonical_spendingjp(frame: pd.DataFrame, errors: list, *, account: str, sample: bool, unit: int) -> pd.DataFrame:
    lines = pd.Series(frame.index + 2, index=frame.index)
    years = _parse_years(frame["year"], lines, "year", errors)
    amounts = _parse_amounts(frame["amount"], lines, "amount", errors, unit=unit)
    for column in ("category", "category_id"):
        for index in frame.index[frame[column] == ""]:
            errors.append(RowError(int(lines[index]), column, _("空です。")))
    has_sub = (frame["subcategory"] != "") | (frame["subcategory_id"] != "")
    for column in ("subcategory", "subcategory_id"):
        for index in frame.index[has_sub & (frame[column] == "")]:
            errors.append(RowError(int(lines[index]), column, _("空です。")))

    # One name per category id and year.
    names = pd.DataFrame({"year": years, "id": frame["category_id"], "name": frame["category"], "line": lines})
    clash = names.groupby(["year", "id"])["name"].transform("nunique") > 1
    for index in frame.index[clash]:
        errors.append(RowError(int(lines[index]), "category",
                               _("同じcategory_id（%(id)s）に別の名前があります。") % {"id": frame["category_id"][index]}))

    subs = pd.DataFrame({
        "line": lines[has_sub], "year": years[has_sub], "table": "purpose", "account": account,
        "code": frame["category_id"][has_sub] + "-" + frame["subcategory_id"][has_sub],
        "parent": frame["category_id"][has_sub], "name": frame["subcategory"][has_sub],
        "amount": amounts[has_sub], "is_sample": sample,
    })
    explicit = pd.DataFrame({
        "line": lines[~has_sub], "year": years[~has_sub], "table": "purpose", "account": account,
        "code": frame["category_id"][~has_sub], "parent": "", "name": frame["category"][~has_sub],
        "amount": amounts[~has_sub], "is_sample": sample,
    })
    # A category with no line of its own gets one: its amount is the sum of its subcategories.
    keyed = pd.DataFrame({"year": years[has_sub], "code": frame["category_id"][has_sub],
                          "name": frame["category"][has_sub], "line": lines[has_sub], "amount": amounts[has_sub]})
    derived = keyed.groupby(["year", "code"], sort=False).agg(
        name=("name", "first"), line=("line", "min"), amount=("amount", "sum")).reset_index()
    if not explicit.empty:
        have = set(zip(explicit["year"], explicit["code"]))
        derived = derived[[(y, c) not in have for y, c in zip(derived["year"], derived["code"])]]
    derived = derived.assign(table="purpose", account=account, parent="", is_sample=sample)
    return pd.concat([explicit, derived, subs], ignore_index=True)[
        ["line", "year", "table", "account", "code", "parent", "name", "amount", "is_sample"]]


def _check_text(lines: pd.DataFrame, errors: list):
    """Codes fit their columns; no cell holds a NUL character (which PostgreSQL refuses)."""
    for column in ("account", "code", "parent", "name"):
        for index in lines.index[lines[column].str.contains("\x00", regex=False)]:
            errors.append(RowError(int(lines.at[index, "line"]), column, _("使えない文字（NUL）が含まれています。")))
    too_long = [("account", lines["account"].str.len() > MAX_CODE_LENGTH),
                ("code", (lines["table"] != "account") & (lines["code"].str.len() > MAX_CODE_LENGTH))]
    for column, mask in too_long:
        for index in lines.index[mask]:
            errors.append(RowError(int(lines.at[index, "line"]), column,
                                   _("コードは%(max)s文字以内にしてください。") % {"max": MAX_CODE_LENGTH}))


# --- Checks across lines -----------------------------------------------------------------------

def _check_duplicates(lines: pd.DataFrame, errors: list):
    keyed = lines[lines["table"] != "fund"]
    dup = keyed.duplicated(["year", "table", "account", "code"], keep="first")
    for _index, row in keyed[dup].iterrows():
        errors.append(RowError(int(row["line"]), "code", _("同じ年度・表・会計に同じコード（%(code)s）がすでにあります。") % {
            "code": row["code"] or row["account"]}))
    funds = lines[lines["table"] == "fund"]
    for _index, row in funds[funds.duplicated(["year"], keep="first")].iterrows():
        errors.append(RowError(int(row["line"]), "year", _("同じ年度の基金残高が2行あります。")))


def _depths(items: pd.DataFrame, errors: list) -> pd.Series:
    """Depth of every item line (0 = top level); a parent that is not in the file is an error."""
    key = list(zip(items["year"], items["table"], items["account"], items["code"]))
    parent_of = dict(zip(key, items["parent"]))
    depth = {}
    for index, k in zip(items.index, key):
        level, current, seen = 0, k, set()
        while parent_of.get(current, ""):
            parent_key = (current[0], current[1], current[2], parent_of[current])
            if parent_key not in parent_of or parent_key in seen or level > MAX_DEPTH:
                level = -1
                break
            seen.add(current)
            current, level = parent_key, level + 1
        depth[index] = level
    depth = pd.Series(depth, dtype="int64")
    for index in items.index[depth.reindex(items.index) < 0]:
        errors.append(RowError(int(items.at[index, "line"]), "parent",
                               _("上位の区分（%(parent)s）が同じ年度・表・会計にありません。") % {"parent": items.at[index, "parent"]}))
    return depth


def _check_children_sum(items: pd.DataFrame, errors: list):
    children = items[items["parent"] != ""]
    if children.empty:
        return
    sums = children.groupby(["year", "table", "account", "parent"])["amount"].sum().rename("children_sum").reset_index()
    merged = items.merge(sums, left_on=["year", "table", "account", "code"], right_on=["year", "table", "account", "parent"],
                         suffixes=("", "_child"))
    for _index, row in merged[merged["amount"] != merged["children_sum"]].iterrows():
        errors.append(RowError(int(row["line"]), "amount", _(
            "「%(name)s」の金額 %(amount)s円 が、内訳の合計 %(sum)s円 と一致しません（差 %(diff)s円）。") % {
            "name": row["name"], "amount": f"{row['amount']:,}", "sum": f"{row['children_sum']:,}",
            "diff": f"{row['amount'] - row['children_sum']:,}"}))


def _db_account_amounts(years):
    return {
        (year, code): (amount, sample)
        for year, code, amount, sample in AccountBudget.objects.filter(fiscal_year__year__in=years).values_list(
            "fiscal_year__year", "account__code", "amount", "is_sample")
    }


def _db_existing_units(years):
    """(year, table, account) -> number of rows the database holds for it."""
    from django.db.models import Count

    units = {}
    for year, code, count in (AccountBudget.objects.filter(fiscal_year__year__in=years)
                              .values_list("fiscal_year__year", "account__code").annotate(n=Count("id"))):
        units[(year, "account", code)] = count
    for year, breakdown, code, count in (BudgetItem.objects.filter(fiscal_year__year__in=years)
                                         .values_list("fiscal_year__year", "breakdown", "account__code")
                                         .annotate(n=Count("id"))):
        units[(year, breakdown, code)] = count
    for year in FundBalance.objects.filter(year__in=years).values_list("year", flat=True):
        units[(year, "fund", "")] = 1
    return units


def _db_item_top_sums(years):
    """(year, breakdown, account) -> sum of the top-level lines the database holds."""
    from django.db.models import Sum

    return {
        (year, breakdown, code): total
        for year, breakdown, code, total in (
            BudgetItem.objects.filter(fiscal_year__year__in=years, parent__isnull=True)
            .values_list("fiscal_year__year", "breakdown", "account__code").annotate(total=Sum("amount")))
    }


def build_plan(path, *, layout="auto", replace=False, sample=False, unit=1, account=GENERAL_ACCOUNT_CODE,
               source="") -> Plan:
    """Read and check the file; raise BudgetFileError naming every problem, or return the Plan."""
    frame = read_table(path)
    if frame.empty:
        raise BudgetFileError([RowError(None, None, _("データの行がありません。"))])
    if layout == "auto":
        layout = detect_layout(frame)
    errors: list[RowError] = []
    if layout == "spendingjp":
        missing = [column for column in SPENDING_COLUMNS if column not in frame.columns]
        if missing:
            raise BudgetFileError([RowError(1, column, _("必要な列がありません。")) for column in missing])
        lines = _canonical_spendingjp(frame, errors, account=account, sample=sample, unit=unit)
    else:
        lines = _canonical_portal(frame, errors, unit=unit)
        if sample:
            lines["is_sample"] = True
    _check_text(lines, errors)
    if errors:
        raise BudgetFileError(errors)

    _check_duplicates(lines, errors)
    items = lines[lines["table"].isin(ITEM_TABLES)]
    depth = _depths(items, errors)
    if errors:
        raise BudgetFileError(errors)
    lines["depth"] = depth.reindex(lines.index).fillna(0).astype("int64")
    items = lines[lines["table"].isin(ITEM_TABLES)]
    _check_children_sum(items, errors)

    years = sorted(set(lines["year"]))
    db_amounts = _db_account_amounts(years)
    known_accounts = dict(Account.objects.values_list("code", "kind"))
    account_lines = lines[lines["table"] == "account"]
    file_amounts = {(row.year, row.account): (row.amount, row.is_sample) for row in account_lines.itertuples()}
    file_account_line = {(row.year, row.account): row.line for row in account_lines.itertuples()}

    # Top-level lines of each breakdown add up to the account's amount (the file's, else the database's).
    tops = items[items["parent"] == ""]
    derived_accounts = []
    for (year, table, code), group in tops.groupby(["year", "table", "account"]):
        total = int(group["amount"].sum())
        first_line = int(group["line"].min())
        if (year, code) in file_amounts:
            stated, where = file_amounts[(year, code)][0], _("ファイルの%(line)s行目") % {"line": file_account_line[(year, code)]}
        elif (year, code) in db_amounts:
            stated, where = db_amounts[(year, code)][0], _("データベース")
        elif layout == "spendingjp":
            derived_accounts.append({"line": first_line, "year": year, "table": "account", "account": code, "code": code,
                                     "parent": "", "name": "", "amount": total, "is_sample": sample, "depth": 0})
            file_amounts[(year, code)] = (total, sample)
            continue
        else:
            errors.append(RowError(first_line, "account", _(
                "%(year)s年度の会計「%(account)s」の総額が、ファイルにもデータベースにもありません（account行を加えてください）。") % {
                "year": year, "account": code}))
            continue
        if stated != total:
            errors.append(RowError(first_line, "amount", _(
                "%(year)s年度 %(table)s（会計 %(account)s）の合計 %(sum)s円 が、%(where)sの会計の総額 %(stated)s円 と一致しません（差 %(diff)s円）。") % {
                "year": year, "table": table, "account": code, "sum": f"{total:,}", "where": where,
                "stated": f"{stated:,}", "diff": f"{total - stated:,}"}))
    if derived_accounts:
        lines = pd.concat([lines, pd.DataFrame(derived_accounts)], ignore_index=True)

    # Items of the file must belong to a known account.
    for row in lines[lines["table"].isin(["account", *ITEM_TABLES])].drop_duplicates(["account"]).itertuples():
        if row.account not in known_accounts and not ((lines["table"] == "account") & (lines["account"] == row.account)).any():
            errors.append(RowError(int(row.line), "account", _("会計「%(account)s」がありません。") % {"account": row.account}))

    # Stated totals (table=total) are the sum of the year's accounts after the import.
    final = dict(((year, code), amount) for (year, code), (amount, _sample) in db_amounts.items())
    final.update({key: amount for key, (amount, _sample) in file_amounts.items()})
    kinds = dict(known_accounts)
    for row in account_lines.itertuples():
        kinds.setdefault(row.account, "general" if row.account == GENERAL_ACCOUNT_CODE else "special")
    for row in lines[lines["table"] == "total"].itertuples():
        accounts = [(code, amount) for (year, code), amount in final.items() if year == row.year]
        if row.code == "special":
            accounts = [(code, amount) for code, amount in accounts if kinds.get(code) == "special"]
        total = sum(amount for _code, amount in accounts)
        if total != row.amount:
            errors.append(RowError(int(row.line), "amount", _(
                "%(year)s年度の%(what)sの総額 %(stated)s円 が、会計別の合計 %(sum)s円 と一致しません（差 %(diff)s円）。") % {
                "year": row.year, "what": _("特別会計") if row.code == "special" else _("全会計"),
                "stated": f"{row.amount:,}", "sum": f"{total:,}", "diff": f"{row.amount - total:,}"}))

    # A new account amount must still match the breakdowns the database keeps for it.
    replaced = {(row.year, row.table, row.account) for row in items.drop_duplicates(["year", "table", "account"]).itertuples()}
    derived = {(row["year"], row["account"]) for row in derived_accounts}
    for (year, table, code), total in _db_item_top_sums(years).items():
        if (year, table, code) in replaced or (year, code) not in file_amounts or (year, code) in derived:
            continue
        stated = file_amounts[(year, code)][0]
        if stated != total:
            errors.append(RowError(file_account_line[(year, code)], "amount", _(
                "この額 %(stated)s円 は、データベースにある%(year)s年度 %(table)s の合計 %(sum)s円 と一致しません。") % {
                "stated": f"{stated:,}", "year": year, "table": table, "sum": f"{total:,}"}))

    # A (year, table, account) already in the database is imported again only on purpose.
    existing = _db_existing_units(years)
    units = []
    for (year, table, code), group in lines[lines["table"] != "total"].groupby(["year", "table", "account"], sort=True):
        count = existing.get((year, table, code), 0)
        if count and not replace:
            errors.append(RowError(int(group["line"].min()), "year", _(
                "%(year)s年度の%(table)s（会計 %(account)s）はすでに取り込まれています。置き換えるときは --replace を付けてください。") % {
                "year": year, "table": table, "account": code or "-"}))
        amount = int(group.loc[group["depth"] == 0, "amount"].sum()) if table in ITEM_TABLES else int(group["amount"].sum())
        units.append(Unit(int(year), table, code, len(group), amount, count))
    if errors:
        raise BudgetFileError(sorted(errors, key=lambda error: (error.line or 0, error.column or "")))

    new_accounts = {}
    for row in lines[lines["table"] == "account"].itertuples():
        if row.account not in known_accounts:
            new_accounts[row.account] = row.name or row.account
    year_sample = {}
    for year in years:
        stated = lines[(lines["year"] == year) & (lines["table"] == "total")]
        if not stated.empty:
            year_sample[year] = bool(stated["is_sample"].any())
        else:
            accounts = lines[(lines["year"] == year) & (lines["table"] == "account")]
            if not accounts.empty:
                year_sample[year] = bool(accounts["is_sample"].any())
    return Plan(layout=layout, lines=lines, units=units, new_accounts=new_accounts, year_sample=year_sample,
                source=source or Path(path).name)
