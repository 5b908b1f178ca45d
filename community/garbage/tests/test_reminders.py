"""The evening reminder: only opted-in residents of districts collecting tomorrow, their own
district's categories in the title, once per day, a fixed number of statements whatever the size."""
import datetime

import pytest
import time_machine
from django.core.cache import cache

from asahikawa.accounts.tests.factories import DistrictFactory, UserFactory
from asahikawa.areas import beat_schedule
from asahikawa.notifications.models import Notification
from asahikawa.notifications.services import preferences_save
from community.garbage import services
from community.garbage.reminders import reminders_send

from .factories import CategoryFactory, CollectionDistrictFactory, RuleFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def opted_in(user, channel="inbox"):
    preferences_save(user=user, channels={"garbage_reminder": channel})
    return user


@pytest.fixture
def town():
    """3-A: 燃やせるごみ on Mondays (FY2023) and 古紙 on Mondays from April 2024; 4-B: Tuesdays."""
    burnable = CategoryFactory(code="burnable", name="燃やせるごみ", name_en="burnable waste")
    paper = CategoryFactory(code="paper", name="古紙")
    three_a = CollectionDistrictFactory(code="3-a", platform_district=DistrictFactory(code="nagayama"))
    four_b = CollectionDistrictFactory(code="4-b")
    RuleFactory(district=three_a, category=burnable, weekdays="0")
    RuleFactory(district=three_a, category=paper, weekdays="0", fiscal_year=2024)
    RuleFactory(district=four_b, category=burnable, weekdays="1")
    services.districts_touch()
    return three_a, four_b


def test_the_beat_runs_it_at_seven_in_the_evening():
    entry = beat_schedule()["garbage-evening-reminders"]
    assert entry["task"] == "community.garbage.tasks.send_reminders"
    assert entry["schedule"].hour == {19} and entry["schedule"].minute == {0}


def test_only_opted_in_residents_of_districts_collecting_tomorrow(town):
    three_a, four_b = town
    by_profile = UserFactory()
    by_profile.profile.district = three_a.platform_district
    by_profile.profile.save()
    opted_in(by_profile)
    chosen = opted_in(UserFactory())
    services.resident_district_choose(user=chosen, district=three_a)
    moved_away = opted_in(UserFactory())  # profile says 3-A's district, but they chose 4-B
    moved_away.profile.district = three_a.platform_district
    moved_away.profile.save()
    services.resident_district_choose(user=moved_away, district=four_b)
    not_opted = UserFactory()
    services.resident_district_choose(user=not_opted, district=three_a)
    switched_off = opted_in(UserFactory(), channel="off")
    services.resident_district_choose(user=switched_off, district=three_a)
    english = opted_in(UserFactory())
    english.profile.language = "en"
    english.profile.save()
    services.resident_district_choose(user=english, district=three_a)

    assert reminders_send(today=D(2023, 5, 7)) == 3  # Sunday: 3-A collects on Monday
    told = Notification.objects.filter(kind="garbage_reminder")
    assert set(told.values_list("user_id", flat=True)) == {by_profile.pk, chosen.pk, english.pk}
    assert told.get(user=chosen).title == "明日は燃やせるごみの日です"
    assert told.get(user=english).title == "Tomorrow is burnable waste day"
    assert reminders_send(today=D(2023, 5, 7)) == 0  # run twice: nobody told twice
    assert reminders_send(today=D(2023, 5, 8)) == 1  # Monday: 4-B collects on Tuesday
    assert told.filter(user=moved_away).count() == 1


def test_the_reminder_for_april_1_follows_the_next_years_calendar(town):
    resident = opted_in(UserFactory())
    services.resident_district_choose(user=resident, district=town[0])
    with time_machine.travel("2024-03-31 19:00 +0900"):
        assert reminders_send() == 1
    assert Notification.objects.get(user=resident).title == "明日は古紙の日です"


def test_a_fixed_number_of_statements_for_any_number_of_residents(town):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def residents(count):
        for _ in range(count):
            services.resident_district_choose(user=opted_in(UserFactory()), district=town[0])

    def statements(today):
        cache.clear()  # the same work each time: the years computed again
        with CaptureQueriesContext(connection) as queries:
            reminders_send(today=today)
        return len(queries)

    residents(2)
    few = statements(D(2023, 5, 7))
    residents(20)
    assert statements(D(2023, 5, 14)) == few <= 14
    assert Notification.objects.filter(kind="garbage_reminder", created_at__isnull=False).count() == 2 + 22
