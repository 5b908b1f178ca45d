"""Reminders of the young-carer support, each one set-based notify_selected() (one INSERT ...
SELECT whatever the number of cases), idempotent by its dedupe key. Their texts say that a visit
is scheduled, never why, for whom or where: the link leads to the page the person may see.

- the day before a visit: the household and the staff of the visit's agency;
- two weeks before a plan ends: the case's caseworker (to extend it or let it close);
- a past visit without a record: the staff of its agency (daily until it is recorded).
"""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asahikawa.notifications.services import notify_selected

from .models import Case, Status, Visit

PLAN_ENDING_DAYS = 14


def _users():
    return get_user_model().objects.filter(is_active=True)


def day_before_send(*, today=None) -> int:
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    visits = Visit.objects.filter(date=tomorrow, state=Visit.State.SCHEDULED, case__status=Status.ACTIVE)
    sent = notify_selected(
        users=_users().filter(pk__in=visits.values("case__household_id")),
        kind="visit_reminder",
        title=_("明日、家事支援ヘルパーの訪問の予定があります"),
        body=_("時刻と担当は、ポータルの申請のページで確かめられます。"),
        url=reverse("carers:index"),
        dedupe_key=f"carers:day-before:household:{tomorrow}",
    )
    sent += notify_selected(
        users=_users().filter(profile__agency_id__in=visits.values("agency_id")),
        kind="visit_reminder",
        title=_("明日の家事支援の訪問の予定があります"),
        body=_("訪問先と時刻は、ポータルの訪問予定のページで確かめてください。"),
        url=reverse("carers:agency_visits"),
        dedupe_key=f"carers:day-before:agency:{tomorrow}",
    )
    return sent


def plan_ending_send(*, today=None) -> int:
    today = today or timezone.localdate()
    ends = today + datetime.timedelta(days=PLAN_ENDING_DAYS)
    cases = Case.objects.filter(status=Status.ACTIVE, plan_end=ends)
    return notify_selected(
        users=_users().filter(pk__in=cases.values("caseworker_id")),
        kind="young_carer",
        title=_("2週間後に終わる家事支援の計画があります"),
        body=_("延長するか、終了するかを決めてください。"),
        url=f"{reverse('carers:staff_queue')}?status=active",
        dedupe_key=f"carers:plan-ending:{ends}",
    )


def unrecorded_send(*, today=None) -> int:
    today = today or timezone.localdate()
    visits = Visit.objects.filter(date__lt=today, state=Visit.State.SCHEDULED)
    return notify_selected(
        users=_users().filter(profile__agency_id__in=visits.values("agency_id")),
        kind="young_carer",
        title=_("記録のない家事支援の訪問があります"),
        body=_("実施したか中止したかを、ポータルの訪問予定のページで記録してください。"),
        url=reverse("carers:agency_visits"),
        dedupe_key=f"carers:unrecorded:{today}",
    )
