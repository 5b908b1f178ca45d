"""Logs an operator can use (issue 8, finding 6): a request id on every request and task log line,
JSON in production, refusals and failures logged, Sentry only when SENTRY_DSN is set."""
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from asahikawa import logs
from conftest import client_for

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "asahikawa.request"]


def test_every_request_gets_an_id_in_its_answer_and_its_log_line(caplog):
    caplog.set_level(logging.INFO)
    first = Client().get("/privacy/")
    second = Client().get("/privacy/?email=secret@example.jp")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    (line1, line2) = request_lines(caplog)
    assert line1.request_id == first["X-Request-ID"]
    assert (line1.method, line1.path, line1.status) == ("GET", "/privacy/", 200)
    assert "secret" not in line2.path  # no query strings in the logs


@pytest.mark.parametrize("proxies,incoming,kept", [(0, "abc-123", False), (1, "abc-123", True), (1, "bad id\n", False)])
def test_an_incoming_request_id_is_kept_only_from_a_trusted_proxy(settings, proxies, incoming, kept):
    settings.PORTAL_TRUSTED_PROXIES = proxies
    response = Client().get("/privacy/", HTTP_X_REQUEST_ID=incoming)
    assert (response["X-Request-ID"] == incoming) is kept


def test_log_lines_written_during_a_request_carry_its_id(caplog, resident, api_client_for):
    caplog.set_level(logging.INFO)
    response = Client().post("/api/v1/auth/token/", {"email": resident.email, "password": "correct-horse-battery-9"},
                             content_type="application/json")
    issued = [r for r in caplog.records if r.getMessage() == "app token issued"]
    assert issued and issued[0].request_id == response["X-Request-ID"]
    assert logging.getLogger("x").makeRecord("x", logging.INFO, "", 0, "outside", (), None).request_id == "-"


def test_a_permission_refusal_is_logged_as_a_warning_with_the_user(caplog, resident):
    caplog.set_level(logging.INFO)
    response = client_for(resident).get("/wellness/staff/counter/")
    assert response.status_code == 403
    (line,) = request_lines(caplog)
    assert line.levelno == logging.WARNING and line.getMessage() == "request refused"
    assert (line.status, line.user_id) == (403, resident.pk)


def test_tasks_log_their_result_under_the_request_id_that_enqueued_them(caplog, resident,
                                                                       django_capture_on_commit_callbacks):
    from asahikawa.notifications.services import notify

    caplog.set_level(logging.INFO)
    token = logs.request_id_var.set("req-42")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notify(user_ids=[resident.pk], kind="account", title="ようこそ")  # emails by a task (eager in tests)
    finally:
        logs.request_id_var.reset(token)
    finished = [r for r in caplog.records if r.getMessage() == "task finished"]
    assert finished and finished[0].request_id == "req-42"
    assert finished[0].task == "asahikawa.notifications.tasks.send_notification_emails"
    assert finished[0].state == "SUCCESS" and finished[0].result == 1


def test_the_request_id_travels_in_the_task_message():
    headers = {}
    token = logs.request_id_var.set("req-43")
    try:
        logs.task_publish_add_request_id(headers=headers)
    finally:
        logs.request_id_var.reset(token)
    assert headers == {"request_id": "req-43"}


def test_a_failed_notification_email_is_logged(caplog, resident, settings):
    from asahikawa.notifications.models import Channel, Notification
    from asahikawa.notifications.services import notification_emails_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    notification = Notification.objects.create(user=resident, kind="account", title="t", delivery=Channel.EMAIL)
    caplog.set_level(logging.INFO)
    with pytest.raises(OSError):
        notification_emails_send(notification_ids=[notification.pk])
    (failed,) = [r for r in caplog.records if r.getMessage() == "notification email failed"]
    assert failed.notification_id == notification.pk and failed.user_id == resident.pk


def _production(script, **extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "asahikawa.settings.production", "DJANGO_SECRET_KEY": "k" * 60,
           "DJANGO_ALLOWED_HOSTS": "portal.example.jp", "SENTRY_DSN": "", **extra}
    return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + script], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_logs_are_one_json_object_per_line():
    result = _production("import logging; logging.getLogger('asahikawa.test').warning('hello', extra={'user_id': 7})")
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    record = json.loads(line)
    assert record["message"] == "hello" and record["level"] == "WARNING" and record["logger"] == "asahikawa.test"
    assert record["user_id"] == 7 and record["request_id"] == "-" and record["time"]


def test_sentry_reports_only_when_a_dsn_is_set():
    script = "import sentry_sdk; print(sentry_sdk.get_client().is_active())"
    assert _production(script).stdout.split() == ["False"]
    with_dsn = _production(script, SENTRY_DSN="https://public@sentry.invalid/1")
    assert with_dsn.stdout.split() == ["True"], with_dsn.stderr


def test_a_real_worker_logs_the_task_under_the_request_id_that_enqueued_it():
    """A Celery worker (in a thread, on kombu's in-memory broker) reads the id from the message."""
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    from asahikawa import celery_app

    app = Celery("request-id-test", broker="memory://", backend="cache+memory://", set_as_current=False)
    app.conf.task_always_eager = False
    app.conf.worker_hijack_root_logger = False  # as the portal's settings say
    seen, records = [], []

    @app.task(name="request_id_test.remember")
    def remember():
        seen.append(logging.getLogger("x").makeRecord("x", logging.INFO, "", 0, "", (), None).request_id)
        return "done"

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    keep = Keep(level=logging.INFO)
    logs.task_logger.addHandler(keep)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo"):
            token = logs.request_id_var.set("req-44")
            try:
                result = remember.delay()
            finally:
                logs.request_id_var.reset(token)
            assert result.get(timeout=30) == "done"
    finally:
        logs.task_logger.removeHandler(keep)
        celery_app.set_current()  # start_worker made the test app the current one: shared tasks would go there
        celery_app.set_default()
    assert seen == ["req-44"]
    finished = [r for r in records if r.getMessage() == "task finished" and r.task == "request_id_test.remember"]
    assert finished and finished[0].request_id == "req-44" and finished[0].result == "done"
