"""Health check, error pages, production settings, demo data, Celery wiring."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory

from asahikawa import celery_app
from asahikawa.testing import assert_not_shown
from asahikawa.views import server_error

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_broker_is_down(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_down():
    """A real portal process whose database does not answer (nothing listens on port 1)."""
    script = (
        "from django.test import Client; r = Client(HTTP_HOST='localhost').get('/healthz'); "
        "print(r.status_code, r.json()['database'][:5], r.json()['broker'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asahikawa.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
        "REDIS_URL": "",
    }
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.split()[-3:] == ["503", "error", "ok"], result.stdout + result.stderr


def test_404_is_in_the_portal_layout_and_json_under_the_api():
    page = Client().get("/no-such-page/")
    assert page.status_code == 404
    assert "ページが見つかりません" in page.content.decode() and 'href="#main"' in page.content.decode()
    api = Client().get("/api/v1/no-such-thing/")
    assert api.status_code == 404 and set(api.json()) == {"message", "extra"}


def test_500_shows_no_stack_trace():
    page = server_error(RequestFactory().get("/"))
    assert page.status_code == 500
    assert "Traceback" not in page.content.decode() and "問題が起きました" in page.content.decode()
    api = server_error(RequestFactory().get("/api/v1/me/"))
    assert api.status_code == 500 and b'"message"' in api.content


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asahikawa.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-check-" + "y" * 30,
        "DJANGO_ALLOWED_HOSTS": "portal.city.asahikawa.example",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' setting, never a deployment's
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_answers_with_security_headers(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get("/").status_code == 301  # plain HTTP goes to HTTPS
    response = Client().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_demo_data_loads_twice_without_duplicates():
    from django.contrib.auth import get_user_model

    call_command("load_demo", stdout=open(os.devnull, "w"))
    counts = get_user_model().objects.count()
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert get_user_model().objects.count() == counts
    assert get_user_model().objects.filter(email="resident@example.jp").exists()


def test_celery_takes_its_configuration_from_the_settings_and_every_beat_entry_names_a_task():
    """The wiring, not the values: every CELERY_* setting reaches the Celery app (a typo in a
    setting's name, or a lost namespace, would leave Celery on its own default), and after the
    autodiscovery a worker does at start every periodic task the apps declare exists."""
    conf = celery_app.conf
    celery_settings = {name: getattr(settings, name) for name in dir(settings) if name.startswith("CELERY_")}
    assert len(celery_settings) > 10
    missing = object()
    differ = [name for name, value in celery_settings.items()
              if getattr(conf, name[len("CELERY_"):].lower(), missing) != value]
    assert not differ, f"settings that did not reach Celery: {differ}"
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    celery_app.finalize()
    assert "notifications-daily-digest" in conf.beat_schedule and "wellness-settle-points" in conf.beat_schedule
    unknown = [entry["task"] for entry in conf.beat_schedule.values() if entry["task"] not in celery_app.tasks]
    assert not unknown, f"beat entries naming no task: {unknown}"


def test_demo_accounts_say_on_every_page_that_their_data_is_sample():
    from django.contrib.auth import get_user_model

    call_command("load_demo", stdout=open(os.devnull, "w"))
    client = Client()
    client.force_login(get_user_model().objects.get(email="resident@example.jp"))
    assert "デモ用のアカウントです" in client.get("/dashboard/").content.decode()
    real = get_user_model().objects.create_user(email="real@example.jp", password="x-long-password-1")
    client.force_login(real)
    assert_not_shown(client.get("/dashboard/"), "デモ用のアカウントです")


def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_residents_data():
    """Issue 9: every panel on (the demo resident has data in each area), and the same queries
    after the resident gets many more notifications, notices and health records."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from asahikawa.notifications.services import notify
    from asahikawa.testing import count_queries
    from community.notices.models import Category, Notice
    from wellness.points.models import HealthRecord

    call_command("load_demo", stdout=open(os.devnull, "w"))
    resident = get_user_model().objects.get(email="resident@example.jp")
    client = Client()
    client.force_login(resident)

    def dashboard_queries():
        client.get("/dashboard/")  # the session and the garbage year are now in the cache
        with count_queries() as sql:
            response = client.get("/dashboard/")
        assert response.status_code == 200
        return sql

    before = dashboard_queries()
    now = timezone.now()
    for n in range(30):
        notify(user_ids=[resident.pk], kind="account", title=f"お知らせ {n}")
    Notice.objects.bulk_create(
        Notice(category=Category.SNOW, title=f"除雪 {n}", body="本文", everyone=True, urgent=n % 3 == 0,
               published_at=now - datetime.timedelta(minutes=n)) for n in range(12))
    today = timezone.localdate()
    HealthRecord.objects.bulk_create(HealthRecord(user=resident, day=today - datetime.timedelta(days=400 + n), steps=5000 + n)
                                     for n in range(1, 60))
    after = dashboard_queries()
    assert len(after) == len(before), [s[:120] for s in after]
    # The user (with profile), the latest notifications with the unread count, and the panels:
    # wellness, circulars (memberships; receipts with their count), notices, garbage (the district), grants.
    assert len(after) <= 8, [s[:120] for s in after]


def test_a_business_rule_refusal_on_a_page_is_its_message_not_a_500(resident):
    from asahikawa.errors import ApplicationError, ErrorCode
    from asahikawa.middleware import ApplicationErrorMiddleware

    request = RequestFactory().post("/wellness/records/")
    request.user = resident
    response = ApplicationErrorMiddleware(lambda r: None).process_exception(
        request, ApplicationError("同じ日の記録が同時に送信されました。", code=ErrorCode.CONFLICT)
    )
    assert response.status_code == 409
    assert "同じ日の記録が同時に送信されました。" in response.content.decode()
    api = RequestFactory().post("/api/v1/wellness/records/")
    assert ApplicationErrorMiddleware(lambda r: None).process_exception(api, ApplicationError("x")) is None
