"""Every write of the budget area: importing a checked file (all or nothing)."""
from __future__ import annotations

import logging

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from . import caching
from .importing import Plan, build_plan
from .importing.compact import items_of, key, lookup
from .models import GENERAL_ACCOUNT_CODE, Account, AccountBudget, BudgetItem, FiscalYear, FundBalance

BATCH = 2000
logger = logging.getLogger(__name__)


def budget_import(*, file, layout="auto", replace=False, dry_run=False, sample=False, unit=1,
                  account=GENERAL_ACCOUNT_CODE, source="") -> Plan:
    """Check the file (a path, or an uploaded/opened binary file), then (unless dry_run) write it in
    one transaction.

    Raises asahikawa.spreadsheets.SpreadsheetError, naming file, row and column, with nothing written.
    """
    fields = {"file": str(getattr(file, "name", file))[-200:], "layout": layout, "replace": replace, "dry_run": dry_run}
    try:
        plan = build_plan(file, layout=layout, replace=replace, sample=sample, unit=unit, account=account, source=source)
        try:
            if not dry_run:
                budget_plan_apply(plan=plan)
        finally:
            plan.store.close()  # the lines' temporary files: what is shown of the plan is its units
    except Exception as exc:
        logger.warning("budget import refused", extra={**fields, "error": str(exc)[:500]})
        raise
    logger.info("budget imported" if not dry_run else "budget import checked",
                extra={**fields, "lines": len(plan.store), "years": [int(year) for year in plan.years]})
    return plan


@transaction.atomic
def budget_plan_apply(*, plan: Plan) -> None:
    # The rows a replacement removes, checked again inside the transaction (a concurrent import
    # of the same year fails on the unique constraints rather than doubling the figures).
    for code, name in plan.new_accounts.items():
        Account.objects.get_or_create(
            code=code,
            defaults={"name": name[:100], "kind": Account.Kind.GENERAL if code == GENERAL_ACCOUNT_CODE else Account.Kind.SPECIAL},
        )
    accounts = dict(Account.objects.values_list("code", "id"))

    caching.changed()
    budget_years = sorted({unit.year for unit in plan.units if unit.table != "fund"})
    now = timezone.now()
    for year in budget_years:
        fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
        fields = {"source": plan.source[:200], "imported_at": now}
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

    for _year, lines in plan.lines_by_year():  # one year's lines in memory at a time
        _insert_lines(lines, years=years, accounts=accounts)


def _insert_lines(lines, *, years: dict, accounts: dict) -> None:
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

    _insert_item_lines(items_of(lines), years=years, accounts=accounts)


def _insert_item_lines(items, *, years: dict, accounts: dict) -> None:
    """Items level by level (each child knows its parent's id), in batches: the rows of one batch are
    the only Python objects made, so memory does not grow with the file (budget/importing/compact.py)."""
    if items.empty:
        return
    keys = key(items, "code")
    parent_keys = key(items, "parent")
    depth = items["depth"].to_numpy()
    year_ids = items["year"].map(years).to_numpy(dtype="int64")
    account_lookup = np.array([accounts.get(code, 0) for code in items["account"].cat.categories], dtype="int64")
    account_ids = account_lookup[items["account"].cat.codes.to_numpy()]
    ids = np.zeros(len(items), dtype="int64")
    for level in sorted(set(depth.tolist())):
        positions = np.flatnonzero(depth == level)
        parent_ids = ids[lookup(keys, parent_keys[positions])] if level else None
        for start in range(0, len(positions), INSERT_BATCH):
            batch = positions[start:start + INSERT_BATCH]
            rows = items.iloc[batch]
            parents = parent_ids[start:start + INSERT_BATCH].tolist() if level else [None] * len(batch)
            values = list(zip(
                year_ids[batch].tolist(), account_ids[batch].tolist(), rows["table"].astype(object).tolist(), parents,
                rows["code"].astype(object).tolist(), [name[:100] for name in rows["name"].astype(object).tolist()],
                rows["amount"].tolist(), rows["line"].tolist(), rows["is_sample"].tolist(),
            ))
            ids[batch] = _insert_items(values)


INSERT_BATCH = 10_000


ITEM_COLUMNS = ("fiscal_year_id", "account_id", "breakdown", "parent_id", "code", "name", "amount", "order", "is_sample")


def _insert_items(values):
    """Insert item rows, returning their ids in order. On PostgreSQL one multi-row INSERT ... RETURNING
    per batch through psycopg2 (no model instances: the ORM's per-object cost was most of the import's
    time); elsewhere bulk_create, which also returns ids on SQLite 3.35+."""
    if not values:
        return []
    if connection.vendor == "postgresql":
        from psycopg2.extras import execute_values

        table = BudgetItem._meta.db_table
        columns = ", ".join(connection.ops.quote_name(column) for column in ITEM_COLUMNS)
        with connection.cursor() as cursor:
            rows = execute_values(cursor.cursor, f"INSERT INTO {table} ({columns}) VALUES %s RETURNING id", values,
                                  page_size=BATCH, fetch=True)
        return [row[0] for row in rows]
    created = BudgetItem.objects.bulk_create([BudgetItem(**dict(zip(ITEM_COLUMNS, row))) for row in values], batch_size=BATCH)
    if created and created[0].pk is None:
        raise RuntimeError("this database does not return the ids of inserted rows (SQLite older than 3.35?)")
    return [obj.pk for obj in created]


@transaction.atomic
def fiscal_year_show_first(*, fiscal_year: FiscalYear | None) -> None:
    """The year /budget/ shows first (None: the latest up to next fiscal year)."""
    FiscalYear.objects.filter(shown_first=True).update(shown_first=False)
    if fiscal_year is not None:
        FiscalYear.objects.filter(pk=fiscal_year.pk).update(shown_first=True)
    caching.changed()
