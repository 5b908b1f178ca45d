"""The public budget API: figures, filters, the one error body, the OpenAPI schema, query counts."""
import pytest

from asahikawa.testing import assert_queries_do_not_grow
from budget import caching
from budget.tests.factories import (
    AccountBudgetFactory,
    AccountFactory,
    BudgetItemFactory,
    FiscalYearFactory,
    FundBalanceFactory,
)

pytestmark = pytest.mark.django_db


def test_no_sign_in_needed(api_client_for, resident):
    assert api_client_for(None).get("/api/v1/budget/years/").status_code == 200
    assert api_client_for(resident).get("/api/v1/budget/years/").status_code == 200


def test_items_top_level_and_children(client):
    body = client.get("/api/v1/budget/years/2023/items/", {"breakdown": "purpose"}).json()
    assert body["count"] == 14
    assert sum(item["amount"] for item in body["results"]) == 169_270_000_000
    assert all(item["is_sample"] and item["parent"] is None for item in body["results"])
    children = client.get("/api/v1/budget/years/2023/items/", {"breakdown": "purpose", "parent": "03"}).json()["results"]
    assert {item["parent"] for item in children} == {"03"}
    assert sum(item["amount"] for item in children) == 76_000_000_000


def test_unknown_year_is_404_with_the_error_body(client):
    response = client.get("/api/v1/budget/years/1999/")
    assert response.status_code == 404 and set(response.json()) == {"message", "extra"}
    assert client.get("/api/v1/budget/years/1999/items/").status_code == 404


def test_a_year_too_large_for_the_database_is_404_not_an_error(client):
    huge = 10**30  # would overflow SQLite's integers if it reached a query
    assert client.get(f"/api/v1/budget/years/{huge}/").status_code == 404
    assert client.get(f"/api/v1/budget/years/{huge}/items/").status_code == 404
    response = client.get("/api/v1/budget/calculator/", {"tax": 100, "year": huge})
    assert response.status_code == 400 and "year" in response.json()["extra"]["fields"]


def test_bad_breakdown_is_400_with_field_errors(client):
    response = client.get("/api/v1/budget/years/2023/items/", {"breakdown": "wrong"})
    assert response.status_code == 400
    assert "breakdown" in response.json()["extra"]["fields"]


def test_fund_balances_are_labeled_sample(client):
    rows = client.get("/api/v1/budget/fund-balances/").json()["results"]
    assert [row["year"] for row in rows] == [2018, 2019, 2020, 2021, 2022, 2023]
    assert all(row["is_sample"] for row in rows)


def test_calculator(client):
    body = client.get("/api/v1/budget/calculator/", {"income": 5_000_000, "year": 2023}).json()
    assert body["tax"] == 191_300 and body["estimated_from_income"] == 5_000_000 and body["days"] == 366
    assert sum(item["per_year"] for item in body["slices"]) == 191_300
    assert body["is_sample"] is True


@pytest.mark.parametrize(("params", "field"), [
    ({}, "income"), ({"income": 1, "tax": 1}, "income"), ({"tax": "1.5"}, "tax"), ({"tax": -1}, "tax"),
    ({"tax": 100, "year": 2022}, "year"),
])
def test_calculator_bad_input(client, params, field):
    response = client.get("/api/v1/budget/calculator/", params)
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


def test_the_schema_documents_the_budget_api(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/budget/years/", "/api/v1/budget/years/{year}/", "/api/v1/budget/years/{year}/items/",
                 "/api/v1/budget/fund-balances/", "/api/v1/budget/calculator/"):
        assert path in schema


@pytest.mark.parametrize("url", [
    "/api/v1/budget/years/", "/api/v1/budget/years/2023/", "/api/v1/budget/years/2023/items/?breakdown=purpose",
    "/api/v1/budget/fund-balances/",
])
def test_query_count_does_not_grow_with_rows(client, url):
    def grow():
        for i in range(5):
            account = AccountFactory()
            AccountBudgetFactory(fiscal_year=FiscalYearFactory(year=2023), account=account)
            AccountBudgetFactory(fiscal_year=FiscalYearFactory(year=1960 + i))
            BudgetItemFactory(fiscal_year=FiscalYearFactory(year=2023), code=f"y{i}")
            FundBalanceFactory(year=1960 + i)
        caching.changed()  # the factories write past the services: the cached answers are computed again

    def fetch():
        assert client.get(url).status_code == 200

    assert_queries_do_not_grow(fetch, grow)
