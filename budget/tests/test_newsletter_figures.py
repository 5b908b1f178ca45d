"""The FY2023 figures of the newsletter, loaded by the data migration, to the yen on the page,
in the CSV and in the API."""
import csv
import io

import pytest

from budget.models import AccountBudget, BudgetItem, FiscalYear

pytestmark = pytest.mark.django_db

GENERAL, GENERAL_CHANGE = 169_270_000_000, 3_460_000_000
SPECIAL, SPECIAL_CHANGE = 123_687_130_000, 3_574_010_000
TOTAL, TOTAL_CHANGE = 292_957_130_000, 7_034_010_000


def test_the_migration_loads_the_newsletter_totals():
    fy = FiscalYear.objects.get(year=2023)
    assert not fy.totals_is_sample
    budgets = AccountBudget.objects.filter(fiscal_year=fy)
    assert budgets.get(account__code="general").amount == GENERAL
    special = budgets.filter(account__kind="special")
    assert special.count() == 10
    assert sum(special.values_list("amount", flat=True)) == SPECIAL
    assert all(special.values_list("is_sample", flat=True))  # the split is not in the newsletter


def test_every_breakdown_adds_up_to_the_general_account_and_is_labeled_sample():
    for breakdown in BudgetItem.Breakdown.values:
        tops = BudgetItem.objects.filter(fiscal_year__year=2023, breakdown=breakdown, parent__isnull=True)
        assert sum(tops.values_list("amount", flat=True)) == GENERAL
        assert all(tops.values_list("is_sample", flat=True))
    for kan in BudgetItem.objects.filter(fiscal_year__year=2023, breakdown="purpose", parent__isnull=True):
        assert sum(kan.children.values_list("amount", flat=True)) == kan.amount


@pytest.mark.parametrize("url", ["/budget/", "/budget/2023/"])
def test_the_overview_page_shows_totals_and_changes(client, url):
    html = client.get(url).content.decode()
    for amount, text in [(TOTAL, "2,929億5,713万円"), (GENERAL, "1,692億7,000万円"), (SPECIAL, "1,236億8,713万円")]:
        assert text in html
        assert f'value="{amount}"' in html and f"{amount:,}円" in html
    for change, text in [(TOTAL_CHANGE, "+70億3,401万円"), (GENERAL_CHANGE, "+34億6,000万円"), (SPECIAL_CHANGE, "+35億7,401万円")]:
        assert text in html
        assert f'value="{change}"' in html and f"+{change:,}円" in html
    assert "令和5年度" in html
    assert "サンプル" in html  # the breakdowns are labeled


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_csv_has_the_totals_and_changes_to_the_yen(client):
    rows = {int(row["year"]): row for row in _csv(client, "/budget/data/years.csv")}
    fy2023 = rows[2023]
    assert fy2023["era"] == "令和5年度"
    assert int(fy2023["general_total"]) == GENERAL and int(fy2023["general_change"]) == GENERAL_CHANGE
    assert int(fy2023["special_total"]) == SPECIAL and int(fy2023["special_change"]) == SPECIAL_CHANGE
    assert int(fy2023["total"]) == TOTAL and int(fy2023["total_change"]) == TOTAL_CHANGE
    assert fy2023["is_sample"] == "false"


def test_the_accounts_csv_marks_the_sample_split(client):
    rows = _csv(client, "/budget/data/accounts.csv?year=2023")
    assert len(rows) == 11
    general = next(row for row in rows if row["account_code"] == "general")
    assert int(general["amount"]) == GENERAL and general["is_sample"] == "false"
    assert int(general["change"]) == GENERAL_CHANGE
    assert {row["is_sample"] for row in rows if row["kind"] == "special"} == {"true"}


def test_the_api_has_the_totals_and_changes_to_the_yen(client):
    body = client.get("/api/v1/budget/years/2023/").json()
    assert body["year"] == 2023 and body["era"] == "令和5年度"
    assert (body["general_total"], body["general_change"]) == (GENERAL, GENERAL_CHANGE)
    assert (body["special_total"], body["special_change"]) == (SPECIAL, SPECIAL_CHANGE)
    assert (body["total"], body["total_change"]) == (TOTAL, TOTAL_CHANGE)
    assert body["total_display"] == "2,929億5,713万円"
    assert body["special_count"] == 10 and body["is_sample"] is False
    listed = client.get("/api/v1/budget/years/").json()["results"]
    assert listed[0]["year"] == 2023 and listed[0]["total"] == TOTAL
