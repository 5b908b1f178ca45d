"""Reads: what a resident or the public sees, the audience of a notice, and its reach."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from asahikawa.accounts.roles import departments, in_department

from .models import (
    AGE_BANDS,
    ALL_CATEGORY_DEPARTMENTS,
    CATEGORY_DEPARTMENTS,
    Category,
    Notice,
    ReaderSetting,
    Reading,
    Recipient,
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


def public_notices(category=None):
    query = live().filter(public=True)
    return query.filter(category=category) if category else query


def visible_to(user):
    """What this user may read: public notices, those to everyone, and those they were sent."""
    if not user.is_authenticated:
        return public_notices()
    mine = Recipient.objects.filter(notice=OuterRef("pk"), user=user)
    return live().filter(Q(public=True) | Q(everyone=True) | Exists(mine))


def notices_for(user):
    """The resident's notices (not the public ones they were not sent): urgent first."""
    mine = Recipient.objects.filter(notice=OuterRef("pk"), user=user)
    opened = Recipient.objects.filter(notice=OuterRef("pk"), user=user, opened_at__isnull=False)
    return live().filter(Q(everyone=True) | Exists(mine)).annotate(opened=Exists(opened))


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
    return query.annotate(
        targeted=Count("recipients"), opened_count=Count("recipients", filter=Q(recipients__opened_at__isnull=False))
    )


def overrides() -> dict:
    return dict(Reading.objects.values_list("word", "reading"))


def reader_setting(user) -> ReaderSetting | None:
    if not user.is_authenticated:
        return None
    return ReaderSetting.objects.filter(user=user).first()


def shown(count: int) -> str:
    """A count as published: under MIN_GROUP it is "<5" (no resident can be singled out)."""
    return "<5" if count < MIN_GROUP else f"{count:,}"


def reach(notice: Notice) -> dict:
    """Targeted, delivered and opened, in total and by district and age band (raw counts; show with shown())."""
    rows = list(
        Recipient.objects.filter(notice=notice)
        .values("district_id", "district__name", "age_band")
        .annotate(
            targeted=Count("id"),
            delivered=Count("id", filter=Q(delivered=True)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
        )
        .order_by("district__name", "age_band")
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
    opened = Recipient.objects.filter(notice=notice, opened_at__gte=notice.published_at, opened_at__lt=end)
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
        "received": [
            {
                "notice": r.notice.title,
                "sent": r.notice.published_at.isoformat() if r.notice.published_at else None,
                "opened_at": r.opened_at.isoformat() if r.opened_at else None,
            }
            for r in Recipient.objects.filter(user=user).select_related("notice").order_by("pk")
        ],
    }


__all__ = ["AGE_BANDS"]
