"""Defects found in the review of the wellness area (each test failed before its fix)."""
import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission

from asahikawa.accounts.models import District, Profile
from asahikawa.accounts.tests.factories import UserFactory
from asahikawa.notifications.models import Notification
from asahikawa.testing import TODAY, TOKYO
from conftest import body_text, client_for
from wellness.points import selectors, services
from wellness.points.models import Participant, Redemption

from .factories import HealthRecordFactory, RewardFactory, StepsRuleFactory, fund

pytestmark = pytest.mark.django_db


def test_deleting_all_wellness_data_also_erases_the_wellness_notifications(resident, other_resident):
    """The weekly summary carries the resident's steps and points: erasure must not leave it in the inbox."""
    services.participant_consent(user=resident)
    for user in (resident, other_resident):
        Notification.objects.create(user=user, kind="wellness_summary", title="週間まとめ",
                                    body="歩数の合計: 54,321歩（7日分）", delivery="inbox")
    Notification.objects.create(user=resident, kind="wellness_reminder", title="まだ記録されていません", delivery="inbox")
    Notification.objects.create(user=resident, kind="notice", title="除雪のお知らせ", delivery="inbox")
    services.wellness_data_delete(user=resident)
    assert list(Notification.objects.filter(user=resident).values_list("kind", flat=True)) == ["notice"]
    assert Notification.objects.filter(user=other_resident, kind="wellness_summary").exists()


def test_cancelling_redemptions_in_the_admin_needs_the_change_permission(make_staff, resident):
    """A staff user who may only view redemptions cannot run the action that refunds points and stock."""
    participant = services.participant_consent(user=resident)
    fund(resident, 50)
    redemption = services.reward_redeem(user=resident, reward_id=RewardFactory(cost=50, stock=1).pk)
    viewer = make_staff()
    viewer.user_permissions.add(Permission.objects.get(codename="view_redemption"))
    client = client_for(viewer)
    assert client.get("/admin/wellness/redemption/").status_code == 200
    client.post("/admin/wellness/redemption/", {"action": "cancel_redemptions", "_selected_action": [redemption.pk]})
    assert Redemption.objects.get(pk=redemption.pk).cancelled_at is None
    assert Participant.objects.get(pk=participant.pk).balance == 0


def _group(district_name, birth_year, days_steps):
    district = District.objects.get_or_create(code=f"d-{district_name}", defaults={"name": district_name})[0]
    user = UserFactory()
    Profile.objects.filter(user=user).update(district=district, birth_year=birth_year)
    services.participant_consent(user=user)
    for day, steps in days_steps:
        HealthRecordFactory(user=user, day=day, steps=steps)
    return user


def test_statistics_cannot_be_differenced_by_cutting_a_month(make_staff):
    """Five residents record on the 1st, a sixth only on the 2nd: the statistics of 1st-2nd minus those of
    the 1st alone would be the sixth resident's figures. The period is taken in whole months."""
    StepsRuleFactory()
    first = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)  # the 1st of last month
    second = first + datetime.timedelta(days=1)
    for i in range(5):
        _group("永山", TODAY.year - 45, [(first, 6000 + i * 100)])
    _group("永山", TODAY.year - 45, [(second, 15000)])
    services.points_settle(day=second)
    client = client_for(make_staff("wellness"))
    one_day = client.get(f"/wellness/staff/statistics/?from={first}&to={first}").context["rows"]
    two_days = client.get(f"/wellness/staff/statistics/?from={first}&to={second}").context["rows"]
    assert one_day == two_days
    csv_one = body_text(client.get(f"/wellness/staff/statistics.csv?from={first}&to={first}"))
    csv_two = body_text(client.get(f"/wellness/staff/statistics.csv?from={first}&to={second}"))
    assert csv_one == csv_two


def test_statistics_of_a_month_do_not_change_when_the_year_turns():
    """Age bands from the age in the month of the data, not on the day of the query: otherwise the same
    month queried on 31 December and on 1 January differs by exactly the residents who changed band."""
    month = datetime.date(2025, 6, 10)
    for i in range(5):
        _group("永山", 1980, [(month, 6000 + i * 100)])  # 45 in 2025, 46 in 2026: 40代 either way
    _group("永山", 1976, [(month, 15000)])  # 49 in 2025 (40代), 50 in 2026
    args = {"date_from": datetime.date(2025, 6, 1), "date_to": datetime.date(2025, 6, 30)}
    with time_machine.travel(datetime.datetime(2025, 12, 31, 23, 0, tzinfo=TOKYO), tick=False):
        before = selectors.statistics_frame(**args)
    with time_machine.travel(datetime.datetime(2026, 1, 1, 1, 0, tzinfo=TOKYO), tick=False):
        after = selectors.statistics_frame(**args)
    assert len(before) == 1 and before["participants"].tolist() == [6]  # one group, all six
    assert before.to_dict("records") == after.to_dict("records")
