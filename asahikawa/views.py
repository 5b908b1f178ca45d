from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found

from asahikawa.accounts.selectors import profile_for
from asahikawa.areas import banners, portal_apps
from asahikawa.notifications.selectors import latest_with_unread

from .api.errors import error_body


def _panels(request):
    return [panel for config in portal_apps() if (panel := config.dashboard_panel(request))]


def home(request):
    """What a resident needs first: urgent notices, the services by area (live ones first), the
    panels of their dashboard when signed in, and how to reach the city."""
    panels = _panels(request) if request.user.is_authenticated else []
    return render(request, "home.html", {"banners": banners(request), "panels": panels})


@login_required
def dashboard(request):
    profile = profile_for(request.user)
    latest, unread = latest_with_unread(request.user)
    panels = _panels(request)
    return render(
        request,
        "dashboard.html",
        {"profile": profile, "latest_notifications": latest, "inbox_unread": unread, "panels": panels,
         "banners": banners(request)},
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
