import pytest

from budget.calculator import calculate, days_in_fiscal_year, employment_income_deduction, estimate_city_tax, share


@pytest.mark.parametrize(("salary", "deduction"), [
    (1_000_000, 550_000), (1_700_000, 580_000), (3_000_000, 980_000), (5_000_000, 1_440_000),
    (7_000_000, 1_800_000), (10_000_000, 1_950_000),
])
def test_employment_income_deduction(salary, deduction):
    assert employment_income_deduction(salary) == deduction


def test_city_tax_estimate_by_hand():
    # 5,000,000 - 1,440,000 = 3,560,000; - 430,000 = 3,130,000; 6% = 187,800; + 3,500 per capita.
    assert estimate_city_tax(5_000_000, 2023) == 191_300
    assert estimate_city_tax(5_000_000, 2024) == 190_800
    assert estimate_city_tax(1_000_000, 2023) == 0  # income 450,000: not taxed


def test_days_in_fiscal_year():
    assert days_in_fiscal_year(2023) == 366  # April 2023 - March 2024 holds 29 February 2024
    assert days_in_fiscal_year(2022) == 365


def test_share_adds_up_exactly():
    parts = share(100_001, [3, 3, 3])
    assert sum(parts) == 100_001 and max(parts) - min(parts) <= 1


@pytest.mark.django_db
def test_calculate_shares_the_tax_by_purpose():
    result = calculate(year=2023, tax=100_000)
    assert sum(item.per_year for item in result.slices) == 100_000
    welfare = next(item for item in result.slices if item.name == "民生費")
    # 民生費 is 7,600,000万円 of 16,927,000万円 (sample split): 44,898.7 yen of 100,000.
    assert welfare.per_year in (44_898, 44_899)
    assert welfare.per_day == round(welfare.per_year / 366, 1)
    assert result.is_sample


@pytest.mark.django_db
def test_calculate_without_a_breakdown_is_none():
    assert calculate(year=2022, tax=1000) is None


def test_dependants_lower_the_estimate():
    # 5,000,000 - 1,440,000 = 3,560,000; - 430,000 - 2 x 330,000 = 2,470,000; 6% = 148,200; + 3,000.
    assert estimate_city_tax(5_000_000, 2024, dependants=2) == 151_200
    assert estimate_city_tax(5_000_000, 2024, dependants=0) == 190_800
    # 1,500,000 - 550,000 = 950,000: taxed for a single person, under the limits with two dependants
    # (350,000 x 3 + 100,000 + 320,000 = 1,470,000 and + 210,000 = 1,360,000).
    assert estimate_city_tax(1_500_000, 2024) > 0
    assert estimate_city_tax(1_500_000, 2024, dependants=2) == 0


@pytest.mark.django_db
def test_each_purpose_drills_down_into_its_subcategories():
    result = calculate(year=2023, tax=100_000)
    welfare = next(item for item in result.slices if item.name == "民生費")
    assert welfare.children and sum(child.per_year for child in welfare.children) == welfare.per_year
    assert all(child.per_day == round(child.per_year / 366, 1) for child in welfare.children)


@pytest.mark.django_db
def test_the_calculator_page_takes_the_household_and_drills_down(client):
    single = client.get("/budget/calculator/", {"mode": "income", "amount": 5_000_000, "year": 2023,
                                                "household": "single"})
    family = client.get("/budget/calculator/", {"mode": "income", "amount": 5_000_000, "year": 2023,
                                                "household": "dependants", "dependants": 2})
    assert single.context["result"].tax == 191_300 and family.context["result"].tax == 151_700
    html = family.content.decode()
    assert "扶養する家族 2人" in html and "<details" in html and "目的ごとの内訳（項）" in html
    missing = client.get("/budget/calculator/", {"mode": "income", "amount": 5_000_000, "year": 2023,
                                                 "household": "dependants"})
    assert missing.status_code == 400 and "dependants" in missing.context["form"].errors


@pytest.mark.django_db
def test_the_calculator_api_takes_dependants_and_has_subcategories(client):
    body = client.get("/api/v1/budget/calculator/", {"income": 5_000_000, "year": 2023, "dependants": 2}).json()
    assert body["tax"] == 151_700 and body["dependants"] == 2
    assert any(slice_["children"] for slice_ in body["slices"])
    assert client.get("/api/v1/budget/calculator/", {"income": 1, "dependants": 99}).status_code == 400
