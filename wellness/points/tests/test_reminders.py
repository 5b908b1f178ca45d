import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from asahikawa.notifications.models import Notification
from asahikawa.notifications.services import preferences_save
from asahikawa.testing import TODAY, TOKYO, count_queries, days_ago
from wellness.points import reminders, services, tasks
from wellness.points.models import LedgerEntry

from .factories import HealthRecordFactory, ParticipantFactory, StepsRuleFactory

pytestmark = pytest.mark.django_db


def test_evening_reminder_only_to_opted_in_participants_without_a_record_today(resident, other_resident, officer):
    for user in (resident, other_resident, officer):
        services.participant_consent(user=user)
    preferences_save(user=resident, channels={"wellness_reminder": "inbox"})
    preferences_save(user=other_resident, channels={"wellness_reminder": "inbox"})
    HealthRecordFactory(user=other_resident, day=TODAY, steps=100)  # recorded today: no reminder
    # officer did not opt in: no reminder
    assert reminders.evening_reminders_send() == 1
    assert list(Notification.objects.values_list("user_id", "kind")) == [(resident.pk, "wellness_reminder")]
    assert reminders.evening_reminders_send() == 0  # a second run the same evening sends nothing


def test_weekly_summary(resident, other_resident):
    services.participant_consent(user=resident)
    services.participant_consent(user=other_resident)
    preferences_save(user=resident, channels={"wellness_summary": "email"})
    StepsRuleFactory()
    last_sunday = TODAY - datetime.timedelta(days=TODAY.weekday() + 1)
    for n in range(3):
        HealthRecordFactory(user=resident, day=last_sunday - datetime.timedelta(days=n), steps=5000)
    services.points_settle(day=last_sunday)
    assert reminders.weekly_summaries_send() == 1
    note = Notification.objects.get()
    assert note.user_id == resident.pk and "15,000歩（3日分）" in note.body and "15ポイント" in note.body
    assert reminders.weekly_summaries_send() == 0


def test_settle_points_command_and_check(resident, capsys):
    services.participant_consent(user=resident)
    StepsRuleFactory()
    HealthRecordFactory(user=resident, day=days_ago(3), steps=3000)
    call_command("settle_points", "--date", days_ago(1).isoformat())
    call_command("settle_points")
    assert LedgerEntry.objects.count() == 1
    call_command("settle_points", "--check")
    assert "every balance equals" in capsys.readouterr().out


def test_settle_points_check_fails_on_a_mismatch(resident):
    from django.core.management.base import CommandError

    from wellness.points.models import Participant

    services.participant_consent(user=resident)
    Participant.objects.filter(user=resident).update(balance=5)
    with pytest.raises(CommandError):
        call_command("settle_points", "--check")


def test_nightly_task_settles_and_reconciles(resident):
    services.participant_consent(user=resident)
    StepsRuleFactory()
    HealthRecordFactory(user=resident, day=days_ago(1), steps=9000)
    result = tasks.settle_points.delay().get()
    assert result["entries"] == 1 and result["points"] == 9


def test_the_nightly_settlement_runs_at_3_in_asahikawa_time():
    """The beat entry the app declares is due at 03:00 in Asahikawa, whatever the server's zone."""
    from asahikawa.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["wellness-settle-points"]
    assert entry["task"] in app.tasks
    schedule = entry["schedule"]
    schedule.app = app
    last_run = datetime.datetime(2026, 6, 16, 3, 0, tzinfo=TOKYO)  # last night's run
    with time_machine.travel(datetime.datetime(2026, 6, 17, 2, 59, tzinfo=TOKYO), tick=False):
        assert not schedule.is_due(last_run).is_due
    with time_machine.travel(datetime.datetime(2026, 6, 17, 3, 0, 30, tzinfo=TOKYO), tick=False):
        assert schedule.is_due(last_run).is_due


MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())


def test_reminders_reach_each_resident_in_their_own_language(db):
    """A resident who reads the portal in English gets the reminder in English."""
    english = ParticipantFactory().user
    english.profile.language = "en"
    english.profile.save()
    japanese = ParticipantFactory().user
    for user in (english, japanese):
        preferences_save(user=user, channels={"wellness_reminder": "inbox", "wellness_summary": "inbox"})

    assert reminders.evening_reminders_send(today=MONDAY) == 2
    assert reminders.weekly_summaries_send(today=MONDAY) == 2
    titles = {(n.user_id, n.kind): n.title for n in Notification.objects.all()}
    week = f"{MONDAY - datetime.timedelta(days=7):%m/%d}", f"{MONDAY - datetime.timedelta(days=1):%m/%d}"
    assert titles[(japanese.pk, "wellness_reminder")] == "今日の歩数・体重・血圧はまだ記録されていません"
    assert titles[(english.pk, "wellness_reminder")] == "You haven't recorded today's steps, weight or blood pressure yet"
    assert titles[(japanese.pk, "wellness_summary")] == "健康ポイントの週間まとめ（%s〜%s）" % week
    assert titles[(english.pk, "wellness_summary")] == "Weekly wellness points summary (%s–%s)" % week


def test_weekly_summaries_are_set_based(fixed_now):
    """The same number of queries for 2 participants as for 12: one notify() for all of them."""

    def summaries(new_participants, expected):
        for _ in range(new_participants):
            preferences_save(user=ParticipantFactory().user, channels={"wellness_summary": "inbox"})
        today = timezone.localdate()
        with count_queries() as queries:
            assert reminders.weekly_summaries_send(today=today) == expected
        return len(queries)

    few = summaries(2, expected=2)
    fixed_now.shift(datetime.timedelta(days=7))  # a week later: all 12 again
    many = summaries(10, expected=12)
    assert few == many
