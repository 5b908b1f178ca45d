"""A cache outage must not break sign-in (issue 8, finding 5), with a real Redis stopped and restarted.

The shared Redis of the machine is never touched: the test starts its own redis-server on a free
port, points the cache at it, kills that process, and starts it again. The portal's choice
(asahikawa/cache.py): sign-in keeps working on a per-process fallback limit while Redis is down."""
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from asahikawa.accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    def __init__(self):
        self.port = _free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=1)

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)
        with pytest.raises(redis.exceptions.ConnectionError):
            self.client().ping()


@pytest.fixture
def own_redis(settings):
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is not installed")
    server = OwnRedis()
    server.start()
    # The cache backend the portal uses with Redis, pointed at this server.
    settings.CACHES = {"default": {**django_settings.CACHES["default"], "LOCATION": server.url}}
    yield server
    if server.process.poll() is None:
        server.kill()


def web_sign_in(user, password=PASSWORD):
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    return response, client


def app_sign_in(user, password=PASSWORD):
    client = APIClient(raise_request_exception=False)
    return client.post("/api/v1/auth/token/", {"email": user.email, "password": password}, format="json")


def test_sign_in_works_while_redis_is_down_and_uses_it_again_when_it_is_back(own_redis, resident, other_resident):
    assert "Redis" in django_settings.CACHES["default"]["BACKEND"]
    response, client = web_sign_in(resident)
    assert response.status_code == 302 and client.get("/dashboard/").status_code == 200
    assert app_sign_in(resident).status_code == 200
    assert own_redis.client().keys("*allauth*"), "the attempt limits are not kept in this Redis"

    own_redis.kill()
    response, client = web_sign_in(resident)
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200
    assert app_sign_in(resident).status_code == 200

    # The limits still hold, on the fallback: five failures lock the account on this process.
    for _ in range(5):
        assert web_sign_in(other_resident, "wrong-password")[0].status_code == 200
    response, client = web_sign_in(other_resident)
    assert response.status_code == 200 and client.get("/dashboard/").status_code == 302
    assert app_sign_in(other_resident).status_code == 429

    own_redis.start()  # an empty Redis again, on the same port
    deadline = time.monotonic() + 30
    while not own_redis.client().keys("*allauth*"):
        assert time.monotonic() < deadline, "the cache did not go back to Redis"
        response, _ = web_sign_in(resident)
        assert response.status_code == 302
        time.sleep(0.5)
    assert app_sign_in(resident).status_code == 200
