"""Reads: what a resident or the public sees, the audience of a notice, and its reach."""

import datetime

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, Count, Exists, Min, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from asahikawa.accounts.models import District, Profile
from asahikawa.accounts.roles import departments, in_department
from asahikawa.notifications.models import Notification

from .models import (
    AGE_BANDS,
    ALL_CATEGORY_DEPARTMENTS,
    CATEGORY_DEPARTMENTS,
    Category,
    Notice,
    Open,
    ReaderSetting,
    Reading,
    age_band_label,
)

MIN_GROUP = 5  # reach groups of fewer residents are shown as "<5"


def live(now=None):
    """Published and not expired, urgent first, newest first."""
    now = now or timezone.now()
    return (
        Notice.objects.filter(published_at__isnull=False, published_at__lte=now)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .order_by("-urgent", "-published_at", "-pk")
    )


def _public(query, category=None):
    query = query.filter(public=True)
    return query.filter(category=category) if category else query


def public_notices(category=None, *, now=None):
    return _public(live(now), category)


def public_next_change(category=None, *, now):
    """The next moment the public list (of a category) changes with no write: the earliest
    published_at or expires_at after `now` of the public notices sent (one query); None if none."""
    moments = (
        _public(Notice.objects.filter(published_at__isnull=False), category)
        .aggregate(
            published=Min("published_at", filter=Q(published_at__gt=now)),
            expires=Min("expires_at", filter=Q(expires_at__gt=now)),
        )
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


def _sent_to(user):
    """Whether the notice (OuterRef pk) is in this user's inbox: its dedupe_key is "notice:<id>"."""
    key = Concat(Value("notice:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    return Exists(Notification.objects.filter(user=user, dedupe_key=key))


def opened_by(user):
    return Exists(Open.objects.filter(notice=OuterRef("pk"), user=user))


def visible_to(user):
    """What this user may read: public notices, those to everyone, and those they were sent."""
    if not user.is_authenticated:
        return public_notices()
    return live().filter(Q(public=True) | Q(everyone=True) | _sent_to(user))


def notices_for(user):
    """The resident's notices (not the public ones they were not sent): urgent first."""
    return live().filter(Q(everyone=True) | _sent_to(user)).annotate(opened=opened_by(user))


def urgent_for(user):
    if not user.is_authenticated:
        return Notice.objects.none()
    return notices_for(user).filter(urgent=True)


def age_band_range(band: int, *, today=None) -> tuple[int | None, int]:
    """The birth years of an age band this year: (lowest or None for 90 and over, highest)."""
    year = (today or timezone.localdate()).year
    if band >= 90:
        return None, year - 90
    return year - band - 9, year - band


def audience_q(*, everyone: bool, district_ids=(), association_ids=(), age_bands=()) -> Q | None:
    """The targeted users as a condition on users: each chosen dimension narrows (districts AND
    age bands AND associations), any value within one dimension matches. None: nobody."""
    condition = Q(is_active=True)
    if everyone:
        return condition
    if not (district_ids or association_ids or age_bands):
        return None
    if district_ids:
        condition &= Q(profile__district_id__in=list(district_ids))
    if association_ids:
        condition &= Q(profile__association_id__in=list(association_ids))
    if age_bands:
        years = Q()
        for band in age_bands:
            low, high = age_band_range(int(band))
            years |= Q(profile__birth_year__lte=high) & (Q(profile__birth_year__gte=low) if low else Q())
        condition &= years
    return condition


def audience(notice: Notice):
    """The users a notice targets (a queryset of users)."""
    condition = audience_q(
        everyone=notice.everyone,
        district_ids=[d.pk for d in notice.districts.all()],
        association_ids=[a.pk for a in notice.associations.all()],
        age_bands=notice.age_bands,
    )
    User = get_user_model()
    return User.objects.filter(condition) if condition is not None else User.objects.none()


def categories_for(user) -> list:
    """The categories this staff user may write."""
    if in_department(user, *ALL_CATEGORY_DEPARTMENTS):
        return list(Category)
    mine = departments(user)
    return [category for category in Category if CATEGORY_DEPARTMENTS.get(category, set()) & mine]


def staff_notices(user):
    query = Notice.objects.all().order_by("-created_at", "-pk")
    if not in_department(user, *ALL_CATEGORY_DEPARTMENTS):
        query = query.filter(category__in=categories_for(user))
    return query.annotate(opened_count=Count("opens"))


def overrides() -> dict:
    return dict(Reading.objects.values_list("word", "reading"))


def reader_setting(user) -> ReaderSetting | None:
    if not user.is_authenticated:
        return None
    return ReaderSetting.objects.filter(user=user).first()


def shown(count: int) -> str:
    """A count as published: under MIN_GROUP it is "<5" (no resident can be singled out)."""
    return "<5" if count < MIN_GROUP else f"{count:,}"


REACH_SQL = """
    SELECT p.district_id, d.name,
           CASE WHEN p.birth_year IS NULL OR p.birth_year > %s THEN NULL
                WHEN %s - p.birth_year >= 90 THEN 90
                ELSE ((%s - p.birth_year) / 10) * 10 END AS band,
           COUNT(*),
           SUM(CASE WHEN n.delivery = 'inbox' OR n.emailed_at IS NOT NULL THEN 1 ELSE 0 END),
           COUNT(o.id)
    FROM {notification} n
    LEFT JOIN {profile} p ON p.user_id = n.user_id
    LEFT JOIN {district} d ON d.id = p.district_id
    LEFT JOIN {open} o ON o.notice_id = %s AND o.user_id = n.user_id
    WHERE n.dedupe_key = %s
    GROUP BY p.district_id, d.name, band
    ORDER BY d.name, band
"""


def suppressed_column(counts: list[int]) -> list[str]:
    """One column of a table whose total is shown: counts under 5 as "<5", and where only one
    count is hidden, the smallest other one too (shown as "＊"), so that the hidden count is not the
    total minus the rest."""
    hidden = {index for index, count in enumerate(counts) if count < MIN_GROUP}
    if len(hidden) == 1 and len(counts) > 1:
        others = sorted((count, index) for index, count in enumerate(counts) if index not in hidden)
        hidden.add(others[0][1])
    return [
        "<5" if count < MIN_GROUP else "＊" if index in hidden else f"{count:,}" for index, count in enumerate(counts)
    ]


def reach(notice: Notice) -> dict:
    """Targeted (in the inbox of), delivered (inbox, or the email sent) and opened, in total and by
    district and age band of the residents now (raw counts; show with shown()). One query."""
    year = timezone.localdate().year
    sql = REACH_SQL.format(
        notification=Notification._meta.db_table,
        profile=Profile._meta.db_table,
        district=District._meta.db_table,
        open=Open._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, year, year, notice.pk, notice.dedupe_key])
        rows = [
            {
                "district_id": district_id,
                "district__name": name,
                "age_band": band,
                "targeted": targeted,
                "delivered": int(delivered or 0),
                "opened": opened,
            }
            for district_id, name, band, targeted, delivered, opened in cursor.fetchall()
        ]
    rows.sort(
        key=lambda row: (
            row["district__name"] is None,
            row["district__name"] or "",
            row["age_band"] is None,
            row["age_band"] or 0,
        )
    )
    total = {key: sum(row[key] for row in rows) for key in ("targeted", "delivered", "opened")}
    by_district: dict = {}
    by_band: dict = {}
    for row in rows:
        for groups, key, label in (
            (by_district, row["district_id"], row["district__name"] or "—"),
            (by_band, row["age_band"], age_band_label(row["age_band"])),
        ):
            group = groups.setdefault(key, {"label": label, "targeted": 0, "delivered": 0, "opened": 0})
            for figure in ("targeted", "delivered", "opened"):
                group[figure] += row[figure]
    bands = sorted(by_band.items(), key=lambda item: (item[0] is None, item[0] or 0))
    return {
        "total": total,
        "cells": rows,
        "districts": list(by_district.values()),
        "bands": [group for _key, group in bands],
    }


def opens_by_hour(notice: Notice, hours: int = 72) -> list[int]:
    """Opens in each hour of the first `hours` after the notice was sent."""
    counts = [0] * hours
    if notice.published_at is None:
        return counts
    end = notice.published_at + datetime.timedelta(hours=hours)
    opened = Open.objects.filter(notice=notice, opened_at__gte=notice.published_at, opened_at__lt=end)
    for at in opened.values_list("opened_at", flat=True).iterator(chunk_size=5000):
        counts[int((at - notice.published_at).total_seconds() // 3600)] += 1
    return counts


def reach_csv_rows(notices):
    """One row per notice, district and age band, counts under 5 shown as "<5"."""
    for notice in notices:
        for cell in reach(notice)["cells"]:
            yield [
                notice.pk,
                notice.get_category_display(),
                notice.title,
                notice.published_at.isoformat() if notice.published_at else "",
                cell["district__name"] or "",
                age_band_label(cell["age_band"]),
                shown(cell["targeted"]),
                shown(cell["delivered"]),
                shown(cell["opened"]),
            ]


def export_data(user) -> dict:
    setting = ReaderSetting.objects.filter(user=user).first()
    return {
        "reader_setting": {"easy": setting.easy, "furigana": setting.furigana} if setting else None,
        "opened": [
            {"notice": o.notice.title, "opened_at": o.opened_at.isoformat()}
            for o in Open.objects.filter(user=user).select_related("notice").order_by("pk")
        ],
    }


__all__ = ["AGE_BANDS"]
