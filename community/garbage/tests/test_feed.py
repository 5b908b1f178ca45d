"""The calendar feed, read back by an independent library (icalendar to parse, recurring-ical-events
to expand): exactly the computed days; UIDs that survive a move; the alarm; a choice of categories."""
import datetime

import pytest
import recurring_ical_events
import time_machine
from icalendar import Calendar

from community.garbage import schedule, services
from community.garbage.models import Change

from .factories import CategoryFactory, ClosureFactory, CollectionDistrictFactory, RuleFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TOKYO_NOON = "2023-11-20 12:00 +0900"


@pytest.fixture
def travelled():
    """Noon in Tokyo on 2023-11-20, the clock running (changes get later timestamps)."""
    with time_machine.travel(TOKYO_NOON) as traveller:
        yield traveller


@pytest.fixture
def calendar_data(travelled):
    district = CollectionDistrictFactory(code="3-a", name="3-A")
    burnable = CategoryFactory(code="burnable", name="燃やせるごみ", name_en="Burnable waste")
    non_burnable = CategoryFactory(code="non-burnable", name="燃やせないごみ")
    paper = CategoryFactory(code="paper", name="古紙")
    ClosureFactory()
    ClosureFactory(starts=D(2024, 12, 29), ends=D(2025, 1, 4))
    for year in (2023, 2024):
        RuleFactory(district=district, category=burnable, fiscal_year=year, weekdays="03", on_holiday="skip")
        RuleFactory(district=district, category=non_burnable, fiscal_year=year, kind="biweekly", weekdays="",
                    anchor=D(year, 4, 4), on_closure="next_week")
        RuleFactory(district=district, category=paper, fiscal_year=year, kind="nth", weekdays="4", weeks="2")
    services.districts_touch()
    district.refresh_from_db()
    return district, burnable, non_burnable, paper


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def expanded(calendar, first, last):
    return sorted((event.start if isinstance(event.start, datetime.date) else event.start.date(),
             str(event["SUMMARY"]).replace("（変更）", ""))
                  for event in recurring_ical_events.of(calendar).between(first, last + datetime.timedelta(days=1)))


def test_the_feed_expands_to_exactly_the_computed_days(client, calendar_data):
    district, *_ = calendar_data
    calendar = fetch(client, "/community/garbage/3-a.ics")
    today = D(2023, 11, 20)
    last = today + datetime.timedelta(days=364)
    names = {c.pk: c.name for c in (calendar_data[1], calendar_data[2], calendar_data[3])}
    expected = sorted((c.day, names[c.category_id]) for c in schedule.between(district, today, last) if c.collected)
    assert len(expected) > 120
    assert expanded(calendar, today, last + datetime.timedelta(days=30)) == expected
    assert all(event["SEQUENCE"] == district.revision for event in calendar.walk("VEVENT"))
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_a_moved_day_keeps_its_uid_with_a_higher_sequence(client, calendar_data, travelled):
    district, burnable, *_ = calendar_data

    def burnable_events():
        calendar = fetch(client, "/community/garbage/3-a.ics?categories=burnable")
        return {str(event["UID"]): event for event in calendar.walk("VEVENT")}

    before = burnable_events()
    uid = next(uid for uid, event in before.items() if event.start == D(2023, 11, 30))
    travelled.shift(datetime.timedelta(minutes=5))  # staff change it a little later
    services.calendar_object_save(obj=Change(district=district, category=burnable, kind="move", day=D(2023, 11, 30),
                                             new_day=D(2023, 12, 1), reason="行事のため"))
    after = burnable_events()
    assert set(after) == set(before)  # same events: the phone moves it, no ghost, no duplicate
    moved = after[uid]
    assert moved.start == D(2023, 12, 1)
    assert int(moved["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert moved["LAST-MODIFIED"].dt > before[uid]["LAST-MODIFIED"].dt
    assert "行事のため" in str(moved["DESCRIPTION"]) and "変更" in str(moved["SUMMARY"])

    services.calendar_object_save(obj=Change(district=district, category=burnable, kind="skip", day=D(2023, 12, 4),
                                             reason="工事"))
    skipped = burnable_events()
    assert len(skipped) == len(after) - 1 and not any(e.start == D(2023, 12, 4) for e in skipped.values())


def test_a_choice_of_categories_and_the_alarm(client, calendar_data):
    calendar = fetch(client, "/community/garbage/3-a.ics?categories=non-burnable,paper&alarm=1")
    summaries = {str(event["SUMMARY"]).replace("（変更）", "") for event in calendar.walk("VEVENT")}
    assert summaries == {"燃やせないごみ", "古紙"}
    event = calendar.walk("VEVENT")[0]
    (alarm,) = event.walk("VALARM")
    assert alarm["TRIGGER"].dt == -datetime.timedelta(hours=5)  # 19:00 the evening before
    assert str(alarm["DESCRIPTION"]).startswith("明日は")
    assert not fetch(client, "/community/garbage/3-a.ics").walk("VALARM")


def test_english_names_and_a_conditional_request(client, calendar_data):
    response = client.get("/community/garbage/3-a.ics?categories=burnable&lang=en")
    assert "Burnable waste" in response.content.decode()
    again = client.get("/community/garbage/3-a.ics?categories=burnable&lang=en", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_unknown_categories_are_refused(client, calendar_data):
    response = client.get("/community/garbage/3-a.ics?categories=burnable,nope")
    assert response.status_code == 400 and "nope" in response.content.decode()


def test_the_district_page_links_the_feed_with_webcal(client, calendar_data):
    html = client.get("/community/garbage/d/3-a/?categories=paper&alarm=1").content.decode()
    assert 'href="webcal://testserver/community/garbage/3-a.ics?categories=paper&amp;alarm=1"' in html
