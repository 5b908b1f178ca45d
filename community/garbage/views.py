"""Public pages of the garbage calendar (no sign-in): choose a district (remembered), today and
tomorrow, the month as a calendar and a list, the printable fiscal year, the sorting search and the
calendar feed. Signed-in residents can also switch the evening reminder on."""
from __future__ import annotations

import calendar as month_calendar
import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from asahikawa.dates import fiscal_year_bounds, fiscal_year_of
from asahikawa.notifications.models import Channel
from asahikawa.notifications.services import preferences_save

from . import feed, selectors, services
from .models import Area, Category, CollectionDistrict
from .selectors import REMINDER_KIND, SESSION_KEY

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_AREA_RESULTS = 30


def _district_or_404(code) -> CollectionDistrict:
    district = selectors.district_by_code(code)
    if district is None:
        raise Http404("no such district")
    return district


def _today():
    return timezone.localdate()


@require_GET
def home(request):
    district = selectors.remembered_district(request)
    area_query = request.GET.get("area", "").strip()[:64]
    areas = []
    if area_query:
        areas = list(Area.objects.filter(name__icontains=area_query).select_related("district")[:MAX_AREA_RESULTS])
    context = {
        "district": district,
        "districts": selectors.district_options(),
        "area_query": area_query,
        "areas": areas,
        "glance": _glance(district) if district else None,
        "nav": "home",
    }
    return render(request, "garbage/home.html", context)


def _glance(district):
    today = _today()
    categories = selectors.categories_by_id()
    days = selectors.days_between(district, today, today + datetime.timedelta(days=7), categories)
    return {"today": days[0], "tomorrow": days[1], "week": days[2:],
            "has_calendar": selectors.has_calendar(district, fiscal_year_of(today))}


@require_POST
def choose(request):
    district = selectors.district_by_code(request.POST.get("district", ""))
    if district is None:
        messages.error(request, _("収集地区を選んでください。"))
        return redirect("garbage:home")
    request.session[SESSION_KEY] = district.code
    if request.user.is_authenticated:
        services.resident_district_choose(user=request.user, district=district)
    return redirect("garbage:district", code=district.code)


@require_GET
def district_page(request, code):
    district = _district_or_404(code)
    if request.session.get(SESSION_KEY) != district.code:
        request.session[SESSION_KEY] = district.code
    categories = list(selectors.categories_by_id().values())
    chosen = _chosen_categories(request, categories)
    alarm = request.GET.get("alarm") == "1"
    return render(request, "garbage/district.html", {
        "district": district,
        "glance": _glance(district),
        "categories": categories,
        "chosen": chosen,
        "alarm": alarm,
        "feed_urls": _feed_urls(request, district, chosen, categories, alarm),
        "reminder_on": selectors.reminder_opted_in(request.user),
        "remembered": selectors.default_district_for(request.user),
        "today": _today(),
        "nav": "district",
    })


def _chosen_categories(request, categories):
    codes = set(request.GET.getlist("categories"))
    return [category for category in categories if category.code in codes]


def _feed_urls(request, district, chosen, categories, alarm):
    query = []
    if chosen and len(chosen) < len(categories):
        query.append("categories=" + ",".join(category.code for category in chosen))
    if alarm:
        query.append("alarm=1")
    if get_language() == "en":
        query.append("lang=en")
    path = reverse("garbage:feed", kwargs={"code": district.code}) + ("?" + "&".join(query) if query else "")
    https = request.build_absolute_uri(path)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _month_param(request):
    value = request.GET.get("month", "")
    if not value:
        today = _today()
        return today.year, today.month
    match = MONTH.match(value)
    if not match or not (1 <= int(match.group(2)) <= 12) or not (2000 <= int(match.group(1)) <= 2100):
        raise Http404("bad month")
    return int(match.group(1)), int(match.group(2))


@require_GET
def month_page(request, code):
    district = _district_or_404(code)
    year, month = _month_param(request)
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, month_calendar.monthrange(year, month)[1])
    categories = selectors.categories_by_id()
    days = selectors.days_between(district, first, last, categories)
    by_day = {day.day: day for day in days}
    weeks = [[by_day.get(day) if day.month == month else None for day in week]
             for week in month_calendar.Calendar(firstweekday=6).monthdatescalendar(year, month)]
    previous = first - datetime.timedelta(days=1)
    following = last + datetime.timedelta(days=1)
    fiscal_year = fiscal_year_of(first)
    return render(request, "garbage/month.html", {
        "district": district, "first": first, "weeks": weeks, "days": days,
        "categories": sorted(categories.values(), key=lambda c: (c.position, c.pk)),
        "previous": f"{previous:%Y-%m}", "following": f"{following:%Y-%m}",
        "fiscal_year": fiscal_year, "has_calendar": selectors.has_calendar(district, fiscal_year),
        "today": _today(), "weekday_names": _weekday_names(), "nav": "district",
    })


def _weekday_names():
    return [pgettext("weekday", "日"), pgettext("weekday", "月"), pgettext("weekday", "火"), pgettext("weekday", "水"),
            pgettext("weekday", "木"), pgettext("weekday", "金"), pgettext("weekday", "土")]


@require_GET
def year_page(request, code, year):
    district = _district_or_404(code)
    if not 2000 <= year <= 2100:
        raise Http404("bad year")
    start, end = fiscal_year_bounds(year)
    categories = sorted(selectors.categories_by_id().values(), key=lambda c: (c.position, c.pk))
    days = selectors.days_between(district, start, end, {c.pk: c for c in categories})
    months = []
    for offset in range(12):
        month = (start.month - 1 + offset) % 12 + 1
        month_year = start.year + (start.month - 1 + offset) // 12
        cells = []
        for category in categories:
            numbers = [day.day.day for day in days if day.day.month == month and day.day.year == month_year
                       and any(c.category_id == category.pk for c, _cat in day.collected)]
            cells.append(numbers)
        months.append({"first": datetime.date(month_year, month, 1), "cells": cells})
    changes = [(day, entry) for day in days for entry in day.collections
               if entry[0].status != "regular"]
    periods = []
    for day in days:
        if day.closure is None:
            continue
        if periods and periods[-1][1] == day.day - datetime.timedelta(days=1) and periods[-1][2] == day.closure:
            periods[-1][1] = day.day
        else:
            periods.append([day.day, day.day, day.closure])
    return render(request, "garbage/year.html", {
        "district": district, "year": year, "categories": categories, "months": months, "changes": changes,
        "closure_periods": periods, "nav": "district",
        "has_calendar": selectors.has_calendar(district, year),
        "years": [fiscal_year_of(_today()), fiscal_year_of(_today()) + 1],
    })


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:64]
    items = list(selectors.item_search(query)) if query else []
    return render(request, "garbage/search.html", {
        "query": query, "items": items, "district": selectors.remembered_district(request),
        "limit": selectors.SEARCH_LIMIT, "nav": "search",
    })


@require_GET
def feed_view(request, code):
    district = _district_or_404(code)
    chosen = [code for value in request.GET.getlist("categories") for code in value.split(",") if code]
    category_ids = None
    if chosen:
        by_code = dict(Category.objects.filter(code__in=chosen).values_list("code", "pk"))
        unknown = [code for code in chosen if code not in by_code]
        if unknown:
            return HttpResponse(_("分別のコードが正しくありません: %(codes)s") % {"codes": ", ".join(unknown[:5])},
                                status=400, content_type="text/plain; charset=utf-8")
        category_ids = set(by_code.values())
    language = request.GET.get("lang") if request.GET.get("lang") in ("ja", "en") else (get_language() or "ja")[:2]
    body = feed.render(district, categories=selectors.categories_by_id, today=_today(), category_ids=category_ids,
                       alarm=request.GET.get("alarm") == "1", language=language)
    tag = feed.etag(body)
    if request.headers.get("If-None-Match") == tag:
        return HttpResponseNotModified()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = tag
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="garbage-{district.code}.ics"'
    return response


@login_required
@require_POST
def reminder(request):
    turn_on = request.POST.get("on") == "1"
    preferences_save(user=request.user, channels={REMINDER_KIND: Channel.EMAIL if turn_on else Channel.OFF})
    if turn_on:
        messages.success(request, _("前日の夕方（19時）に、メールと受信箱でお知らせします。受け取り方は「通知の受け取り方」で変えられます。"))
    else:
        messages.success(request, _("前日のリマインダーを止めました。"))
    district = selectors.remembered_district(request)
    return redirect("garbage:district", code=district.code) if district else redirect("garbage:home")
