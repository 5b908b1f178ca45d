"""Reads of the garbage calendar: which district a visitor sees, the days in a shape pages and the
API use, the item search, and who gets tomorrow's reminder."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When

from asahikawa import caching
from asahikawa.accounts.models import Profile
from asahikawa.japanese import fold
from asahikawa.notifications.models import Channel, NotificationPreference

from . import schedule
from .models import Category, CollectionDistrict, Item, ResidentDistrict

SESSION_KEY = "garbage_district"
REMINDER_KIND = "garbage_reminder"
SEARCH_LIMIT = 50


def district_by_code(code: str) -> CollectionDistrict | None:
    return CollectionDistrict.objects.filter(code=code).select_related("platform_district").first()


def default_district_for(user) -> CollectionDistrict | None:
    """A signed-in resident's district: the one they chose, else their profile district's pattern."""
    if not (user.is_authenticated and user.is_active):
        return None
    chosen = Exists(ResidentDistrict.objects.filter(user=user, district=OuterRef("pk")))
    return (CollectionDistrict.objects.filter(Q(chosen) | Q(platform_district__profile__user=user))
            .order_by(chosen.desc(), "code").first())  # one query: the chosen one, else the profile's


def remembered_district(request) -> CollectionDistrict | None:
    district = default_district_for(request.user)
    if district is None and (code := request.session.get(SESSION_KEY)):
        district = district_by_code(code)
    return district


def district_options() -> list[dict]:
    """Every district's code, name and sample flag (the chooser), read once per change of the
    districts: their saves and deletes (cached_models), and every bulk write (services.districts_touch)."""
    return caching.cached("garbage", "districts",
                          compute=lambda: list(CollectionDistrict.objects.values("code", "name", "is_sample")))


def categories_by_id() -> dict[int, Category]:
    """Every category, read once per change of the categories (asahikawa/caching.py)."""
    return caching.cached("garbage", "categories",
                          compute=lambda: {category.pk: category for category in Category.objects.all()})


@dataclass
class Day:
    day: datetime.date
    collections: list  # [(Collection, Category)]
    holiday: str = ""
    closure: str | None = None

    @property
    def collected(self):
        return [(c, category) for c, category in self.collections if c.collected]

    @property
    def cancelled(self):
        return [(c, category) for c, category in self.collections if not c.collected]


def days_between(district, first: datetime.date, last: datetime.date, categories=None) -> list[Day]:
    """Every day from first to last with its collections (cancelled ones too), holiday and closure."""
    categories = categories or categories_by_id()
    by_day: dict[datetime.date, list] = {}
    for collection in schedule.between(district, first, last):
        by_day.setdefault(collection.day, []).append((collection, categories[collection.category_id]))
    closures = schedule.closures_between(district, first, last)
    days = []
    day = first
    while day <= last:
        entries = sorted(by_day.get(day, []), key=lambda pair: (pair[1].position, pair[1].pk))
        days.append(Day(day, entries, schedule.holiday_name(day), closures.get(day)))
        day += datetime.timedelta(days=1)
    return days


def has_calendar(district, fiscal_year: int) -> bool:
    return district.rules.filter(fiscal_year=fiscal_year).exists()


def item_search(query: str, *, limit: int = SEARCH_LIMIT):
    """Items whose name, furigana or reading contains the query, whatever the script or width
    (ペットボトル from ぺっと, 電池 from でんち)."""
    folded = fold(query)
    if not folded:
        return Item.objects.none()
    return Item.objects.filter(search_key__contains=folded).select_related("category").order_by("position", "pk")[:limit]


def residents_by_district(group_of: dict[int, str]):
    """(user id, group) of the active users who opted in to the evening reminder and live in one of
    the collection districts of group_of ({district id: group}): those who chose one of them, and
    those who chose none and whose profile district defaults to one. Each of the two halves starts
    from its small side (indexes on the district and on the preference); one OR of the two made
    PostgreSQL scan every user."""
    district_ids = list(group_of)
    opted_in = {"user__is_active": True, "user__notification_preferences__kind": REMINDER_KIND,
                "user__notification_preferences__channel__in": [c for c in Channel.values if c != Channel.OFF]}

    def group(field, ids_by_group):
        return Case(*[When(**{f"{field}__in": ids}, then=Value(name)) for name, ids in ids_by_group.items()],
                    output_field=CharField())

    by_group: dict[str, list[int]] = {}
    for district_id, name in group_of.items():
        by_group.setdefault(name, []).append(district_id)
    chosen = (ResidentDistrict.objects.filter(district_id__in=district_ids, **opted_in)
              .values_list("user_id", group("district_id", by_group)))
    # The city districts whose residents default to these patterns, by group (one small query).
    platform_by_group: dict[str, list[int]] = {}
    for district_id, platform_id in (CollectionDistrict.objects.filter(pk__in=district_ids, platform_district__isnull=False)
                                     .values_list("pk", "platform_district_id")):
        platform_by_group.setdefault(group_of[district_id], []).append(platform_id)
    if not platform_by_group:  # (an empty IN would be no SQL at all)
        return chosen
    defaulted = (Profile.objects.filter(district_id__in=[pk for ids in platform_by_group.values() for pk in ids],
                                        user__garbage_choice__isnull=True, **opted_in)
                 .values_list("user_id", group("district_id", platform_by_group)))
    return chosen.union(defaulted, all=True)


def reminder_opted_in(user) -> bool:
    return user.is_authenticated and NotificationPreference.objects.filter(
        user=user, kind=REMINDER_KIND).exclude(channel=Channel.OFF).exists()
