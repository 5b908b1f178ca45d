"""Pages of the notices: residents and the public (list, one notice with やさしい日本語 and furigana),
and staff (write, reach, compare, CSV, readings)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from asahikawa import caching
from asahikawa.accounts.models import Association, District
from asahikawa.accounts.roles import department_required
from asahikawa.accounts.services import access_log_record
from asahikawa.charts import bar_chart
from asahikawa.errors import ApplicationError
from asahikawa.spreadsheets import csv_response

from . import selectors, services
from .forms import NoticeForm, ReaderForm, ReadingForm
from .markup import render_markdown, with_furigana
from .models import Category, Notice

staff_required = department_required("community", "wellness", "child_welfare", "agriculture", "finance")


def form_errors_from(form, error: ApplicationError) -> None:
    fields = (error.extra or {}).get("fields") or {}
    for name, problems in fields.items():
        for message in problems:
            form.add_error(name if name in form.fields else None, message)
    if not fields:
        form.add_error(None, error.message)


# --- residents and the public ---


def index(request):
    """The notices list. The public's is rendered once per version of the notices (scope "notices",
    asahikawa/caching.py) and language, and category, until the next notice is sent or expires; a
    signed-in resident's (their own notices, opened or not) is read each time."""
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    user = request.user
    if not user.is_authenticated:
        now = timezone.now()  # the list and the moment it changes read the same clock
        page = caching.cached(
            services.CACHE_SCOPE,
            "index",
            category,
            compute=lambda: _list_page(selectors.public_notices(category, now=now), category, signed_in=False),
            until=lambda: selectors.public_next_change(category, now=now),
        )
        return _show(request, page)
    notices = selectors.visible_to(user).annotate(**_opened_annotation(user))
    if category:
        notices = notices.filter(category=category)
    return _show(request, _list_page(notices, category, signed_in=True))


def _list_page(notices, category, *, signed_in):
    """The list's body (index_body.html) and the categories' feeds for the page's head."""
    notices = list(notices[:50])
    categories = _categories()
    labels = {c["code"]: c["label"] for c in categories}
    for notice in notices:
        notice.category_label = labels.get(notice.category, notice.category)
    context = {"notices": notices, "categories": categories, "category": category, "signed_in": signed_in}
    return {"html": render_to_string("notices/index_body.html", context), "categories": categories}


def _show(request, page):
    return render(request, "notices/index.html", {"page": page, "nav": "index"})


def _categories() -> list[dict]:
    """The categories with their label and Atom feed, translated once per page (not once per row)."""
    categories = []
    for code, label in Category.choices:
        label = str(label)
        categories.append({
            "code": code,
            "label": label,
            "feed_url": reverse("notices:feed", args=[code]),
            "feed_title": _("旭川市 暮らしのお知らせ：%(label)s") % {"label": label},
        })
    return categories


def _opened_annotation(user):
    return {"opened": selectors.opened_by(user)}


def _choice(request, name: str, saved) -> bool:
    if name in request.GET:
        return request.GET.get(name) == "1"
    return bool(saved)


def version_of(notice: Notice, *, easy: bool, language: str) -> dict:
    """The title and body a reader gets: English where asked and written, else やさしい日本語 where
    chosen and written, else the notice as written."""
    if language == "en" and notice.body_en:
        return {"title": notice.title_en or notice.title, "body": notice.body_en, "lang": "en", "easy": False}
    if easy and notice.easy_body:
        return {"title": notice.easy_title or notice.title, "body": notice.easy_body, "lang": "ja", "easy": True}
    return {"title": notice.title, "body": notice.body, "lang": "ja", "easy": False}


def _visible_or_sign_in(request, pk):
    """The notice if this user may read it. The public are asked to sign in for any notice that is
    not public (the email's link), so an id tells them nothing."""
    notice = selectors.visible_to(request.user).filter(pk=pk).first()
    if notice is None and not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if notice is None:
        raise Http404
    return notice, None


def detail(request, pk):
    notice, sign_in = _visible_or_sign_in(request, pk)
    if sign_in:
        return sign_in
    first = services.notice_open(user=request.user, notice=notice)
    setting = selectors.reader_setting(request.user)
    easy = _choice(request, "easy", setting and setting.easy)
    furigana = _choice(request, "ruby", setting and setting.furigana)
    version = version_of(notice, easy=easy, language=translation.get_language())
    body = render_markdown(version["body"])
    title = version["title"]
    if furigana and version["lang"] == "ja":
        readings = selectors.overrides()
        body = with_furigana(body, readings)
        title = with_furigana(title, readings)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "title": title,
            "plain_title": version["title"],
            "body": body,
            "version": version,
            "easy": easy,
            "furigana": furigana,
            "first_open": first,
            "nav": "index",
            "reader_form": ReaderForm(initial={"easy": easy, "furigana": furigana}),
        },
    )


def image(request, pk):
    notice, sign_in = _visible_or_sign_in(request, pk)
    if sign_in:
        return sign_in
    if not notice.image:
        raise Http404
    response = FileResponse(notice.image.open("rb"), content_type=notice.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def reader(request):
    form = ReaderForm(request.POST)
    if form.is_valid():
        services.reader_setting_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("読み方を保存しました。"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "notices:index"
    return redirect(target)


def _first_for(request):
    """The resident's first five notices (urgent first), read once per request: the dashboard panel
    lists them, and the urgent banners are their urgent ones (at most three, all urgent ones come first)."""
    if not hasattr(request, "_notices_first"):
        request._notices_first = list(selectors.notices_for(request.user)[:5])
    return request._notices_first


def dashboard_panel(request):
    if not request.user.is_authenticated:
        return None
    return {"template": "notices/_dashboard_panel.html", "notices": _first_for(request)}


def banners(request):
    """The urgent notices first on home and the dashboard: a resident's own, or the public's (read
    once per version of the notices, until the next one is sent or expires)."""
    if request.user.is_authenticated:
        urgent = [notice for notice in _first_for(request) if notice.urgent]
    else:
        now = timezone.now()
        urgent = caching.cached(services.CACHE_SCOPE, "urgent",
                                compute=lambda: list(selectors.public_notices(now=now).filter(urgent=True)[:3]),
                                until=lambda: selectors.public_next_change(now=now))
    return [{"template": "notices/_urgent_banner.html", "notice": notice} for notice in urgent[:3]]


# --- staff ---


def _staff_notice(request, pk):
    return get_object_or_404(selectors.staff_notices(request.user), pk=pk)


@staff_required
def staff(request):
    notices = list(selectors.staff_notices(request.user).select_related("author")[:100])
    return render(request, "notices/staff.html", {"notices": notices, "nav": "staff", "shown": selectors.shown})


def _save(request, form, notice=None):
    data = form.cleaned_data
    fields = {
        name: data[name]
        for name in (
            "category",
            "title",
            "body",
            "easy_title",
            "easy_body",
            "title_en",
            "body_en",
            "image_alt",
            "link",
            "urgent",
            "public",
            "everyone",
            "expires_at",
        )
    }
    fields["publish_at"] = data["publish_at"] or timezone.now()
    return services.notice_save(
        author=request.user,
        notice=notice,
        district_ids=[d.pk for d in data["districts"]],
        association_ids=[a.pk for a in data["associations"]],
        age_bands=data["age_bands"],
        image=data.get("image") or None,
        publish_now=not data["publish_at"],
        **fields,
    )


def _form_page(request, notice=None):
    categories = selectors.categories_for(request.user)
    initial = None
    if notice is not None:
        initial = {
            name: getattr(notice, name)
            for name in (
                "category",
                "title",
                "body",
                "easy_title",
                "easy_body",
                "title_en",
                "body_en",
                "image_alt",
                "link",
                "urgent",
                "public",
                "everyone",
                "age_bands",
                "publish_at",
                "expires_at",
            )
        }
        initial["districts"] = list(notice.districts.all())
        initial["associations"] = list(notice.associations.all())
    form = NoticeForm(request.POST or None, request.FILES or None, categories=categories, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(request, form, notice)
        except ApplicationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("お知らせ「%(title)s」を保存しました。") % {"title": saved.title})
            return redirect("notices:staff_reach", saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "notices/staff_form.html", {"form": form, "notice": notice, "nav": "staff"}, status=status)


@staff_required
def staff_new(request):
    return _form_page(request)


@staff_required
def staff_edit(request, pk):
    notice = _staff_notice(request, pk)
    if notice.published_at is not None:
        messages.error(request, _("配信済みのお知らせは変更できません。"))
        return redirect("notices:staff_reach", notice.pk)
    return _form_page(request, notice)


def _shown_groups(groups):
    """The groups of one table as shown: counts under 5 as "<5" (selectors.suppressed_column)."""
    groups = [dict(group) for group in groups]
    for key in ("targeted", "delivered", "opened"):
        for group, text in zip(groups, selectors.suppressed_column([group[key] for group in groups])):
            group[f"{key}_shown"] = text
    return groups


@staff_required
def staff_reach(request, pk):
    notice = _staff_notice(request, pk)
    reach = selectors.reach(notice)
    hours = selectors.opens_by_hour(notice)
    if reach["total"]["opened"] < selectors.MIN_GROUP:
        hours = [None] * len(hours)  # under 5 opens in all: no figure at all, not even by the hour
    start = timezone.localtime(notice.published_at or timezone.now())
    moments = [start + datetime.timedelta(hours=hour) for hour in range(len(hours))]
    chart = bar_chart(moments, hours, name=_("開封数"), x_format="%m/%d %H:00", table_format="%Y-%m-%d %H:00")
    return render(
        request,
        "notices/staff_reach.html",
        {
            "notice": notice,
            "total": {k: selectors.shown(v) for k, v in reach["total"].items()},
            "districts": _shown_groups(reach["districts"]),
            "bands": _shown_groups(reach["bands"]),
            "chart": chart,
            "nav": "staff",
            "body": render_markdown(notice.body),
            "targeting": {"districts": list(notice.districts.all()), "associations": list(notice.associations.all())},
        },
    )


def _chosen(request):
    ids = [value for value in request.GET.getlist("ids") if value.isdigit()][:6]
    return list(selectors.staff_notices(request.user).filter(pk__in=ids).order_by("published_at", "pk"))


@staff_required
def staff_compare(request):
    notices = _chosen(request)
    columns = []
    districts = {}
    for notice in notices:
        reach = selectors.reach(notice)
        total = reach["total"]
        rate = f"{total['opened'] * 100 / total['targeted']:.0f}%" if total["targeted"] >= selectors.MIN_GROUP else "—"
        columns.append({"notice": notice, "total": {k: selectors.shown(v) for k, v in total.items()}, "rate": rate})
        for group in reach["districts"]:
            districts.setdefault(group["label"], {})[notice.pk] = group
    rows = [
        {
            "label": label,
            "cells": [
                {key: selectors.shown(groups[n.pk][key]) if n.pk in groups else "—" for key in ("targeted", "opened")}
                for n in notices
            ],
        }
        for label, groups in sorted(districts.items())
    ]
    return render(
        request,
        "notices/staff_compare.html",
        {"columns": columns, "rows": rows, "nav": "staff", "ids": [n.pk for n in notices]},
    )


@staff_required
def staff_csv(request):
    notices = _chosen(request) if request.GET.getlist("ids") else list(selectors.staff_notices(request.user)[:200])
    access_log_record(
        actor=request.user,
        action="export",
        object_type="notices.reach",
        object_id=",".join(str(n.pk) for n in notices)[:64],
        detail="reach.csv",
    )
    header = [
        "notice_id",
        "category",
        "title",
        "published_at",
        "district",
        "age_band",
        "targeted",
        "delivered",
        "opened",
    ]
    return csv_response("notice-reach.csv", header, selectors.reach_csv_rows(notices))


@department_required("community")
def staff_readings(request):
    from .models import Reading

    form = ReadingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = services.reading_save(**form.cleaned_data)
        messages.success(
            request,
            _("「%(word)s」の読みを「%(reading)s」にしました。") % {"word": saved.word, "reading": saved.reading},
        )
        return redirect("notices:staff_readings")
    sample = request.GET.get("text", "")[:200]
    preview = with_furigana(render_markdown(sample), selectors.overrides()) if sample else ""
    return render(
        request,
        "notices/staff_readings.html",
        {
            "form": form,
            "readings": Reading.objects.all()[:200],
            "sample": sample,
            "preview": preview,
            "nav": "staff",
        },
        status=400 if request.method == "POST" else 200,
    )


__all__ = ["Association", "District"]
