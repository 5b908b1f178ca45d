"""Each rule kind against calendars checked by hand (FY2023: April 2023 - March 2024).

National holidays used below (from the holidays package; checked against the cabinet office's
list): 2023-05-03/04/05, 2024-01-01, 2024-01-08 (成人の日), 2024-02-12 (振替休日)."""
import datetime

import pytest
from django.core.cache import cache

from community.garbage import schedule, services
from community.garbage.models import Change, Rule
from community.garbage.schedule import Status

from .factories import CategoryFactory, ClosureFactory, CollectionDistrictFactory, RuleFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def days(district, first, last, category=None):
    return [c.day for c in schedule.between(district, first, last, include_cancelled=False)
            if category is None or c.category_id == category.pk]


@pytest.fixture
def district():
    return CollectionDistrictFactory(code="3-a", name="3-A")


@pytest.fixture
def burnable():
    return CategoryFactory(code="burnable", name="燃やせるごみ")


def test_the_holidays_come_from_the_package():
    holidays = schedule.national_holidays(2023)
    assert holidays[D(2023, 5, 3)] == "憲法記念日"
    assert D(2024, 1, 8) in holidays and D(2024, 2, 12) in holidays
    assert D(2023, 5, 8) not in holidays


def test_weekly_monday_and_thursday_skipping_holidays(district, burnable):
    RuleFactory(district=district, category=burnable, kind="weekly", weekdays="03", on_holiday="skip")
    assert [d.day for d in days(district, D(2023, 5, 1), D(2023, 5, 31))] == [1, 8, 11, 15, 18, 22, 25, 29]  # 4th: みどりの日


def test_weekly_collects_on_holidays_by_default(district, burnable):
    RuleFactory(district=district, category=burnable, kind="weekly", weekdays="3")
    assert [d.day for d in days(district, D(2023, 5, 1), D(2023, 5, 31))] == [4, 11, 18, 25]


def test_nth_weekday_of_the_month_limited_to_some_months(district, burnable):
    RuleFactory(district=district, category=burnable, kind="nth", weekdays="2", weeks="24", months="4 5")
    assert days(district, D(2023, 4, 1), D(2023, 6, 30)) == [D(2023, 4, 12), D(2023, 4, 26), D(2023, 5, 10), D(2023, 5, 24)]


def test_nth_weekday_on_a_holiday_moved_a_week(district, burnable):
    RuleFactory(district=district, category=burnable, kind="nth", weekdays="2", weeks="1", on_holiday="next_week",
                months="5")
    assert days(district, D(2023, 5, 1), D(2023, 5, 31)) == [D(2023, 5, 10)]  # 1st Wednesday 5/3 is 憲法記念日


def test_weekly_limited_to_months(district, burnable):
    RuleFactory(district=district, category=burnable, kind="weekly", weekdays="1", months="4 6")
    found = days(district, D(2023, 4, 1), D(2023, 6, 30))
    assert [d.month for d in found] == [4, 4, 4, 4, 6, 6, 6, 6]
    assert found[0] == D(2023, 4, 4) and found[-1] == D(2023, 6, 27)


def test_fortnightly_across_the_year_end_and_a_holiday_moved(district, burnable):
    """Every other Monday from 2023-12-18: 1/1 falls in the year-end closure and moves a week to
    1/8 (a holiday, collected: on_holiday=collect); the fortnight goes on across the year end."""
    ClosureFactory()
    RuleFactory(district=district, category=burnable, kind="biweekly", anchor=D(2023, 12, 18),
                on_closure="next_week", on_holiday="collect")
    assert days(district, D(2023, 12, 1), D(2024, 2, 29)) == [
        D(2023, 12, 4), D(2023, 12, 18), D(2024, 1, 8), D(2024, 1, 15), D(2024, 1, 29), D(2024, 2, 12), D(2024, 2, 26)]
    assert days(district, D(2023, 4, 1), D(2023, 4, 30)) == [D(2023, 4, 10), D(2023, 4, 24)]
    moved = next(c for c in schedule.year(district, 2023) if c.day == D(2024, 1, 8))
    assert (moved.nominal, moved.status, moved.note) == (D(2024, 1, 1), Status.MOVED, "年末年始")


def test_fortnightly_skipping_the_closure_and_moving_off_a_holiday(district, burnable):
    ClosureFactory()
    RuleFactory(district=district, category=burnable, kind="biweekly", anchor=D(2023, 12, 18),
                on_closure="skip", on_holiday="next_week")
    assert days(district, D(2023, 12, 1), D(2024, 2, 29)) == [
        D(2023, 12, 4), D(2023, 12, 18), D(2024, 1, 15), D(2024, 1, 29), D(2024, 2, 19), D(2024, 2, 26)]


def test_a_day_moved_onto_a_regular_day_is_one_collection(district, burnable):
    """Weekly Monday, closure moves 1/1 to 1/8, where the regular Monday already is: one collection."""
    ClosureFactory()
    RuleFactory(district=district, category=burnable, kind="weekly", weekdays="0", on_closure="next_week")
    found = [c for c in schedule.year(district, 2023) if D(2023, 12, 25) <= c.day <= D(2024, 1, 15)]
    assert [(c.day, c.nominal) for c in found] == [
        (D(2023, 12, 25), D(2023, 12, 25)), (D(2024, 1, 8), D(2024, 1, 8)), (D(2024, 1, 15), D(2024, 1, 15))]


def test_closures_belong_to_a_center_or_to_all(district, burnable):
    other = CollectionDistrictFactory(code="4-b", center="東部センター")
    ClosureFactory(center="東部センター", starts=D(2023, 8, 14), ends=D(2023, 8, 16), reason="点検")
    RuleFactory(district=district, category=burnable, weekdays="0")
    RuleFactory(district=other, category=burnable, weekdays="0")
    assert D(2023, 8, 14) in days(district, D(2023, 8, 1), D(2023, 8, 31))
    assert D(2023, 8, 14) not in days(other, D(2023, 8, 1), D(2023, 8, 31))


def test_explicit_dates_are_taken_as_they_are(district, burnable):
    ClosureFactory()
    RuleFactory(district=district, category=burnable, kind="dates", weekdays="",
                dates=["2023-05-03", "2023-12-30", "2023-04-15"], on_holiday="skip")
    assert days(district, D(2023, 4, 1), D(2024, 3, 31)) == [D(2023, 4, 15), D(2023, 5, 3), D(2023, 12, 30)]


def test_one_off_changes_add_skip_and_move(district, burnable):
    RuleFactory(district=district, category=burnable, kind="weekly", weekdays="03")
    for change in (
        Change(district=district, category=burnable, kind="add", day=D(2023, 5, 6), reason="臨時収集"),
        Change(district=district, category=burnable, kind="skip", day=D(2023, 5, 8), reason="道路工事"),
        Change(district=district, category=burnable, kind="move", day=D(2023, 5, 11), new_day=D(2023, 5, 13),
               reason="お祭りのため"),
    ):
        services.calendar_object_save(obj=change)
    found = {c.day: c for c in schedule.between(district, D(2023, 5, 1), D(2023, 5, 20))}
    assert sorted(day.day for day, c in found.items() if c.collected) == [1, 4, 6, 13, 15, 18]
    assert found[D(2023, 5, 6)].status == Status.ADDED
    assert (found[D(2023, 5, 8)].status, found[D(2023, 5, 8)].note) == (Status.CANCELLED, "道路工事")
    assert found[D(2023, 5, 11)].moved_to == D(2023, 5, 13)
    assert (found[D(2023, 5, 13)].nominal, found[D(2023, 5, 13)].note) == (D(2023, 5, 11), "お祭りのため")


def test_a_one_off_change_must_name_a_real_day(district, burnable):
    from asahikawa.errors import ApplicationError

    RuleFactory(district=district, category=burnable, kind="weekly", weekdays="0")
    with pytest.raises(ApplicationError):
        services.calendar_object_save(obj=Change(district=district, category=burnable, kind="skip",
                                                 day=D(2023, 5, 9), reason="x"))
    with pytest.raises(ApplicationError):
        services.calendar_object_save(obj=Change(district=district, category=burnable, kind="add",
                                                 day=D(2023, 5, 8), reason="x"))
    assert not Change.objects.exists()


def test_a_rule_is_validated():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        Rule(kind="nth", weekdays="9", fiscal_year=2023).full_clean(exclude=["district", "category"])
    assert {"weekdays", "weeks"} <= set(error.value.message_dict)


def test_nothing_stale_after_any_change(district, burnable, settings):
    """The year is cached; every write through the services shows at once."""
    rule = RuleFactory(district=district, category=burnable, kind="weekly", weekdays="0")
    services.districts_touch()
    district.refresh_from_db()
    first = days(district, D(2023, 5, 1), D(2023, 5, 31))
    assert cache.get(schedule.cache_key(district, 2023)) is not None
    assert first[0] == D(2023, 5, 1)

    rule.weekdays = "1"
    services.calendar_object_save(obj=rule)
    district.refresh_from_db()
    assert days(district, D(2023, 5, 1), D(2023, 5, 31))[0] == D(2023, 5, 2)

    closure = ClosureFactory(starts=D(2023, 5, 1), ends=D(2023, 5, 3), reason="点検")
    services.calendar_object_save(obj=closure)
    district.refresh_from_db()
    assert days(district, D(2023, 5, 1), D(2023, 5, 31))[0] == D(2023, 5, 9)

    services.calendar_objects_delete(objects=[closure])
    district.refresh_from_db()
    assert days(district, D(2023, 5, 1), D(2023, 5, 31))[0] == D(2023, 5, 2)

    services.calendar_object_save(obj=Change(district=district, category=burnable, kind="skip", day=D(2023, 5, 2),
                                             reason="工事"))
    district.refresh_from_db()
    assert days(district, D(2023, 5, 1), D(2023, 5, 31))[0] == D(2023, 5, 9)


def test_years_for_many_districts_takes_a_fixed_number_of_queries(burnable, django_assert_num_queries):
    districts = [CollectionDistrictFactory(code=f"d{n}") for n in range(30)]
    for district in districts:
        RuleFactory(district=district, category=burnable, weekdays=str(district.pk % 7))
    cache.clear()
    with django_assert_num_queries(3):  # rules, changes, closures
        found = schedule.years_for(districts, 2023)
    assert all(len(found[d.pk]) >= 52 for d in districts)
    with django_assert_num_queries(0):
        schedule.years_for(districts, 2023)
