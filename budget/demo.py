"""Demo data for the budget pages: FY2019-2021 totals for the comparison across years.

The FY2022/FY2023 figures of the newsletter come from the data migration (production needs them
too). The years added here are invented and stored as sample (totals_is_sample, is_sample), so
the pages label them サンプル. Idempotent: a year already present is left alone.
"""
from django.db import transaction

from . import caching
from .models import Account, AccountBudget, FiscalYear

# year: the general account in yen; the special accounts are FY2023's, scaled by SPECIAL_FACTOR.
SAMPLE_YEARS = {2019: 160_120_000_000, 2020: 171_580_000_000, 2021: 168_940_000_000}
SPECIAL_FACTOR = {2019: 0.95, 2020: 0.97, 2021: 0.99}


@transaction.atomic
def load(stdout):
    fy2023 = {row.account_id: row.amount for row in AccountBudget.objects.filter(fiscal_year__year=2023)}
    specials = list(Account.objects.filter(kind=Account.Kind.SPECIAL, id__in=fy2023))
    general = Account.objects.filter(code="general").first()
    if general is None or not specials:
        stdout.write("budget: the FY2023 figures are missing (run migrate); no sample years added")
        return
    added = []
    for year, general_amount in SAMPLE_YEARS.items():
        fiscal_year, created = FiscalYear.objects.get_or_create(
            year=year, defaults={"totals_is_sample": True, "source": "デモ用の架空データ（サンプル）"})
        if not created:
            continue
        rows = [AccountBudget(fiscal_year=fiscal_year, account=general, amount=general_amount, is_sample=True)]
        rows += [AccountBudget(fiscal_year=fiscal_year, account=account,
                               amount=int(fy2023[account.id] * SPECIAL_FACTOR[year]) // 10_000 * 10_000, is_sample=True)
                 for account in specials]
        AccountBudget.objects.bulk_create(rows)
        added.append(year)
    if added:
        caching.changed()
    stdout.write(f"budget: sample years added: {added or 'none (already there)'}")
