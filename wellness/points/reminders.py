"""Opt-in reminders through the platform's notify(): nobody gets them until they choose a channel
for the kind (reminder kinds default to off). Both are safe to run twice: who was already told
today (this week) is skipped."""
import datetime

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asahikawa.notifications.models import Channel, Notification, NotificationPreference
from asahikawa.notifications.services import notify

from .models import EntryKind, HealthRecord, LedgerEntry, Participant


def _start_of_local_day(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _opted_in(kind):
    return NotificationPreference.objects.filter(kind=kind).exclude(channel=Channel.OFF).values("user_id")


def evening_reminders_send(*, today=None) -> int:
    """Remind the opted-in participants who have not recorded anything today."""
    today = today or timezone.localdate()
    user_ids = list(
        Participant.objects.filter(user_id__in=_opted_in("wellness_reminder"))
        .exclude(user_id__in=HealthRecord.objects.filter(day=today).values("user_id"))
        .exclude(
            user_id__in=Notification.objects.filter(
                kind="wellness_reminder", created_at__gte=_start_of_local_day(today)
            ).values("user_id")
        )
        .values_list("user_id", flat=True)
    )
    if not user_ids:
        return 0
    created = notify(
        user_ids=user_ids,
        kind="wellness_reminder",
        title=gettext_lazy("今日の歩数・体重・血圧はまだ記録されていません"),
        body=gettext_lazy("今日の記録を入力すると、明日の朝にポイントが付きます。"),
        url=reverse("wellness:record"),
    )
    return len(created)


def weekly_summaries_send(*, today=None) -> int:
    """Each opted-in participant's last week (Monday to Sunday): steps, days recorded, points earned."""
    today = today or timezone.localdate()
    week_end = today - datetime.timedelta(days=today.weekday() + 1)  # last Sunday
    week_start = week_end - datetime.timedelta(days=6)
    user_ids = list(
        Participant.objects.filter(user_id__in=_opted_in("wellness_summary"))
        .exclude(
            user_id__in=Notification.objects.filter(
                kind="wellness_summary", created_at__gte=_start_of_local_day(today - datetime.timedelta(days=6))
            ).values("user_id")
        )
        .values_list("user_id", flat=True)
    )
    if not user_ids:
        return 0
    steps = {
        row["user_id"]: row
        for row in HealthRecord.objects.filter(user_id__in=user_ids, day__gte=week_start, day__lte=week_end)
        .values("user_id")
        .annotate(total=Sum("steps"), days=Count("id", filter=Q(steps__isnull=False)))
    }
    points = dict(
        LedgerEntry.objects.filter(user_id__in=user_ids, kind=EntryKind.CREDIT, day__gte=week_start, day__lte=week_end)
        .values("user_id")
        .annotate(total=Sum("points"))
        .values_list("user_id", "total")
    )
    period = {"start": f"{week_start:%m/%d}", "end": f"{week_end:%m/%d}"}

    def title():
        return _("健康ポイントの週間まとめ（%(start)s〜%(end)s）") % period

    def body_of(figures):
        return lambda: _("歩数の合計: %(steps)s歩（%(days)s日分）\n獲得ポイント: %(points)sポイント") % figures

    bodies = {}
    for user_id in user_ids:
        row = steps.get(user_id, {"total": 0, "days": 0})
        bodies[user_id] = body_of(
            {"steps": f"{row['total'] or 0:,}", "days": row["days"], "points": f"{points.get(user_id, 0):,}"}
        )
    created = notify(user_ids=user_ids, kind="wellness_summary", title=title, bodies=bodies,
                     url=reverse("wellness:dashboard"))
    return len(created)
