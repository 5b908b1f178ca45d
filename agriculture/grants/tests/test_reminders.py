"""Reminders: drafts three days before the window closes, completion reports due, staff for
applications waiting too long. Set-based and idempotent."""
import datetime

import pytest
import time_machine
from django.utils import timezone

from agriculture.grants import reminders
from agriculture.grants.models import Application, Program, Status
from asahikawa.notifications.models import Notification

from .factories import ProgramFactory, application_in, draft

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2023, 9, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))


def test_drafts_three_days_before_the_window_closes(resident, other_resident, make_staff):
    with time_machine.travel(NOON, tick=False):
        today = timezone.localdate()
        program = ProgramFactory(opens_on=today - datetime.timedelta(days=10), closes_on=today + datetime.timedelta(days=3))
        other = ProgramFactory(opens_on=today - datetime.timedelta(days=10), closes_on=today + datetime.timedelta(days=4))
        draft(program, resident)
        draft(program, resident)  # two drafts: still one reminder
        draft(other, other_resident)
        application_in(Status.SUBMITTED, program, other_resident, make_staff("agriculture"))
        Notification.objects.all().delete()
        assert reminders.draft_reminders_send() == 1
        assert reminders.draft_reminders_send() == 0  # idempotent
        (notification,) = Notification.objects.filter(kind="subsidy_due")
        assert notification.user == resident and program.closes_on.isoformat() in notification.title


def test_completion_reports_due_within_a_week(resident, other_resident, make_staff):
    staff = make_staff("agriculture")
    with time_machine.travel(NOON, tick=False):
        today = timezone.localdate()
        program = ProgramFactory(completion_due=today + datetime.timedelta(days=7))
        application_in(Status.APPROVED, program, resident, staff)
        application_in(Status.COMPLETION_REPORTED, program, other_resident, staff)  # already reported
        Notification.objects.all().delete()
        assert reminders.completion_reminders_send() == 1
        assert reminders.completion_reminders_send() == 0
        assert Notification.objects.get(kind="subsidy_due").user == resident
        Program.objects.filter(pk=program.pk).update(completion_due=today + datetime.timedelta(days=8))
        Notification.objects.all().delete()
        assert reminders.completion_reminders_send() == 0  # not yet


def test_staff_hear_of_applications_waiting_longer_than_the_set_days(resident, make_staff):
    agriculture, child_welfare = make_staff("agriculture"), make_staff("child_welfare")
    program = ProgramFactory(staff_reminder_days=14, opens_on=NOON.date(), closes_on=NOON.date() + datetime.timedelta(days=30))
    with time_machine.travel(NOON, tick=False):
        old = application_in(Status.SUBMITTED, program, resident, agriculture)
        application_in(Status.UNDER_REVIEW, program, resident, agriculture)
    with time_machine.travel(NOON + datetime.timedelta(days=10), tick=False):
        recent = application_in(Status.SUBMITTED, program, resident, agriculture)
    with time_machine.travel(NOON + datetime.timedelta(days=15), tick=False):
        Notification.objects.all().delete()
        assert reminders.waiting_counts() == {"agriculture": 2}
        assert reminders.staff_reminders_send() == 1
        assert reminders.staff_reminders_send() == 0  # once a day
        notification = Notification.objects.get(kind="subsidy_staff")
        assert notification.user == agriculture and "2件" in notification.title
        assert not Notification.objects.filter(user=child_welfare).exists()
    assert Application.objects.filter(pk__in=[old.pk, recent.pk]).count() == 2
