"""Every read of the budget area. Each function answers in a fixed number of queries,
however many years, accounts or items there are."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.http import Http404
from django.utils import timezone

from asahikawa.dates import fiscal_year_label, fiscal_year_of, wareki_text

from .models import Account, AccountBudget, BudgetItem, FiscalYear, FundBalance


@dataclass
class AccountRow:
    code: str
    name: str
    kind: str
    amount: int
    previous: int | None
    is_sample: bool
    name_is_sample: bool

    @property
    def change(self):
        return None if self.previous is None else self.amount - self.previous


@dataclass
class YearTotals:
    year: int
    general: int
    special: int
    is_sample: bool
    special_count: int = 0
    previous: "YearTotals | None" = None
    accounts: list[AccountRow] = field(default_factory=list)
    source: str = ""
    imported_at: object = None  # datetime of the last import, None for figures not imported from a file

    @property
    def special_provided(self):
        """Whether the year has special accounts at all (a city's file may give the general account only)."""
        return self.special_count > 0

    @property
    def has_sample(self):
        """Whether any figure of the totals or the accounts is sample."""
        return self.is_sample or any(row.is_sample or row.name_is_sample for row in self.accounts)

    @property
    def total(self):
        return self.general + self.special

    @property
    def label(self):
        return fiscal_year_label(self.year)

    @property
    def era_text(self):
        """令和5年度 whatever the request language: a value of the open data and the API."""
        return wareki_text(self.year)

    def _change(self, attribute):
        if self.previous is None:
            return None
        return getattr(self, attribute) - getattr(self.previous, attribute)

    @property
    def general_change(self):
        return self._change("general")

    @property
    def special_change(self):
        return self._change("special")

    @property
    def total_change(self):
        return self._change("total")


def budget_years() -> list[int]:
    """Years that have a budget, newest first (one query)."""
    return list(FiscalYear.objects.filter(account_budgets__isnull=False).distinct().order_by("-year")
                .values_list("year", flat=True))


def latest_year() -> int | None:
    return (FiscalYear.objects.filter(account_budgets__isnull=False).order_by("-year")
            .values_list("year", flat=True).first())


def front_year(today=None) -> int | None:
    """The year /budget/ shows first: the one staff chose, else the latest up to next fiscal year
    (a mistyped far year does not become the front page), else the earliest there is (one query)."""
    limit = fiscal_year_of(today or timezone.localdate()) + 1
    rows = list(FiscalYear.objects.filter(account_budgets__isnull=False).distinct().values_list("year", "shown_first"))
    chosen = [year for year, shown_first in rows if shown_first]
    if chosen:
        return chosen[0]
    years = sorted(year for year, _shown_first in rows)
    near = [year for year in years if year <= limit]
    return near[-1] if near else (years[0] if years else None)


def years_totals() -> list[YearTotals]:
    """Totals of every year with a budget, oldest first, each with its change on the year before (two queries)."""
    flags = dict(FiscalYear.objects.values_list("year", "totals_is_sample"))
    sums = (AccountBudget.objects.values("fiscal_year__year", "account__kind")
            .annotate(total=Sum("amount"), count=Count("id")).order_by("fiscal_year__year"))
    by_year: dict[int, YearTotals] = {}
    for row in sums:
        year = row["fiscal_year__year"]
        totals = by_year.setdefault(year, YearTotals(year=year, general=0, special=0, is_sample=flags.get(year, False)))
        if row["account__kind"] == Account.Kind.GENERAL:
            totals.general += row["total"]
        else:
            totals.special += row["total"]
            totals.special_count += row["count"]
    ordered = [by_year[year] for year in sorted(by_year)]
    for totals in ordered:
        totals.previous = by_year.get(totals.year - 1)
    return ordered


def year_totals(year: int) -> YearTotals:
    """One year's totals and accounts, with the year before for the change (two queries). 404 if no budget."""
    rows = list(AccountBudget.objects.filter(fiscal_year__year__in=(year, year - 1))
                .select_related("account", "fiscal_year").order_by("account__order", "account__code"))
    current = [row for row in rows if row.fiscal_year.year == year]
    if not current:
        raise Http404("no budget for this year")
    before = {row.account_id: row for row in rows if row.fiscal_year.year == year - 1}

    def totals_of(budgets, fiscal_year):
        general = sum(row.amount for row in budgets if row.account.kind == Account.Kind.GENERAL)
        special = [row for row in budgets if row.account.kind == Account.Kind.SPECIAL]
        return YearTotals(year=fiscal_year.year, general=general, special=sum(row.amount for row in special),
                          is_sample=fiscal_year.totals_is_sample, special_count=len(special))

    totals = totals_of(current, current[0].fiscal_year)
    totals.source, totals.imported_at = current[0].fiscal_year.source, current[0].fiscal_year.imported_at
    if before:
        previous_rows = list(before.values())
        totals.previous = totals_of(previous_rows, previous_rows[0].fiscal_year)
    totals.accounts = [
        AccountRow(code=row.account.code, name=row.account.name, kind=row.account.kind, amount=row.amount,
                   previous=before[row.account_id].amount if row.account_id in before else None,
                   is_sample=row.is_sample, name_is_sample=row.account.is_sample)
        for row in current
    ]
    return totals


def items(year: int, breakdown: str, *, parent_code: str | None = None, account_code: str = "general"):
    """Lines of one breakdown: the top level, or the children of the line `parent_code`."""
    query = BudgetItem.objects.filter(fiscal_year__year=year, breakdown=breakdown, account__code=account_code)
    if parent_code is None:
        query = query.filter(parent__isnull=True)
    else:
        query = query.filter(parent__code=parent_code)
    return query.order_by("order", "code")


def top_items_by_breakdown(year: int, account_code: str = "general") -> dict[str, list[BudgetItem]]:
    """The top-level lines of every breakdown of a year (one query): breakdown -> lines in order."""
    out: dict[str, list[BudgetItem]] = {}
    for line in (BudgetItem.objects.filter(fiscal_year__year=year, account__code=account_code, parent__isnull=True)
                 .order_by("breakdown", "order", "code")):
        out.setdefault(line.breakdown, []).append(line)
    return out


def purpose_tree(year: int, account_code: str = "general"):
    """(the 款 of a year's expenditure by purpose, {款 id: its 項}) in order (one query)."""
    tops, children_of = [], {}
    for line in (BudgetItem.objects.filter(fiscal_year__year=year, breakdown=BudgetItem.Breakdown.PURPOSE,
                                           account__code=account_code).order_by("order", "code")):
        if line.parent_id is None:
            tops.append(line)
        else:
            children_of.setdefault(line.parent_id, []).append(line)
    return tops, children_of


def item(year: int, breakdown: str, code: str, account_code: str = "general") -> BudgetItem:
    found = (BudgetItem.objects.filter(fiscal_year__year=year, breakdown=breakdown, code=code, account__code=account_code)
             .select_related("parent", "fiscal_year", "account").first())
    if found is None:
        raise Http404("no such item")
    return found


def items_for_download(breakdown: str, *, year: int | None = None):
    query = BudgetItem.objects.filter(breakdown=breakdown)
    if year is not None:
        query = query.filter(fiscal_year__year=year)
    return (query.select_related("fiscal_year", "account", "parent")
            .order_by("-fiscal_year__year", "account__order", "order", "code"))


def accounts_for_download(*, year: int | None = None):
    query = AccountBudget.objects.select_related("fiscal_year", "account")
    if year is not None:
        query = query.filter(fiscal_year__year__in=(year, year - 1))
    rows = list(query.order_by("-fiscal_year__year", "account__order", "account__code"))
    amounts = {(row.fiscal_year.year, row.account_id): row.amount for row in rows}
    out = []
    for row in rows:
        if year is not None and row.fiscal_year.year != year:
            continue
        previous = amounts.get((row.fiscal_year.year - 1, row.account_id))
        out.append((row, previous))
    return out


def fund_balances(*, year: int | None = None):
    query = FundBalance.objects.all()
    if year is not None:
        query = query.filter(year=year)
    return query.order_by("year")


def year_has_items(year: int) -> dict[str, bool]:
    present = set(BudgetItem.objects.filter(fiscal_year__year=year).values_list("breakdown", flat=True).distinct())
    return {choice.value: choice.value in present for choice in BudgetItem.Breakdown}


def items_have_sample(rows) -> bool:
    return any(row.is_sample for row in rows)


# --- what an import checks a file against (budget.importing) -------------------------------------

def account_kinds() -> dict[str, str]:
    """Every account the database knows: code -> kind (one query)."""
    return dict(Account.objects.values_list("code", "kind"))


def account_amounts(years) -> dict[tuple[int, str], int]:
    """(year, account code) -> the account's amount, for the given years (one query)."""
    return {
        (year, code): amount
        for year, code, amount in AccountBudget.objects.filter(fiscal_year__year__in=years)
        .values_list("fiscal_year__year", "account__code", "amount")
    }


def item_top_sums(years) -> dict[tuple[int, str, str], int]:
    """(year, breakdown, account code) -> the sum of the top-level lines the database holds (one query)."""
    return {
        (year, breakdown, code): total
        for year, breakdown, code, total in (
            BudgetItem.objects.filter(fiscal_year__year__in=years, parent__isnull=True)
            .values_list("fiscal_year__year", "breakdown", "account__code").annotate(total=Sum("amount")))
    }


def imported_units(years) -> dict[tuple[int, str, str], int]:
    """(year, table, account code) -> how many rows the database holds for it; the fund's table is
    ("fund", "") (three queries)."""
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
