"""The evening reminder (opt-in kind garbage_reminder): at 19:00 Asia/Tokyo, "明日は燃やせるごみの日です"
to the residents of every district that collects something tomorrow.

Set-based: the districts collecting tomorrow are grouped by what they collect (each group its own
title), and one notify_grouped() (INSERT ... SELECT) tells every opted-in resident of every such
district, whatever the number of groups and residents. Running it twice sends nobody a second copy
(dedupe_key per day and group)."""
from __future__ import annotations

import datetime
import hashlib

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa.notifications.services import Message, notify_grouped

from . import schedule, selectors
from .feed import category_name
from .models import CollectionDistrict
from .selectors import REMINDER_KIND


def _title(names_by_language):
    def title():
        from django.utils.translation import get_language

        names = names_by_language["en" if (get_language() or "").startswith("en") else "ja"]
        return _("明日は%(categories)sの日です") % {"categories": _("、").join(names)}

    return title


def dedupe_key(day: datetime.date, codes) -> str:
    joined = "+".join(codes)
    if len(joined) > 60:
        joined = hashlib.sha256(joined.encode()).hexdigest()[:20]
    return f"garbage:{day.isoformat()}:{joined}"


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind the opted-in residents of every district collecting tomorrow. Returns how many were told."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    districts = list(CollectionDistrict.objects.all())
    collecting = schedule.on_day(districts, tomorrow)
    categories = selectors.categories_by_id()
    groups: dict[tuple, list[int]] = {}
    for district_id, collections in collecting.items():
        if collections:
            ids = tuple(sorted({c.category_id for c in collections},
                               key=lambda pk: (categories[pk].position, pk)))
            groups.setdefault(ids, []).append(district_id)
    if not groups:
        return 0
    messages, group_of = {}, {}
    for index, (category_ids, district_ids) in enumerate(groups.items()):
        chosen = [categories[pk] for pk in category_ids]
        names = {language: [category_name(category, language) for category in chosen] for language in ("ja", "en")}
        messages[str(index)] = Message(
            title=_title(names),
            body=lambda: _("ごみは収集日の朝、決められた時間までに出してください。"),
            dedupe_key=dedupe_key(tomorrow, [category.code for category in chosen]),
        )
        group_of.update(dict.fromkeys(district_ids, str(index)))
    return notify_grouped(
        recipients=selectors.residents_by_district(group_of), kind=REMINDER_KIND, messages=messages,
        url=reverse("garbage:home"),
    )
