from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found

from asahikawa.accounts.selectors import profile_for
from asahikawa.areas import AREAS as AREA_APPS
from asahikawa.areas import optional_module

from .api.errors import error_body

# The services on the home page, by policy area. A service whose page is not built yet is
# listed as "in preparation" rather than hidden, so residents know it is coming.
AREAS = [
    {
        "title": gettext_lazy("健康・福祉"),
        "services": [
            ("wellness:dashboard", gettext_lazy("スマートウエルネス（歩数ポイント）"), gettext_lazy("歩数・体重・血圧を記録してポイントをためる")),
            ("wellness:young_carer", gettext_lazy("家事支援ヘルパーの派遣"), gettext_lazy("保護者の病気などで家事が難しい子育て世帯へ")),
            ("wellness:hearing_test", gettext_lazy("新生児聴覚検査費用の助成"), gettext_lazy("検査費用の一部を助成します")),
        ],
    },
    {
        "title": gettext_lazy("地域・暮らし"),
        "services": [
            ("community:circulars", gettext_lazy("電子回覧板"), gettext_lazy("町内会の回覧板をオンラインで")),
            ("community:board", gettext_lazy("町内会員の掲示板"), gettext_lazy("町内会の会員どうしの掲示板")),
            ("community:notices", gettext_lazy("暮らしのお知らせ"), gettext_lazy("除雪・防災・防犯などのお知らせ")),
            ("community:garbage", gettext_lazy("ごみカレンダー"), gettext_lazy("収集日と分別の検索")),
        ],
    },
    {
        "title": gettext_lazy("農業・ゼロカーボン"),
        "services": [
            ("agriculture:programs", gettext_lazy("補助金の申請"), gettext_lazy("スマート農業・再エネ設備・道産木材住宅など")),
        ],
    },
    {
        "title": gettext_lazy("市の財政"),
        "services": [
            ("budget:overview", gettext_lazy("予算の見える化"), gettext_lazy("旭川市の予算をグラフとオープンデータで")),
        ],
    },
]


def _areas():
    areas = []
    for area in AREAS:
        services = []
        for url_name, title, description in area["services"]:
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                url = None
            services.append({"url": url, "title": title, "description": description})
        areas.append({"title": area["title"], "services": services})
    return areas


def home(request):
    return render(request, "home.html", {"areas": _areas()})


@login_required
def dashboard(request):
    profile = profile_for(request.user)
    latest = request.user.notifications.all()[:5]
    # Each area may add a panel: <area>/dashboard.py, panel(request) -> {"template": ..., ...} or None.
    panels = [panel for area in AREA_APPS if (module := optional_module(f"{area}.dashboard")) and (panel := module.panel(request))]
    return render(
        request,
        "dashboard.html",
        {"profile": profile, "latest_notifications": latest, "areas": _areas(), "panels": panels},
    )


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker():
    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    elif not settings.CELERY_TASK_ALWAYS_EAGER:
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".healthz"
        probe.write_text("ok")
        probe.unlink()


@never_cache
def healthz(request):
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # report which dependency is down, never the trace
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


def _is_api(request):
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body(_("見つかりません。")), status=404)
    return page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(error_body(_("サーバーで問題が起きました。時間をおいてもう一度お試しください。")), status=500)
    try:
        html = loader.render_to_string("500.html", {"request": request})
    except Exception:
        html = "<!DOCTYPE html><html lang='ja'><title>500</title><h1>サーバーエラー / Server error</h1></html>"
    return HttpResponse(html, status=500)
