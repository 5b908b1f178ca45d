"""The public API: districts, categories, collections between two dates, the item search."""
import datetime

import pytest

from community.garbage import services
from community.garbage.models import Area, Change

from .factories import CategoryFactory, CollectionDistrictFactory, ItemFactory, RuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    district = CollectionDistrictFactory(code="3-a", name="3-A")
    Area.objects.create(name="永山3条", district=district)
    burnable = CategoryFactory(code="burnable", name="燃やせるごみ", letter="燃", shape="circle")
    RuleFactory(district=district, category=burnable, weekdays="0")
    ItemFactory(name="ペットボトル", category=burnable)
    services.calendar_object_save(obj=Change(district=district, category=burnable, kind="move",
                                             day=datetime.date(2023, 5, 15), new_day=datetime.date(2023, 5, 16),
                                             reason="行事"))
    return district


def test_districts_and_categories(client, data):
    (district,) = client.get("/api/v1/garbage/districts/").json()["results"]
    assert district["code"] == "3-a" and district["areas"] == ["永山3条"]
    (category,) = client.get("/api/v1/garbage/categories/").json()
    assert (category["code"], category["letter"], category["shape"]) == ("burnable", "燃", "circle")


def test_collections_between_two_dates(client, data):
    body = client.get("/api/v1/garbage/collections/?district=3-a&date_from=2023-05-08&date_to=2023-05-22").json()
    assert [(row["date"], row["status"]) for row in body] == [
        ("2023-05-08", "regular"), ("2023-05-15", "cancelled"), ("2023-05-16", "moved"), ("2023-05-22", "regular")]
    assert body[1]["moved_to"] == "2023-05-16" and body[2]["scheduled_date"] == "2023-05-15" and body[2]["note"] == "行事"


def test_errors_in_the_one_body(client, data):
    body = client.get("/api/v1/garbage/collections/?district=3-a&date_from=2023-05-08").json()
    assert "date_to" in body["extra"]["fields"]
    body = client.get("/api/v1/garbage/collections/?district=3-a&date_from=2023-01-01&date_to=2024-12-31").json()
    assert "date_to" in body["extra"]["fields"]
    response = client.get("/api/v1/garbage/collections/?district=zz&date_from=2023-05-08&date_to=2023-05-09")
    assert response.status_code == 404 and response.json()["extra"]["code"] == "not_found"


def test_item_search(client, data):
    assert [item["name"] for item in client.get("/api/v1/garbage/items/?q=ぺっと").json()] == ["ペットボトル"]
    assert client.get("/api/v1/garbage/items/?q=").status_code == 400
