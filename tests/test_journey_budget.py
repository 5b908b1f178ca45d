"""Browser journey through the budget pages: overview, drill down to one purpose, the calculator,
a CSV download; axe-clean on every page."""
import csv
import io
from importlib import import_module

import pytest

from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def newsletter_figures(transactional_db):
    """The live server needs committed data. The FY2023 figures come from the data migration,
    which an earlier transactional test's flush erases: load them again by the migration's own code."""
    from django.apps import apps

    from budget.models import FiscalYear

    if not FiscalYear.objects.filter(year=2023).exists():
        import_module("budget.migrations.0002_fy2023_newsletter_figures").forwards(apps, None)


def test_budget_journey(page):
    page.goto("/budget/")
    assert "令和5年度" in page.locator("h1").inner_text()
    totals = page.locator("#total-all")
    assert "2,929億5,713万円" in totals.inner_text() and "+70億3,401万円" in totals.inner_text()
    assert totals.locator("data").first.get_attribute("title") == "292,957,130,000円"  # exact yen on hover
    assert_accessible(page)

    page.locator("#purpose table").get_by_role("link", name="民生費").click()
    page.wait_for_url("**/budget/2023/purpose/03/")
    assert "民生費" in page.locator("h1").inner_text()
    assert page.get_by_role("cell", name="生活保護費").count() + page.get_by_role("rowheader", name="生活保護費").count() >= 1
    assert "サンプル" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="私の税金の使いみち").first.click()
    page.wait_for_url("**/budget/calculator/")
    page.get_by_label("市民税の額から計算する").check()
    page.get_by_label("金額（円）").fill("120000")
    page.get_by_role("button", name="計算する").click()
    page.wait_for_url("**/budget/calculator/?*")
    result = page.locator("#result")
    assert "120,000円" in result.inner_text() and "民生費" in result.inner_text()
    assert_accessible(page)

    page.get_by_label("金額（円）").fill("12.5")
    page.get_by_role("button", name="計算する").click()
    page.wait_for_load_state()
    assert "円単位の整数で入力してください" in page.locator("main").inner_text()

    page.get_by_role("link", name="オープンデータ").first.click()
    page.wait_for_url("**/budget/data/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="年度別の予算総額（CSV）").click()
    download = download_info.value
    assert download.suggested_filename == "asahikawa-budget-years.csv"
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    fy2023 = next(row for row in rows if row["year"] == "2023")
    assert (fy2023["total"], fy2023["total_change"]) == ("292957130000", "7034010000")
    assert fy2023["is_sample"] == "false"


def test_budget_pages_fit_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    for url in ("/budget/", "/budget/years/", "/budget/calculator/?mode=tax&amount=50000&year=2023"):
        page.goto(url)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} scrolls sideways on a phone by {overflow}px"
        assert_accessible(page)
