"""Every write of the garbage calendar. Each one that can change what a calendar computes to bumps
the districts' cache token (districts_touch) in the same transaction, so no cached day or feed
outlives the change."""
from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa import caching
from asahikawa.dates import fiscal_year_of
from asahikawa.errors import ApplicationError
from asahikawa.japanese import search_key

from . import schedule
from .models import Category, Change, ChangeKind, Closure, CollectionDistrict, Item, ResidentDistrict, Rule, new_token


def districts_touch(*, district_ids=None) -> int:
    """A new cache token and revision for the districts (all of them when district_ids is None):
    their cached years and feeds are never read again, and the feed's SEQUENCE goes up."""
    query = CollectionDistrict.objects.all()
    if district_ids is not None:
        query = query.filter(pk__in=list(district_ids))
    caching.changed("garbage")  # the districts' list (selectors.district_options), as bulk writes call this
    return query.update(cache_token=new_token(), revision=F("revision") + 1, changed_at=timezone.now())


def item_search_key(name: str, furigana: str) -> str:
    """What the sorting search compares with (folded: script, width and case do not matter)."""
    return search_key(name, furigana)


def _touched_districts(obj):
    """Which districts' calendars a saved or deleted object changes (None: all)."""
    if isinstance(obj, (Rule, Change)):
        return [obj.district_id]
    if isinstance(obj, CollectionDistrict):
        return [obj.pk]
    if isinstance(obj, (Closure, Category)):
        return None
    return []  # areas and items change no collection day


def _prepare(obj):
    if isinstance(obj, Closure):
        obj.fiscal_year = fiscal_year_of(obj.starts)
    elif isinstance(obj, Change):
        obj.fiscal_year = fiscal_year_of(obj.day)
    elif isinstance(obj, Item):
        obj.search_key = item_search_key(obj.name, obj.furigana)


@transaction.atomic
def calendar_object_save(*, obj, actor=None):
    """Save a district, area, category, rule, closure, change or item (from the admin console or a
    script) after validating it, and invalidate what it changes."""
    _prepare(obj)
    if isinstance(obj, Change):
        if obj._state.adding and actor is not None:
            obj.created_by = actor
        change_check(change=obj)
    obj.full_clean()
    obj.save()
    touched = _touched_districts(obj)
    if touched != []:
        districts_touch(district_ids=touched)
    return obj


@transaction.atomic
def calendar_objects_delete(*, objects) -> int:
    touched: set | None = set()
    count = 0
    for obj in list(objects):
        ids = _touched_districts(obj)
        if ids is None:
            touched = None
        elif touched is not None:
            touched.update(ids)
        obj.delete()
        count += 1
    if touched is None or touched:
        districts_touch(district_ids=touched)
    return count


def change_check(*, change: Change) -> None:
    """A skip or move must name a day the district collects that category (before this change);
    an added day must not already be one."""
    if not (change.district_id and change.category_id and change.day):
        return
    district = CollectionDistrict.objects.get(pk=change.district_id)
    fiscal_year = fiscal_year_of(change.day)
    others = Change.objects.filter(district_id=change.district_id, fiscal_year=fiscal_year).exclude(pk=change.pk)
    rules = Rule.objects.filter(district_id=change.district_id, fiscal_year=fiscal_year)
    closures = schedule._intersecting(fiscal_year).filter(center__in=["", district.center])
    days = schedule.compute(rules=rules, closures=closures, changes=others, fiscal_year=fiscal_year)
    collected = {(c.category_id, c.day) for c in days if c.collected}
    key = (change.category_id, change.day)
    if change.kind == ChangeKind.ADD and key in collected:
        raise ApplicationError(_("この日はすでにこの分別の収集日です。"), extra={"fields": {"day": [_("すでに収集日です。")]}})
    if change.kind in (ChangeKind.SKIP, ChangeKind.MOVE) and key not in collected:
        raise ApplicationError(_("この日はこの分別の収集日ではありません。"),
                               extra={"fields": {"day": [_("収集日ではない日は休みにも変更にもできません。")]}})


def resident_district_choose(*, user, district: CollectionDistrict) -> None:
    ResidentDistrict.objects.update_or_create(user=user, defaults={"district": district})


def resident_district_forget(*, user) -> None:
    ResidentDistrict.objects.filter(user=user).delete()

