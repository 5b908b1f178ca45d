"""The calendar feed of a district (RFC 5545, written with the icalendar package): one all-day
event per collection day for the coming twelve months.

How a moved day updates cleanly on a phone that subscribed:
- The UID names the occurrence, not the day it falls on: district, category and the *nominal* day
  (the day the rule gives before a holiday, a closure or a one-off change moves it). A moved day
  keeps its UID, so the phone moves the event instead of keeping a ghost and adding a new one.
  An added day's UID is its own day; a skipped day's event disappears from the feed.
- SEQUENCE is the district's revision and LAST-MODIFIED / DTSTAMP the time of its last change:
  every change to what the district's calendar computes to raises them, so an updated event is
  never older than the copy the phone holds. The feed is byte-for-byte stable between changes
  (cached, and conditional requests are answered by the ETag).
- Optional VALARM: 19:00 the evening before (TRIGGER -PT5H from the all-day start).
"""
from __future__ import annotations

import datetime
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from . import schedule
from .schedule import Status

FEED_DAYS = 365
ALARM_BEFORE = datetime.timedelta(hours=5)  # midnight minus 5 hours: 19:00 the evening before
EPOCH = datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)


def host() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "portal.invalid"


def uid(district, category_id: int, nominal: datetime.date) -> str:
    return f"garbage-{district.pk}-{category_id}-{nominal:%Y%m%d}@{host()}"


def feed_key(district, *, today, category_ids, alarm: bool, language: str) -> str:
    chosen = ",".join(str(pk) for pk in sorted(category_ids)) if category_ids else "all"
    return (f"garbage:feed:{district.pk}:{district.cache_token}:{today.isoformat()}:{chosen}:{int(alarm)}:{language}:"
            f"{schedule.HOLIDAYS_VERSION}:{schedule.ENGINE_VERSION}")


def category_name(category, language: str) -> str:
    return category.name_en if language == "en" and category.name_en else category.name


def render(district, *, categories, today: datetime.date, category_ids=None, alarm: bool = False,
           language: str = "ja") -> bytes:
    """The feed as bytes, cached per district (token), day, choice of categories, alarm and language.
    categories: id -> Category (all of them; category_ids picks some), or a function returning
    them, called only when the feed is not in the cache."""
    key = feed_key(district, today=today, category_ids=category_ids, alarm=alarm, language=language)
    body = cache.get(key)
    if body is None:
        body = _render(district, categories=categories() if callable(categories) else categories, today=today,
                       category_ids=category_ids, alarm=alarm, language=language)
        cache.set(key, body, schedule.CACHE_SECONDS)
    return body


def _render(district, *, categories, today, category_ids, alarm, language) -> bytes:
    with translation.override(language):
        changed = district.changed_at or EPOCH
        calendar = Calendar()
        calendar.add("prodid", "-//Asahikawa city portal//garbage calendar//JA")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        title = _("ごみカレンダー %(district)s") % {"district": district.name}
        calendar.add("name", title)
        calendar.add("x-wr-calname", title)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        calendar.add("refresh-interval", datetime.timedelta(days=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "P1D")
        last = today + datetime.timedelta(days=FEED_DAYS - 1)
        for collection in schedule.between(district, today, last, include_cancelled=False):
            if category_ids and collection.category_id not in category_ids:
                continue
            category = categories[collection.category_id]
            name = category_name(category, language)
            event = Event()
            event.add("uid", uid(district, collection.category_id, collection.nominal))
            event.add("dtstamp", changed)
            event.add("last-modified", changed)
            event.add("sequence", district.revision)
            event.add("dtstart", collection.day)
            event.add("dtend", collection.day + datetime.timedelta(days=1))
            summary = name
            if collection.status == Status.MOVED:
                summary = _("%(category)s（変更）") % {"category": name}
            elif collection.status == Status.ADDED:
                summary = _("%(category)s（臨時）") % {"category": name}
            event.add("summary", summary)
            lines = [line for line in (collection.note, category.bag, category.instructions) if line]
            if lines:
                event.add("description", "\n".join(lines))
            event.add("categories", [name])
            event.add("transp", "TRANSPARENT")
            if alarm:
                reminder = Alarm()
                reminder.add("action", "DISPLAY")
                reminder.add("description", _("明日は%(category)sの日です") % {"category": name})
                reminder.add("trigger", -ALARM_BEFORE)
                event.add_component(reminder)
            calendar.add_component(event)
        return calendar.to_ical()


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def today() -> datetime.date:
    return timezone.localdate()
