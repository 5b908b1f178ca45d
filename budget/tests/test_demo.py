import io

import pytest

from budget import demo
from budget.models import AccountBudget, FiscalYear

pytestmark = pytest.mark.django_db


def test_demo_adds_sample_years_once():
    demo.load(io.StringIO())
    counts = AccountBudget.objects.count()
    demo.load(io.StringIO())
    assert AccountBudget.objects.count() == counts
    for year in (2019, 2020, 2021):
        assert FiscalYear.objects.get(year=year).totals_is_sample
        assert set(AccountBudget.objects.filter(fiscal_year__year=year).values_list("is_sample", flat=True)) == {True}
    assert not FiscalYear.objects.get(year=2023).totals_is_sample


def test_sample_years_are_labeled_on_the_comparison_page(client):
    demo.load(io.StringIO())
    html = client.get("/budget/years/").content.decode()
    row = html[html.index("2019年度（令和元年度）"):]
    assert "サンプル" in row[:400]
