"""Platform pages and API, served in-process by Django (no network, no gunicorn): p50/p99 per URL.

Runs on the database DATABASE_URL names (migrated; `make bench` or
`DATABASE_URL=... .venv/bin/python bench/portal_pages.py`). Creates one throwaway user with 200
notifications and removes it at the end. Prints `name: value unit` lines.
"""
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asahikawa.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from asahikawa.accounts.devices import device_sign_in  # noqa: E402
from asahikawa.notifications.models import Channel  # noqa: E402
from asahikawa.notifications.services import notify, preferences_save  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
settings.ALLOWED_HOSTS = ["*"]


def measure(client, url, **headers):
    client.get(url, **headers)  # warm up
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def main():
    email = f"bench-{uuid.uuid4().hex[:8]}@example.invalid"
    user = get_user_model().objects.create_user(email=email, password="bench-password-123")
    try:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        preferences_save(user=user, channels={"account": Channel.INBOX})
        for i in range(200):
            notify(user_ids=[user.pk], kind="account", title=f"bench {i}")
        client = Client()
        client.force_login(user)
        _, key = device_sign_in(user=user, name="bench")
        print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
        print(f"requests_per_url: {REQUESTS} requests")
        for name, url, headers in [
            ("home", "/", {}),
            ("dashboard", "/dashboard/", {}),
            ("inbox", "/notifications/", {}),
            ("api_notifications", "/api/v1/notifications/", {"HTTP_AUTHORIZATION": f"Token {key}"}),
            ("healthz", "/healthz", {}),
        ]:
            c = Client() if name.startswith("api") or name == "healthz" else client
            p50, p99 = measure(c, url, **headers)
            print(f"{name}_p50: {p50:.2f} ms")
            print(f"{name}_p99: {p99:.2f} ms")
    finally:
        user.delete()


if __name__ == "__main__":
    main()
