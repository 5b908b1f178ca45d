"""The budget pages as issue 9 asks: the sample footnote only where a value is sample, each year's
source, "not provided" for a year without special accounts, the front year chosen by staff or the
latest up to next fiscal year; and the rendering of a year cached, never stale after a change,
in a fixed number of queries."""

import datetime

import pytest
from django.core.management import call_command

from asahikawa.testing import count_queries
from budget import caching, selectors
from budget.models import AccountBudget, FiscalYear
from budget.services import fiscal_year_show_first
from conftest import client_for

from .factories import AccountBudgetFactory, BudgetItemFactory, FiscalYearFactory
from .test_import import write

pytestmark = pytest.mark.django_db

FOOTNOTE = "「サンプル」と表示された値はデモ用の架空データです。"
REAL = """year,table,account,code,parent,name,amount,is_sample
2025,account,general,,,一般会計,"170,000,000,000",false
2025,purpose,general,01,,民生費,"100,000,000,000",false
2025,purpose,general,01-01,01,社会福祉費,"100,000,000,000",false
2025,purpose,general,02,,土木費,"70,000,000,000",false
"""


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- 6. pages ------------------------------------------------------------------------------------


def test_a_real_imported_year_has_no_sample_footnote_and_shows_its_source(client, tmp_path):
    call_command("import_budget", str(write(tmp_path, REAL, "asahikawa-2025.csv")))
    page = html(client, "/budget/2025/")
    # Nothing of the year is marked sample (the footer's city contact is, on every page: not the year's).
    main = page[page.index("<main"):page.index("</main>")]
    assert FOOTNOTE not in page and "サンプル" not in main
    imported = FiscalYear.objects.get(year=2025).imported_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert f"出典: asahikawa-2025.csv（{imported.year}年{imported.month}月{imported.day}日取り込み）" in page
    drill = html(client, "/budget/2025/purpose/01/")
    assert FOOTNOTE not in drill and "出典: asahikawa-2025.csv" in drill


def test_a_year_with_sample_values_keeps_the_footnote(client):
    page = html(client, "/budget/2023/")  # the newsletter year: its breakdowns are sample
    assert FOOTNOTE in page and "出典: 広報あさひかわ" in page


def test_a_year_without_special_accounts_says_not_provided(client, tmp_path):
    call_command("import_budget", str(write(tmp_path, REAL)))
    page = html(client, "/budget/2025/")
    assert "データの提供なし" in page and "0会計" not in page
    api = client.get("/api/v1/budget/years/2025/").json()
    assert api["special_provided"] is False and api["source"] == "budget.csv"
    years = client.get("/api/v1/budget/years/").json()
    assert {row["year"]: row["special_provided"] for row in years["results"]}[2025] is False


def test_the_front_year_is_the_latest_up_to_next_fiscal_year(client):
    fiscal_year = FiscalYearFactory(year=2200)  # a mistyped year, written past the import's check
    AccountBudgetFactory(fiscal_year=fiscal_year)
    assert selectors.front_year(datetime.date(2026, 6, 1)) == 2023
    assert selectors.front_year(datetime.date(2199, 4, 1)) == 2200
    assert "2023年度（令和5年度）" in html(client, "/budget/").split("<h1>", 1)[1].split("</h1>")[0]


def test_staff_choose_the_front_year_in_the_admin_console(client, make_staff):
    staff = client_for(make_staff("finance"))
    fy2022 = FiscalYear.objects.get(year=2022)
    assert "2023年度" in html(client, "/budget/").split("<h1>", 1)[1]  # cached now
    response = staff.post("/admin/budget/fiscalyear/", {"action": "show_first", "_selected_action": [fy2022.pk]})
    assert response.status_code == 302
    assert "2022年度（令和4年度）" in html(client, "/budget/").split("<h1>", 1)[1].split("</h1>")[0]
    staff.post("/admin/budget/fiscalyear/", {"action": "show_latest_first", "_selected_action": [fy2022.pk]})
    assert "2023年度（令和5年度）" in html(client, "/budget/").split("<h1>", 1)[1].split("</h1>")[0]
    assert not FiscalYear.objects.filter(shown_first=True).exists()


# --- 2. cached, never stale, a fixed number of queries ---------------------------------------------

PAGES = [
    "/budget/",
    "/budget/2023/",
    "/budget/2023/purpose/03/",
    "/api/v1/budget/years/",
    "/api/v1/budget/years/2023/",
    "/api/v1/budget/years/2023/items/?breakdown=purpose",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_cached_page_runs_no_query_and_a_computed_one_a_fixed_number(client, url):
    with count_queries() as first:
        assert client.get(url).status_code == 200
    with count_queries() as again:
        assert client.get(url).status_code == 200
    assert len(again) == 0, again
    for i in range(20):  # more data of every kind the page reads
        BudgetItemFactory(fiscal_year=FiscalYear.objects.get(year=2023), code=f"g{i}", amount=0)
        BudgetItemFactory(
            fiscal_year=FiscalYear.objects.get(year=2023), code=f"g{i}-1", parent=None, amount=0, breakdown="nature"
        )
    caching.changed()
    with count_queries() as grown:
        assert client.get(url).status_code == 200
    assert len(grown) == len(first) > 0


def test_an_import_shows_at_once_on_every_cached_page(client, tmp_path):
    call_command("import_budget", str(write(tmp_path, REAL)))
    for url in (
        "/budget/",
        "/budget/2025/",
        "/budget/2025/purpose/01/",
        "/api/v1/budget/years/",
        "/api/v1/budget/years/2025/items/?breakdown=purpose&parent=01",
    ):
        client.get(url)  # cached
    corrected = REAL.replace("170,000,000,000", "170,000,441,000").replace(
        '土木費,"70,000,000,000"', "土木費,70000441000"
    )
    corrected = corrected.replace(
        ',"100,000,000,000",false\n2025,purpose,general,01-01', ",100000000000,false\n2025,purpose,general,01-01"
    )
    call_command("import_budget", str(write(tmp_path, corrected, "c.csv")), "--replace")
    assert "170,000,441,000" in html(client, "/budget/2025/")
    assert "170,000,441,000" in html(client, "/budget/")
    assert "出典: c.csv" in html(client, "/budget/2025/purpose/01/")
    years = client.get("/api/v1/budget/years/").json()["results"]
    assert {row["year"]: row["general_total"] for row in years}[2025] == 170_000_441_000


def test_a_staff_edit_shows_at_once(client, make_staff):
    staff = client_for(make_staff("finance"))
    assert "国民健康保険事業" in html(client, "/budget/2023/")
    budget = AccountBudget.objects.get(fiscal_year__year=2023, account__code="kokuho")
    account = budget.account
    response = staff.post(
        f"/admin/budget/account/{account.pk}/change/",
        {"code": account.code, "name": "国民健康保険（改称）", "kind": account.kind, "order": account.order},
    )
    assert response.status_code == 302
    assert "国民健康保険（改称）" in html(client, "/budget/2023/")
    assert "国民健康保険（改称）" in client.get("/api/v1/budget/years/2023/").content.decode()


def test_the_service_that_chooses_the_front_year_invalidates_it(client):
    assert client.get("/budget/").context["year"] == 2023
    fiscal_year_show_first(fiscal_year=FiscalYear.objects.get(year=2022))
    assert client.get("/budget/").context["year"] == 2022
