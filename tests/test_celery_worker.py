"""A real `celery worker` process consumes a task from Redis and writes to PostgreSQL."""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from asahikawa import celery_app
from asahikawa.notifications.models import Channel, Notification
from asahikawa.notifications.services import notify, preferences_save
from asahikawa.notifications.tasks import send_notification_emails

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path):
    """A worker on its own queue, on the test database, writing emails to files in tmp_path."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asahikawa.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"filemail:///{tmp_path}",  # django-environ drops one leading slash
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "asahikawa", "worker", "--pool=solo", "-Q", queue,
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    yield queue
    process.terminate()
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


@pytest.fixture
def queued_for_real():
    """Send tasks to the broker instead of running them in the test process."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


def test_a_real_worker_sends_the_email_and_records_it(worker, resident, tmp_path, queued_for_real):
    connection.ensure_connection()
    # Created as inbox-only so that notify() enqueues nothing itself; then switched to email
    # and handed to the worker's queue.
    preferences_save(user=resident, channels={"account": Channel.INBOX})
    (notification,) = notify(user_ids=[resident.pk], kind="account", title="ワーカーからのメール")
    Notification.objects.filter(pk=notification.pk).update(delivery=Channel.EMAIL)

    send_notification_emails.apply_async(args=[[notification.pk]], queue=worker)

    # The worker claims the notification (emailed_at) before it sends, so wait for both: the
    # claim in the database and the message in the mail files.
    deadline = time.monotonic() + 60
    sent = ""
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        sent = "".join(path.read_text() for path in tmp_path.glob("*.log"))
        if notification.emailed_at is not None and resident.email in sent:
            break
        time.sleep(0.5)
    assert notification.emailed_at is not None, "the worker did not process the task within 60 s"
    assert resident.email in sent
