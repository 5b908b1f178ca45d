"""Every write of the budget area: importing a checked file (all or nothing)."""
from __future__ import annotations

from django.db import transaction

from .importing import ITEM_TABLES, Plan, build_plan
from .models import GENERAL_ACCOUNT_CODE, Account, AccountBudget, BudgetItem, FiscalYear, FundBalance

BATCH = 2000


def budget_import(*, path, layout="auto", replace=False, dry_run=False, sample=False, unit=1,
                  account=GENERAL_ACCOUNT_CODE, source="") -> Plan:
    """Check the file, then (unless dry_run) write it in one transaction.

    Raises importing.BudgetFileError, naming line and column, with nothing written.
    """
    plan = build_plan(path, layout=layout, replace=replace, sample=sample, unit=unit, account=account, source=source)
    if not dry_run:
        budget_plan_apply(plan=plan)
    return plan


@transaction.atomic
def budget_plan_apply(*, plan: Plan) -> None:
    lines = plan.lines
    # The rows a replacement removes, checked again inside the transaction (a concurrent import
    # of the same year fails on the unique constraints rather than doubling the figures).
    for code, name in plan.new_accounts.items():
        Account.objects.get_or_create(
            code=code,
            defaults={"name": name, "kind": Account.Kind.GENERAL if code == GENERAL_ACCOUNT_CODE else Account.Kind.SPECIAL},
        )
    accounts = dict(Account.objects.values_list("code", "id"))

    budget_years = sorted({unit.year for unit in plan.units if unit.table != "fund"})
    for year in budget_years:
        fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
        fields = {"source": plan.source[:200]}
        if year in plan.year_sample:
            fields["totals_is_sample"] = plan.year_sample[year]
        FiscalYear.objects.filter(pk=fiscal_year.pk).update(**fields)
    years = dict(FiscalYear.objects.filter(year__in=budget_years).values_list("year", "id"))

    for unit in plan.units:
        if not unit.replaces:
            continue
        if unit.table == "account":
            AccountBudget.objects.filter(fiscal_year_id=years[unit.year], account_id=accounts[unit.account]).delete()
        elif unit.table == "fund":
            FundBalance.objects.filter(year=unit.year).delete()
        else:
            BudgetItem.objects.filter(fiscal_year_id=years[unit.year], account_id=accounts[unit.account],
                                      breakdown=unit.table).delete()

    account_lines = lines[lines["table"] == "account"]
    if not account_lines.empty:
        AccountBudget.objects.bulk_create(
            [AccountBudget(fiscal_year_id=years[row.year], account_id=accounts[row.account], amount=int(row.amount),
                           is_sample=bool(row.is_sample)) for row in account_lines.itertuples()],
            batch_size=BATCH,
        )

    fund_lines = lines[lines["table"] == "fund"]
    if not fund_lines.empty:
        FundBalance.objects.bulk_create(
            [FundBalance(year=int(row.year), amount=int(row.amount), is_sample=bool(row.is_sample), note=row.name[:200])
             for row in fund_lines.itertuples()],
            batch_size=BATCH,
        )

    # Items level by level, so that each child knows its parent's id.
    items = lines[lines["table"].isin(ITEM_TABLES)]
    ids = {}
    for depth in sorted(set(items["depth"])):
        level = items[items["depth"] == depth]
        objects = [
            BudgetItem(
                fiscal_year_id=years[row.year], account_id=accounts[row.account], breakdown=row.table,
                parent_id=ids[(row.year, row.table, row.account, row.parent)] if row.parent else None,
                code=row.code, name=row.name[:100], amount=int(row.amount), order=int(row.line),
                is_sample=bool(row.is_sample),
            )
            for row in level.itertuples()
        ]
        created = BudgetItem.objects.bulk_create(objects, batch_size=BATCH)
        if created and created[0].pk is None:  # a database that does not return ids: read them back
            lookup = {
                (y, b, a, c): pk for pk, y, b, a, c in BudgetItem.objects.filter(
                    fiscal_year__year__in=set(level["year"]), parent__isnull=(depth == 0)
                ).values_list("id", "fiscal_year__year", "breakdown", "account__code", "code")
            }
            ids.update(lookup)
        else:
            for row, obj in zip(level.itertuples(), created):
                ids[(row.year, row.table, row.account, row.code)] = obj.pk
