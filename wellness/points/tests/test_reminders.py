import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from asahikawa.notifications.models import Notification
from asahikawa.notifications.services import preferences_save
from wellness.points import reminders, services, tasks
from wellness.points.models import LedgerEntry

from .factories import HealthRecordFactory, StepsRuleFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


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
    HealthRecordFactory(user=resident, day=TODAY - datetime.timedelta(days=3), steps=3000)
    call_command("settle_points", "--date", (TODAY - datetime.timedelta(days=1)).isoformat())
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
    HealthRecordFactory(user=resident, day=TODAY - datetime.timedelta(days=1), steps=9000)
    result = tasks.settle_points.delay().get()
    assert result["entries"] == 1 and result["points"] == 9


def test_beat_schedule_has_the_nightly_settlement_at_3():
    from django.conf import settings

    from asahikawa.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["wellness-settle-points"]
    assert entry["task"] == "wellness.points.tasks.settle_points"
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Tokyo"


def test_reminders_reach_each_resident_in_their_own_language(db):
    """A resident who reads the portal in English gets the reminder in English."""
    import datetime

    from asahikawa.notifications.models import Notification
    from asahikawa.notifications.services import preferences_save
    from wellness.points.reminders import evening_reminders_send, weekly_summaries_send
    from wellness.points.tests.factories import ParticipantFactory

    english = ParticipantFactory().user
    english.profile.language = "en"
    english.profile.save()
    japanese = ParticipantFactory().user
    for user in (english, japanese):
        preferences_save(user=user, channels={"wellness_reminder": "inbox", "wellness_summary": "inbox"})

    today = datetime.date(2026, 11, 30)  # a Monday
    assert evening_reminders_send(today=today) == 2
    assert weekly_summaries_send(today=today) == 2
    titles = {(n.user_id, n.kind): n.title for n in Notification.objects.all()}
    assert titles[(japanese.pk, "wellness_reminder")] == "今日の歩数・体重・血圧はまだ記録されていません"
    assert not any("\u3040" <= ch <= "\u30ff" for ch in titles[(english.pk, "wellness_reminder")])
    assert not any("\u3040" <= ch <= "\u30ff" for ch in titles[(english.pk, "wellness_summary")])


def test_weekly_summaries_are_set_based():
    """The same number of queries for 2 participants as for 12: one notify() for all of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wellness.points.tests.factories import ParticipantFactory

    def summaries(new_participants, today, expected):
        for _ in range(new_participants):
            preferences_save(user=ParticipantFactory().user, channels={"wellness_summary": "inbox"})
        with CaptureQueriesContext(connection) as queries:
            assert reminders.weekly_summaries_send(today=today) == expected
        return len(queries)

    few = summaries(2, datetime.date(2026, 11, 30), expected=2)
    many = summaries(10, datetime.date(2026, 12, 7), expected=12)  # a week later: all 12 again
    assert few == many
