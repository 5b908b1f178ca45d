"""The public pages: content, sample labels, bad input, and query counts that stay the same as data grows."""
import csv
import io
import json

import pytest

from asahikawa.testing import assert_queries_do_not_grow
from budget import caching
from budget.models import Account, AccountBudget, BudgetItem
from budget.tests.factories import (
    AccountBudgetFactory,
    AccountFactory,
    BudgetItemFactory,
    FiscalYearFactory,
    FundBalanceFactory,
)

pytestmark = pytest.mark.django_db


def test_overview_lists_accounts_breakdowns_and_links_to_the_drill_down(client):
    html = client.get("/budget/2023/").content.decode()
    assert "国民健康保険事業" in html and "水道事業" in html
    assert 'href="/budget/2023/purpose/03/"' in html  # 民生費
    for title in ("目的別歳出", "性質別歳出", "歳入"):
        assert title in html
    assert 'role="img"' in html and "<table>" in html  # chart with a table beside it
    assert "<script" not in html and 'style="' not in html


def test_latest_year_is_the_default(client):
    FiscalYearFactory(year=2024)  # a year with no budget yet is not the latest
    assert client.get("/budget/").context["year"] == 2023


def test_a_year_with_no_breakdown_says_so(client):
    html = client.get("/budget/2022/").content.decode()
    assert "内訳のデータはありません" in html
    assert "1,658億1,000万円" in html  # FY2022 general account, derived from the newsletter


def test_drill_down_to_one_purpose(client):
    response = client.get("/budget/2023/purpose/03/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "民生費" in html and "生活保護費" in html and "児童福祉費" in html
    assert "760億円" in html and "サンプル" in html
    kan = BudgetItem.objects.get(fiscal_year__year=2023, breakdown="purpose", code="03")
    assert sum(child.amount for child in response.context["children"]) == kan.amount


def test_drill_down_of_a_child_redirects_to_its_parent(client):
    response = client.get("/budget/2023/purpose/03-01/")
    assert response.status_code == 302 and response["Location"] == "/budget/2023/purpose/03/"


def test_years_page_compares_years_and_shows_the_fund(client):
    html = client.get("/budget/years/").content.decode()
    assert "2,929億5,713万円" in html and "2,859億2,312万円" in html  # FY2023 and FY2022 totals
    assert "財政調整基金" in html and "サンプル" in html


def test_calculator_shows_what_the_tax_pays_for(client):
    response = client.get("/budget/calculator/", {"mode": "tax", "amount": "100000", "year": "2023"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "100,000円" in html and "民生費" in html and "1日あたり" in html
    response = client.get("/budget/calculator/", {"mode": "income", "amount": "5000000", "year": "2023"})
    assert "191,300円" in response.content.decode()


@pytest.mark.parametrize(("params", "field"), [
    ({"mode": "tax", "amount": "12.5", "year": "2023"}, "amount"),
    ({"mode": "tax", "amount": "-1", "year": "2023"}, "amount"),
    ({"mode": "tax", "amount": "100", "year": "1999"}, "year"),
    ({"mode": "other", "amount": "100", "year": "2023"}, "mode"),
    ({"mode": "tax", "amount": "100", "year": "2022"}, "year"),  # no breakdown that year
])
def test_calculator_bad_input_is_answered_field_by_field(client, params, field):
    response = client.get("/budget/calculator/", params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="field-errors"' in response.content.decode()


def test_data_page_states_license_and_dictionary(client):
    html = client.get("/budget/data/").content.decode()
    assert "CC BY 4.0" in html and "creativecommons.org/licenses/by/4.0" in html
    assert "is_sample" in html and "円" in html
    for slug in ("years", "accounts", "purpose", "nature", "revenue", "fund", "dictionary"):
        assert f"/budget/data/{slug}.csv" in html and f"/budget/data/{slug}.json" in html


@pytest.mark.parametrize("slug", ["years", "accounts", "purpose", "nature", "revenue", "fund"])
def test_every_dataset_downloads_as_csv_and_json_with_is_sample(client, slug):
    response = client.get(f"/budget/data/{slug}.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows and "is_sample" in rows[0]
    assert "attachment" in response["Content-Disposition"]
    body = json.loads(client.get(f"/budget/data/{slug}.json").content)
    assert body["license"] == "CC BY 4.0" and len(body["records"]) == len(rows)
    assert {column["column"] for column in body["columns"]} == set(rows[0])
    assert all(column["meaning"] for column in body["columns"])


def test_the_purpose_csv_adds_up(client):
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/budget/data/purpose.csv?year=2023").streaming_content).decode("utf-8-sig"))))
    assert sum(int(row["amount"]) for row in rows if not row["parent_code"]) == 169_270_000_000
    assert {row["is_sample"] for row in rows} == {"true"}


def test_dictionary_csv(client):
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/budget/data/dictionary.csv").streaming_content).decode("utf-8-sig"))))
    amount = next(row for row in rows if row["dataset"] == "years" and row["column"] == "total")
    assert amount["unit"] == "円"


def test_bad_year_parameter_is_404(client):
    assert client.get("/budget/data/years.csv?year=abc").status_code == 404
    huge = 10**30  # would overflow SQLite's integers if it reached a query
    assert client.get(f"/budget/data/accounts.csv?year={huge}").status_code == 404
    assert client.get(f"/budget/{huge}/").status_code == 404
    assert client.get(f"/budget/{huge}/purpose/03/").status_code == 404


def _grow(n, year=2023):
    """Add n special accounts, n 款 (each with a 項) and n fund years."""
    for i in range(n):
        account = AccountFactory()
        AccountBudgetFactory(fiscal_year=FiscalYearFactory(year=year), account=account)
        AccountBudgetFactory(fiscal_year=FiscalYearFactory(year=year - 1), account=account)
        kan = BudgetItemFactory(fiscal_year=FiscalYearFactory(year=year), code=f"x{i}")
        BudgetItemFactory(fiscal_year=kan.fiscal_year, parent=kan, code=f"x{i}-1")
        FundBalanceFactory(year=1900 + i)
        AccountBudgetFactory(fiscal_year=FiscalYearFactory(year=1950 + i), account=Account.objects.get(code="general"))


def _fetch(client, url):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # a CSV queries while it streams
    assert response.status_code == 200


@pytest.mark.parametrize("url", [
    "/budget/", "/budget/2023/", "/budget/2023/purpose/03/", "/budget/years/", "/budget/data/",
    "/budget/calculator/?mode=tax&amount=10000&year=2023",
    "/budget/data/accounts.csv", "/budget/data/purpose.csv", "/budget/data/years.json", "/budget/data/fund.csv",
])
def test_query_count_does_not_grow_with_rows(client, url):
    def grow():
        _grow(5)
        assert AccountBudget.objects.filter(fiscal_year__year=2023).count() == 16
        caching.changed()  # the factories write past the services: the cached pages are computed again

    assert_queries_do_not_grow(lambda: _fetch(client, url), grow)


def test_no_budget_at_all_is_a_page_not_an_error(client):
    from budget.models import FiscalYear

    FiscalYear.objects.all().delete()
    response = client.get("/budget/")
    assert response.status_code == 200 and "まだありません" in response.content.decode()
    assert client.get("/budget/years/").status_code == 200
    assert client.get("/budget/calculator/", {"mode": "tax", "amount": "1", "year": "2023"}).status_code == 400


def test_a_year_of_other_unicode_digits_is_404_not_a_server_error(client):
    # "²".isdigit() is true but int("²") raises: the parameter must be ASCII digits.
    assert client.get("/budget/data/years.csv?year=²").status_code == 404


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(client):
    # Names come from staff's budget files: a spreadsheet must not run them as formulas.
    fiscal_year = FiscalYearFactory(year=2031)
    AccountBudgetFactory(fiscal_year=fiscal_year, account=AccountFactory(code="evil", name="=HYPERLINK(\"http://x\")"))
    BudgetItemFactory(fiscal_year=fiscal_year, code="e1", name="+1+cmd|' /C calc'!A0")
    BudgetItemFactory(fiscal_year=fiscal_year, code="e2", name="@SUM(A1)")
    BudgetItemFactory(fiscal_year=fiscal_year, code="e3", name="-2+3")
    FundBalanceFactory(year=2031, note="=1+1")
    cells = []
    for slug in ("accounts", "purpose", "fund"):
        content = b"".join(client.get(f"/budget/data/{slug}.csv?year=2031").streaming_content).decode("utf-8-sig")
        cells += [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'+1+cmd|' /C calc'!A0" in cells
    assert "'@SUM(A1)" in cells and "'-2+3" in cells and "'=1+1" in cells
    assert not any(cell[:1] in ("=", "+", "@") for cell in cells)
    # Numbers, negative changes included, stay numbers; the JSON keeps the text as it is.
    body = client.get("/budget/data/fund.json?year=2031").json()
    assert body["records"][0]["note"] == "=1+1"
