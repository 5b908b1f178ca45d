"""Open data: every table of the budget pages as CSV (UTF-8, header row) and JSON, under CC BY 4.0,
with a data dictionary (each column's meaning and unit).

The values are machine-readable data and never change with the request language: codes, numbers,
and the city's own Japanese (era 令和5年度, level 款/項/区分/細区分, names). Only the documentation
around them (titles, the data dictionary's meanings and units) is translated."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from asahikawa.dates import wareki_text

from . import selectors
from .models import BudgetItem

LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"
ATTRIBUTION = _("旭川市 予算の見える化（旭川市ポータル）")


@dataclass(frozen=True)
class Column:
    name: str
    meaning: object
    unit: object = ""


YEAR = Column("year", _("年度（西暦、その年の4月から翌年3月まで）"), _("年"))
ERA = Column("era", _("年度（和暦。例: 令和5年度。ページの言語によらず日本語で書きます）"))
SAMPLE = Column("is_sample", _("値がデモ用の架空データ（サンプル）ならtrue。広報誌が示していない内訳はサンプルです"), _("true/false"))
ITEM_COLUMNS = [
    YEAR, ERA,
    Column("account_code", _("会計のコード（general は一般会計）")),
    Column("account_name", _("会計名")),
    Column("level", _("区分の階層: 目的別は 款 か 項、性質別と歳入は 区分 か 細区分（ページの言語によらず日本語で書きます）")),
    Column("code", _("区分のコード（年度・会計の中で一意）")),
    Column("parent_code", _("上位の区分のコード（最上位は空）")),
    Column("name", _("区分の名称")),
    Column("amount", _("予算額"), _("円")),
    SAMPLE,
]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: object
    description: object
    columns: list


DATASETS = {
    "years": Dataset("years", _("年度別の予算総額"), _("一般会計・特別会計・合計と前年度比"), [
        YEAR, ERA,
        Column("general_total", _("一般会計の予算額"), _("円")),
        Column("special_total", _("特別会計の予算額の合計"), _("円")),
        Column("total", _("全会計の予算額の合計"), _("円")),
        Column("general_change", _("一般会計の前年度比（増減額、前年度がなければ空）"), _("円")),
        Column("special_change", _("特別会計の前年度比（増減額、前年度がなければ空）"), _("円")),
        Column("total_change", _("合計の前年度比（増減額、前年度がなければ空）"), _("円")),
        SAMPLE,
    ]),
    "accounts": Dataset("accounts", _("会計別の予算額"), _("一般会計と各特別会計の予算額と前年度比"), [
        YEAR, ERA,
        Column("account_code", _("会計のコード（general は一般会計）")),
        Column("account_name", _("会計名")),
        Column("kind", _("区分（general=一般会計、special=特別会計）")),
        Column("amount", _("予算額"), _("円")),
        Column("previous_amount", _("前年度の予算額（なければ空）"), _("円")),
        Column("change", _("前年度比（増減額、前年度がなければ空）"), _("円")),
        Column("name_is_sample", _("会計名がサンプルならtrue"), _("true/false")),
        SAMPLE,
    ]),
    "purpose": Dataset("purpose", _("目的別歳出（款・項）"), _("何のために使うか: 民生費、土木費、教育費など"), ITEM_COLUMNS),
    "nature": Dataset("nature", _("性質別歳出"), _("どのような経費か: 人件費、扶助費、公債費など"), ITEM_COLUMNS),
    "revenue": Dataset("revenue", _("歳入（財源別）"), _("どこから入るか: 市税、地方交付税、国庫支出金など"), ITEM_COLUMNS),
    "fund": Dataset("fund", _("財政調整基金残高"), _("不測の支出に備える市の貯金の年度末残高"), [
        YEAR, ERA,
        Column("amount", _("年度末残高"), _("円")),
        Column("note", _("注記")),
        SAMPLE,
    ]),
}
FORMATS = ("csv", "json")

# The `level` value: the city's own terms, the same whatever the request language.
LEVELS = {
    (True, True): "款", (True, False): "項",  # purpose: top level, child
    (False, True): "区分", (False, False): "細区分",  # nature and revenue
}


def level_text(item) -> str:
    return LEVELS[(item.breakdown == BudgetItem.Breakdown.PURPOSE, item.parent_id is None)]


def rows(slug: str, *, year: int | None = None):
    """The dataset's rows as dicts of plain values (ints, strings, bools, None)."""
    if slug == "years":
        for totals in reversed(selectors.years_totals()):
            if year is not None and totals.year != year:
                continue
            yield {
                "year": totals.year, "era": totals.era_text, "general_total": totals.general,
                "special_total": totals.special, "total": totals.total, "general_change": totals.general_change,
                "special_change": totals.special_change, "total_change": totals.total_change,
                "is_sample": totals.is_sample,
            }
    elif slug == "accounts":
        for row, previous in selectors.accounts_for_download(year=year):
            yield {
                "year": row.fiscal_year.year, "era": wareki_text(row.fiscal_year.year), "account_code": row.account.code,
                "account_name": row.account.name, "kind": row.account.kind, "amount": row.amount,
                "previous_amount": previous, "change": None if previous is None else row.amount - previous,
                "name_is_sample": row.account.is_sample, "is_sample": row.is_sample,
            }
    elif slug in BudgetItem.Breakdown.values:
        for item in selectors.items_for_download(slug, year=year).iterator(chunk_size=2000):
            yield {
                "year": item.fiscal_year.year, "era": wareki_text(item.fiscal_year.year),
                "account_code": item.account.code, "account_name": item.account.name, "level": level_text(item),
                "code": item.code, "parent_code": item.parent.code if item.parent_id else "", "name": item.name,
                "amount": item.amount, "is_sample": item.is_sample,
            }
    elif slug == "fund":
        for fund in selectors.fund_balances(year=year):
            yield {"year": fund.year, "era": wareki_text(fund.year), "amount": fund.amount, "note": fund.note,
                   "is_sample": fund.is_sample}
    else:
        raise KeyError(slug)


def dictionary_rows():
    for dataset in DATASETS.values():
        for column in dataset.columns:
            yield {"dataset": dataset.slug, "column": column.name, "meaning": str(column.meaning), "unit": str(column.unit)}
