"""A district's collection days: computed from its rules, the closures, its one-off changes and
the national holidays (the `holidays` package), and cached per district and fiscal year.

compute() is pure (works on unsaved rules too: the 5374 export uses it to check what a file would
read back as). The order of work for one rule:
1. the nominal days of the fiscal year (weekly, nth weekday, every other week, explicit dates;
   limited to the rule's months);
2. a nominal day in a closure is skipped or moved a week later (the rule's on_closure), a national
   holiday kept, skipped or moved a week later (on_holiday); a day moved onto another closed day or
   holiday moves again, at most MAX_SHIFTS times; a day moved out of the fiscal year is dropped
   (the next year's calendar takes over on April 1). Explicit dates are taken as they are.
3. Two occurrences of one category on one day are one collection (the one on its own day wins).
4. One-off changes: an added day, a skipped day (kept in the list as cancelled, with the reason),
   a moved day (keeps the identity of the day it replaces: the feed's UID stays the same).

The cache key carries the district's cache_token, which every write bumps (services), the
holidays package's version and ENGINE_VERSION: nothing stale is ever read back.
"""
from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import holidays as holidays_package
from django.core.cache import cache
from django.utils.translation import get_language

from asahikawa.dates import fiscal_year_bounds, fiscal_year_of

from .models import Change, ChangeKind, Closure, OnClosure, OnHoliday, Rule, RuleKind

ENGINE_VERSION = 1
MAX_SHIFTS = 4
CACHE_SECONDS = 7 * 24 * 3600
WEEK = datetime.timedelta(days=7)
DAY = datetime.timedelta(days=1)


class Status:
    REGULAR = "regular"
    MOVED = "moved"  # by a holiday or closure rule, or by a one-off change
    ADDED = "added"
    CANCELLED = "cancelled"  # a one-off skip (or the old day of a one-off move): shown, not collected


@dataclass(frozen=True)
class Collection:
    day: datetime.date
    category_id: int
    nominal: datetime.date  # the day this occurrence stands for (the identity of a moved day)
    status: str = Status.REGULAR
    note: str = ""
    moved_to: datetime.date | None = None

    @property
    def collected(self) -> bool:
        return self.status != Status.CANCELLED

    def as_tuple(self):
        return (self.day.toordinal(), self.category_id, self.nominal.toordinal(), self.status, self.note,
                self.moved_to.toordinal() if self.moved_to else 0)

    @classmethod
    def from_tuple(cls, row):
        day, category_id, nominal, status, note, moved_to = row
        return cls(datetime.date.fromordinal(day), category_id, datetime.date.fromordinal(nominal), status, note,
                   datetime.date.fromordinal(moved_to) if moved_to else None)


# --- holidays ------------------------------------------------------------------------------------

HOLIDAYS_VERSION = holidays_package.__version__


@functools.lru_cache(maxsize=64)
def _holidays(year: int, language: str) -> dict:
    return dict(holidays_package.country_holidays("JP", years=year, language=language))


def national_holidays(fiscal_year: int, language: str = "ja") -> dict[datetime.date, str]:
    """The national holidays of a fiscal year (and the weeks after it, for moved days): day -> name."""
    language = "ja" if (language or "ja").startswith("ja") else "en_US"
    days = {}
    for year in (fiscal_year, fiscal_year + 1):
        days.update(_holidays(year, language))
    return days


def holiday_name(day: datetime.date) -> str:
    return national_holidays(fiscal_year_of(day), get_language() or "ja").get(day, "")


# --- nominal days --------------------------------------------------------------------------------

def nominal_days(rule: Rule, fiscal_year: int) -> list[datetime.date]:
    start, end = fiscal_year_bounds(fiscal_year)
    if rule.kind == RuleKind.DATES:
        return [day for day in rule.date_list() if start <= day <= end]
    months = rule.month_set()

    def allowed(day):
        return not months or day.month in months

    if rule.kind == RuleKind.BIWEEKLY:
        anchor = rule.anchor
        steps = -((anchor - start).days // 14)  # the first anchor + 14n on or after start
        day = anchor + datetime.timedelta(days=14 * steps)
        if day < start:
            day += datetime.timedelta(days=14)
        found = []
        while day <= end:
            if allowed(day):
                found.append(day)
            day += datetime.timedelta(days=14)
        return found
    weekdays = {int(char) for char in rule.weekdays}
    weeks = {int(char) for char in rule.weeks}
    found = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and allowed(day):
            if rule.kind == RuleKind.WEEKLY or (day.day - 1) // 7 + 1 in weeks:
                found.append(day)
        day += DAY
    return found


# --- the year ------------------------------------------------------------------------------------

def closed_days(closures, fiscal_year: int) -> dict[datetime.date, str]:
    start, end = fiscal_year_bounds(fiscal_year)
    days = {}
    for closure in closures:
        day = max(closure.starts, start - datetime.timedelta(days=31))
        while day <= min(closure.ends, end + datetime.timedelta(days=62)):
            days[day] = closure.reason
            day += DAY
    return days


def compute(*, rules, closures, changes, fiscal_year: int, holidays: dict | None = None) -> list[Collection]:
    """Every collection of a district's fiscal year (cancelled ones included, flagged), by day."""
    start, end = fiscal_year_bounds(fiscal_year)
    holidays = national_holidays(fiscal_year) if holidays is None else holidays
    closed = closed_days(closures, fiscal_year)
    placed: dict[tuple[int, datetime.date], Collection] = {}

    def place(collection: Collection):
        key = (collection.category_id, collection.day)
        existing = placed.get(key)
        if existing is None or (existing.nominal != existing.day and collection.nominal == collection.day):
            placed[key] = collection

    for rule in rules:
        for nominal in nominal_days(rule, fiscal_year):
            if rule.kind == RuleKind.DATES:
                place(Collection(nominal, rule.category_id, nominal))
                continue
            day, reason = nominal, ""
            for _attempt in range(MAX_SHIFTS + 1):
                if day in closed:
                    if rule.on_closure != OnClosure.NEXT_WEEK:
                        day = None
                        break
                    reason = reason or closed[day]
                    day += WEEK
                elif day in holidays and rule.on_holiday != OnHoliday.COLLECT:
                    if rule.on_holiday != OnHoliday.NEXT_WEEK:
                        day = None
                        break
                    reason = reason or holidays[day]
                    day += WEEK
                else:
                    break
            else:
                day = None
            if day is None or not start <= day <= end:
                continue
            status = Status.REGULAR if day == nominal else Status.MOVED
            place(Collection(day, rule.category_id, nominal, status, reason if status == Status.MOVED else ""))

    cancelled = []
    for change in sorted(changes, key=lambda change: change.day):
        key = (change.category_id, change.day)
        if change.kind == ChangeKind.ADD:
            if key not in placed:
                placed[key] = Collection(change.day, change.category_id, change.day, Status.ADDED, change.reason)
        elif key in placed:
            old = placed.pop(key)
            if change.kind == ChangeKind.SKIP:
                cancelled.append(Collection(change.day, change.category_id, old.nominal, Status.CANCELLED, change.reason))
            else:
                cancelled.append(Collection(change.day, change.category_id, old.nominal, Status.CANCELLED,
                                            change.reason, moved_to=change.new_day))
                place(Collection(change.new_day, change.category_id, old.nominal, Status.MOVED, change.reason))
    return sorted([*placed.values(), *cancelled], key=lambda c: (c.day, c.category_id, c.status))


# --- cached reads --------------------------------------------------------------------------------

def cache_key(district, fiscal_year: int) -> str:
    return f"garbage:days:{district.pk}:{fiscal_year}:{district.cache_token}:{HOLIDAYS_VERSION}:{ENGINE_VERSION}"


def _intersecting(fiscal_year: int):
    start, end = fiscal_year_bounds(fiscal_year)
    return Closure.objects.filter(starts__lte=end + datetime.timedelta(days=62), ends__gte=start)


def years_for(districts, fiscal_year: int, *, day: datetime.date | None = None) -> dict[int, list[Collection]]:
    """district id -> its fiscal year's collections (with `day`, only that day's), for any number of
    districts: one cache round trip, and for those not cached three queries in all (rules, changes,
    closures)."""
    districts = list(districts)
    keys = {cache_key(district, fiscal_year): district for district in districts}
    found = cache.get_many(list(keys))
    ordinal = day.toordinal() if day else None  # rows are tuples, the day's ordinal first: pick before building
    result = {keys[key].pk: [Collection.from_tuple(row) for row in rows if ordinal is None or row[0] == ordinal]
              for key, rows in found.items()}
    missing = [district for key, district in keys.items() if key not in found]
    if missing:
        ids = [district.pk for district in missing]
        rules: dict[int, list] = {}
        for rule in Rule.objects.filter(district_id__in=ids, fiscal_year=fiscal_year).order_by("position", "pk"):
            rules.setdefault(rule.district_id, []).append(rule)
        changes: dict[int, list] = {}
        for change in Change.objects.filter(district_id__in=ids, fiscal_year=fiscal_year):
            changes.setdefault(change.district_id, []).append(change)
        closures = list(_intersecting(fiscal_year))
        holidays = national_holidays(fiscal_year)
        to_cache = {}
        for district in missing:
            collections = compute(
                rules=rules.get(district.pk, []),
                closures=[closure for closure in closures if closure.center in ("", district.center)],
                changes=changes.get(district.pk, []),
                fiscal_year=fiscal_year, holidays=holidays,
            )
            result[district.pk] = [c for c in collections if day is None or c.day == day]
            to_cache[cache_key(district, fiscal_year)] = [collection.as_tuple() for collection in collections]
        cache.set_many(to_cache, CACHE_SECONDS)
    return result


def year(district, fiscal_year: int) -> list[Collection]:
    return years_for([district], fiscal_year)[district.pk]


def between(district, first: datetime.date, last: datetime.date, *, include_cancelled: bool = True) -> list[Collection]:
    """The district's collections from first to last (both included), across fiscal years."""
    found = []
    for fiscal_year in range(fiscal_year_of(first), fiscal_year_of(last) + 1):
        found.extend(c for c in year(district, fiscal_year)
                     if first <= c.day <= last and (include_cancelled or c.collected))
    return found


def on_day(districts, day: datetime.date) -> dict[int, list[Collection]]:
    """district id -> the collections of one day (not cancelled), for any number of districts."""
    days = years_for(districts, fiscal_year_of(day), day=day)
    return {district_id: [c for c in collections if c.collected]
            for district_id, collections in days.items()}


def closures_between(district, first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    found = {}
    for closure in Closure.objects.filter(starts__lte=last, ends__gte=first, center__in=["", district.center]):
        day = max(closure.starts, first)
        while day <= min(closure.ends, last):
            found[day] = closure.reason
            day += DAY
    return found
