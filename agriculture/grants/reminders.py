"""Reminders of the subsidy engine, each one set-based notify_selected() (one INSERT ... SELECT
whatever the number of users), idempotent by its dedupe key (a second run the same day gives
nobody a second copy).

- drafts: three days before a program's window closes, to applicants with a draft in it;
- completion reports: seven days before a program's completion due date, to applicants whose
  grant is decided but not yet reported;
- staff: on working days, to the staff of each department whose programs have applications
  waiting for them longer than the program's staff_reminder_days.
"""
import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asahikawa.notifications.services import notify_selected

from .models import WAITING, Application, Program, Status

DRAFT_DAYS_BEFORE = 3
COMPLETION_DAYS_BEFORE = 7


def draft_reminders_send(*, today=None) -> int:
    today = today or timezone.localdate()
    closes = today + datetime.timedelta(days=DRAFT_DAYS_BEFORE)
    sent = 0
    for program in Program.objects.filter(published=True, closes_on=closes, opens_on__lte=today):
        users = get_user_model().objects.filter(
            is_active=True, grant_applications__program=program, grant_applications__status=Status.DRAFT
        )
        sent += notify_selected(
            users=users, kind="subsidy_due",
            title=lambda p=program: _("下書きの申請の受付は%(date)sまでです（%(program)s）") % {
                "date": p.closes_on.isoformat(), "program": p.title},
            body=gettext_lazy("受付期間が終わると提出できなくなります。入力を終えて提出してください。"),
            url=reverse("grants:applications"), dedupe_key=f"grants:draft:{program.pk}:{program.closes_on}",
        )
    return sent


def completion_reminders_send(*, today=None) -> int:
    today = today or timezone.localdate()
    sent = 0
    due_by = today + datetime.timedelta(days=COMPLETION_DAYS_BEFORE)
    for program in Program.objects.filter(completion_due__gte=today, completion_due__lte=due_by):
        users = get_user_model().objects.filter(
            is_active=True, grant_applications__program=program, grant_applications__status=Status.APPROVED
        )
        sent += notify_selected(
            users=users, kind="subsidy_due",
            title=lambda p=program: _("実績報告の期限は%(date)sです（%(program)s）") % {
                "date": p.completion_due.isoformat(), "program": p.title},
            body=gettext_lazy("設備の導入などが終わったら、領収書と写真を添えて実績報告をしてください。"),
            url=reverse("grants:applications"), dedupe_key=f"grants:completion:{program.pk}:{program.completion_due}",
        )
    return sent


def waiting_counts(*, now=None) -> dict:
    """department -> applications waiting for staff longer than their program's reminder days
    (one count per program that has any waiting)."""
    now = now or timezone.now()
    counts = {}
    waiting = Application.objects.filter(status__in=WAITING)
    programs = Program.objects.filter(pk__in=waiting.values("program_id")).values_list(
        "pk", "department", "staff_reminder_days")
    for pk, department, days in programs:
        count = waiting.filter(program_id=pk, status_changed_at__lt=now - datetime.timedelta(days=days)).count()
        if count:
            counts[department] = counts.get(department, 0) + count
    return counts


def staff_reminders_send(*, today=None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for department, count in sorted(waiting_counts().items()):
        staff = get_user_model().objects.filter(is_active=True, is_staff=True, groups__name=department)
        sent += notify_selected(
            users=staff, kind="subsidy_staff",
            title=lambda n=count: _("審査を待っている補助金の申請が%(n)s件あります") % {"n": n},
            body=gettext_lazy("設定した日数より長く審査を待っている申請があります。審査の一覧で確かめてください。"),
            url=f"{reverse('grants:staff_queue')}?status=waiting", dedupe_key=f"grants:staff:{department}:{today}",
        )
    return sent
