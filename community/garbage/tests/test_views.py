"""The public pages: the remembered district (session for the public, the profile's for a resident),
today and tomorrow, the April switch to the next fiscal year's calendar, the search, the month's
query count, the reminder switch."""
import datetime

import pytest
import time_machine

from asahikawa.accounts.tests.factories import DistrictFactory, UserFactory
from asahikawa.notifications.models import NotificationPreference
from community.garbage import services
from community.garbage.models import ResidentDistrict
from conftest import client_for

from .factories import CategoryFactory, CollectionDistrictFactory, ItemFactory, RuleFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def calendar():
    """FY2023: 燃やせるごみ every Sunday; FY2024 (from April 1, 2024): プラスチック every Monday."""
    district = CollectionDistrictFactory(code="3-a", name="3-A")
    burnable = CategoryFactory(code="burnable", name="燃やせるごみ", name_en="Burnable waste")
    plastic = CategoryFactory(code="plastic", name="プラスチック製容器包装")
    RuleFactory(district=district, category=burnable, fiscal_year=2023, weekdays="6")
    RuleFactory(district=district, category=plastic, fiscal_year=2024, weekdays="0")
    services.districts_touch()
    return district


def section(html, element_id):
    return html.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


def test_the_fiscal_year_switches_on_april_1(client, calendar):
    with time_machine.travel("2024-03-30 20:00 +0900"):
        html = client.get("/community/garbage/d/3-a/").content.decode()
        assert "燃やせるごみ" in section(html, "tomorrow")  # Sunday 3/31, FY2023
    with time_machine.travel("2024-03-31 20:00 +0900"):
        html = client.get("/community/garbage/d/3-a/").content.decode()
        assert "燃やせるごみ" in section(html, "today-heading")
        tomorrow = section(html, "tomorrow")
        assert "プラスチック製容器包装" in tomorrow and "燃やせるごみ" not in tomorrow  # Monday 4/1, FY2024
    with time_machine.travel("2024-04-01 08:00 +0900"):
        html = client.get("/community/garbage/d/3-a/").content.decode()
        assert "プラスチック製容器包装" in section(html, "today-heading")
        assert "まだ登録されていません" not in html


def test_next_years_calendar_can_be_previewed_before_april(client, calendar):
    with time_machine.travel("2024-02-10 12:00 +0900"):
        html = client.get("/community/garbage/d/3-a/2024/").content.decode()
        assert "プラスチック製容器包装" in html and "1, 8, 15, 22, 29" in html  # April 2024 Mondays
        month = client.get("/community/garbage/d/3-a/month/?month=2024-04").content.decode()
        assert month.count("プラスチック製容器包装") >= 5
        empty = client.get("/community/garbage/d/3-a/2025/").content.decode()
        assert "まだ登録されていません" in empty


def test_the_public_choice_is_remembered_in_the_session(client, calendar):
    assert "収集地区 3-A" not in client.get("/community/garbage/").content.decode()
    response = client.post("/community/garbage/choose/", {"district": "3-a"})
    assert response.status_code == 302 and response["Location"] == "/community/garbage/d/3-a/"
    with time_machine.travel("2024-03-30 20:00 +0900"):
        html = client.get("/community/garbage/").content.decode()
    assert "収集地区 3-A" in html and "燃やせるごみ" in section(html, "tomorrow")
    assert not ResidentDistrict.objects.exists()


def test_a_resident_sees_their_profile_districts_pattern(calendar):
    city_district = DistrictFactory(code="nagayama", name="永山")
    calendar.platform_district = city_district
    services.calendar_object_save(obj=calendar)
    resident = UserFactory()
    resident.profile.district = city_district
    resident.profile.save()
    html = client_for(resident).get("/community/garbage/").content.decode()
    assert "収集地区 3-A" in html
    other = CollectionDistrictFactory(code="4-b", name="4-B")
    client_for(resident).post("/community/garbage/choose/", {"district": other.code})
    assert ResidentDistrict.objects.get(user=resident).district == other
    assert "収集地区 4-B" in client_for(resident).get("/community/garbage/").content.decode()


def test_the_area_search_finds_an_area(client, calendar):
    from community.garbage.models import Area

    Area.objects.create(name="永山3条1丁目", district=calendar)
    html = client.get("/community/garbage/?area=永山").content.decode()
    assert "永山3条1丁目（収集地区 3-A）" in html


@pytest.mark.parametrize(("query", "found"), [
    ("ぺっと", "ペットボトル"), ("ペット", "ペットボトル"), ("ﾍﾟｯﾄ", "ペットボトル"), ("ＰＥＴ", "PETボトルのふた"),
    ("でんち", "乾電池"), ("かんでん", "乾電池"), ("電池", "乾電池"), ("しんぶん", "新聞紙"),
])
def test_the_search_ignores_script_and_width_and_finds_parts(client, query, found):
    burnable = CategoryFactory(code="burnable", name="燃やせるごみ")
    ItemFactory(name="ペットボトル", category=burnable)
    ItemFactory(name="PETボトルのふた", category=burnable)
    ItemFactory(name="乾電池", furigana="かんでんち", category=burnable)
    ItemFactory(name="新聞紙", category=burnable)  # no furigana: found through its reading
    html = client.get("/community/garbage/search/", {"q": query}).content.decode()
    assert found in html, query


def test_the_search_shows_furigana_and_the_category(client):
    category = CategoryFactory(code="non-burnable", name="燃やせないごみ")
    ItemFactory(name="乾電池", furigana="かんでんち", category=category, notice="端子にテープを貼る")
    html = client.get("/community/garbage/search/?q=でんち").content.decode()
    assert "<ruby>乾電池<rp>(</rp><rt>かんでんち</rt><rp>)</rp></ruby>" in html
    assert "燃やせないごみ" in html and "端子にテープを貼る" in html
    assert "見つかりませんでした" in client.get("/community/garbage/search/?q=ぞう").content.decode()


def test_the_month_page_takes_the_same_queries_for_few_and_many_rules(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    district = CollectionDistrictFactory(code="3-a")
    RuleFactory(district=district, category=CategoryFactory(), weekdays="0")
    services.districts_touch()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/community/garbage/d/3-a/month/?month=2023-05").status_code == 200
        return len(queries)

    few = count()
    for weekday in "123456":
        RuleFactory(district=district, category=CategoryFactory(), weekdays=weekday)
    services.districts_touch()
    assert count() == few


def test_a_bad_month_is_not_found(client, calendar):
    assert client.get("/community/garbage/d/3-a/month/?month=2024-13").status_code == 404
    assert client.get("/community/garbage/d/3-a/month/?month=x").status_code == 404


def test_the_reminder_switch(calendar):
    resident = UserFactory()
    client = client_for(resident)
    assert client.post("/community/garbage/reminder/", {"on": "1"}).status_code == 302
    assert NotificationPreference.objects.get(user=resident, kind="garbage_reminder").channel == "email"
    client.post("/community/garbage/reminder/", {"on": "0"})
    assert NotificationPreference.objects.get(user=resident, kind="garbage_reminder").channel == "off"


def test_pages_in_english(client, calendar):
    with time_machine.travel("2024-03-30 20:00 +0900"):
        html = client.get("/community/garbage/d/3-a/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Burnable waste" in html and "Tomorrow" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "明日" not in main and "収集地区" not in main


def test_the_dashboard_shows_tomorrow(calendar):
    resident = UserFactory()
    services.resident_district_choose(user=resident, district=calendar)
    with time_machine.travel("2024-03-30 20:00 +0900"):
        html = client_for(resident).get("/dashboard/").content.decode()
    panel = html.split('id="garbage-panel-heading"', 1)[1].split("</section>", 1)[0]
    assert "3-A" in panel and "燃やせるごみ" in panel


def test_a_renamed_category_shows_at_once_though_the_categories_are_cached(client, calendar):
    from community.garbage.models import Category

    with time_machine.travel("2024-03-30 20:00 +0900"):
        assert "燃やせるごみ" in client.get("/community/garbage/d/3-a/").content.decode()  # cached now
        burnable = Category.objects.get(code="burnable")
        burnable.name = "可燃ごみ"
        burnable.save()
        html = client.get("/community/garbage/d/3-a/").content.decode()
    assert "可燃ごみ" in html and "燃やせるごみ" not in html


def test_the_district_chooser_is_cached_and_shows_every_change(client, calendar):
    from asahikawa.testing import count_queries
    from community.garbage.models import CollectionDistrict

    assert ">3-A</option>" in client.get("/community/garbage/").content.decode()
    with count_queries() as cached:
        client.get("/community/garbage/")
    assert cached == []  # the public, with no district remembered: nothing to read
    calendar.name = "3-A（東）"
    services.calendar_object_save(obj=calendar)
    assert ">3-A（東）</option>" in client.get("/community/garbage/").content.decode()
    CollectionDistrict.objects.bulk_create([CollectionDistrict(code="9-z", name="9-Z")])  # as the 5374 import does
    services.districts_touch()
    assert ">9-Z</option>" in client.get("/community/garbage/").content.decode()
    CollectionDistrict.objects.get(code="9-z").delete()
    assert "9-Z" not in client.get("/community/garbage/").content.decode()
