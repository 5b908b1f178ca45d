"""Sign-in from outside, as an attacker would try it (issue 8, findings 1, 2 and 4): the client
address, one set of attempt limits for the web form and the API, tokens per device that end with
a password change, and staff sessions without TOTP in the API."""
import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from asahikawa.accounts.models import DeviceToken
from asahikawa.accounts.tests.factories import PASSWORD, UserFactory
from asahikawa.clientip import client_ip
from conftest import client_for

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
NEW_PASSWORD = "a-brand-new-pass-42"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # attempt counters live in the cache
    yield
    cache.clear()


def token_post(email, password, client=None, **headers):
    return (client or APIClient()).post(TOKEN, {"email": email, "password": password}, format="json", **headers)


def web_login(email, password, client=None, **headers):
    return (client or Client()).post("/accounts/login/", {"login": email, "password": password}, **headers)


# --- Finding 1: the client address and one set of limits ---

@pytest.mark.parametrize(
    "proxies,forwarded,expected",
    [
        (0, "203.0.113.9", "192.0.2.1"),  # no proxy declared: the header is the client's own words
        (1, "203.0.113.9", "203.0.113.9"),  # one proxy: the address it appended
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # a forged first entry is ignored
        (2, "198.51.100.7, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, None, "192.0.2.1"),  # no header: the socket's address
    ],
)
def test_the_client_address_comes_from_the_declared_proxies(settings, proxies, forwarded, expected):
    settings.PORTAL_TRUSTED_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", **headers)
    assert client_ip(request) == expected


def test_a_forged_forwarded_for_header_does_not_reset_the_count(resident):
    for i in range(10):  # login_failed: 10 a minute per address
        response = token_post(f"nobody{i}@example.jp", "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
        assert response.status_code == 400
    response = token_post(resident.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429
    assert set(response.json()) == {"message", "extra"}
    assert not DeviceToken.objects.exists()


def test_an_account_locked_on_the_web_form_gets_no_token(resident):
    for _ in range(5):  # five failures within five minutes lock the account
        web_login(resident.email, "wrong-password")
    response = token_post(resident.email, PASSWORD, REMOTE_ADDR="203.0.113.50")  # even from elsewhere
    assert response.status_code == 429
    assert not DeviceToken.objects.filter(user=resident).exists()


def test_failures_in_the_api_lock_the_web_form_too(resident):
    for _ in range(5):
        assert token_post(resident.email, "wrong-password").status_code == 400
    client = Client()
    web_login(resident.email, PASSWORD, client=client, REMOTE_ADDR="203.0.113.51")
    assert client.get("/dashboard/").status_code == 302  # not signed in


def test_the_web_form_and_the_api_share_the_per_address_limit(resident):
    for i in range(10):
        web_login(f"nobody{i}@example.jp", "wrong-password")
    assert token_post(resident.email, PASSWORD).status_code == 429


@pytest.mark.parametrize("case", ["unverified", "staff", "inactive"])
def test_the_right_password_of_an_account_that_cannot_have_a_token_answers_as_a_wrong_one(case, resident, make_staff):
    user = resident
    if case == "unverified":
        EmailAddress.objects.filter(user=user).update(verified=False)
    elif case == "staff":
        user = make_staff("finance")
    else:
        user.is_active = False
        user.save()
    wrong = token_post(user.email, "wrong-password")
    cache.clear()
    right = token_post(user.email, PASSWORD)
    assert right.status_code == wrong.status_code == 400
    assert right.json() == wrong.json()
    assert not DeviceToken.objects.exists()


# --- Finding 2: tokens per device, ended by a password change ---

def sign_in_app(user, device="", password=PASSWORD):
    response = APIClient().post(TOKEN, {"email": user.email, "password": password, "device": device}, format="json")
    assert response.status_code == 200, response.json()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_a_password_change_ends_every_app_token(resident):
    app = sign_in_app(resident, "iPhone")
    assert app.get("/api/v1/me/").status_code == 200
    web = client_for(resident)
    response = web.post("/accounts/password/change/",
                        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert app.get("/api/v1/me/").status_code == 401
    assert not DeviceToken.objects.filter(user=resident).exists()


def test_a_password_reset_by_email_ends_every_app_token(resident):
    app = sign_in_app(resident)
    client = Client()
    assert client.post("/accounts/password/reset/", {"email": resident.email}).status_code == 302
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link).headers.get("Location", link)
    assert client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302
    assert app.get("/api/v1/me/").status_code == 401


def test_a_password_set_outside_the_portal_forms_ends_the_tokens_too(resident):
    """The admin console or `manage.py changepassword` save the user without allauth."""
    app = sign_in_app(resident)
    resident.set_password(NEW_PASSWORD)
    resident.save()
    assert app.get("/api/v1/me/").status_code == 401


def test_a_token_expires(resident, settings):
    app = sign_in_app(resident)
    with time_machine.travel(timezone.now() + settings.PORTAL_API_TOKEN_TTL + datetime.timedelta(minutes=1)):
        assert app.get("/api/v1/me/").status_code == 401


def test_use_keeps_a_token_alive(resident, settings):
    app = sign_in_app(resident)
    start = timezone.now()
    ttl = settings.PORTAL_API_TOKEN_TTL
    with time_machine.travel(start + ttl * 0.75):
        assert app.get("/api/v1/me/").status_code == 200
    with time_machine.travel(start + ttl * 1.5):
        assert app.get("/api/v1/me/").status_code == 200


def test_only_a_digest_of_the_token_is_stored(resident):
    response = token_post(resident.email, PASSWORD)
    key = response.json()["token"]
    assert not DeviceToken.objects.filter(digest=key).exists()
    assert DeviceToken.objects.get(user=resident).digest != key


def test_a_resident_lists_their_devices_and_signs_one_out_then_all(resident, other_resident):
    phone = sign_in_app(resident, "iPhone")
    tablet = sign_in_app(resident, "iPad")
    theirs = sign_in_app(other_resident, "Android")
    listed = phone.get("/api/v1/auth/devices/").json()
    assert sorted(d["name"] for d in listed) == ["iPad", "iPhone"]
    assert [d["current"] for d in listed if d["name"] == "iPhone"] == [True]
    ipad = next(d for d in listed if d["name"] == "iPad")
    other_id = DeviceToken.objects.get(user=other_resident).pk

    assert phone.delete(f"/api/v1/auth/devices/{other_id}/").status_code == 404  # not theirs
    assert theirs.get("/api/v1/me/").status_code == 200
    assert phone.delete(f"/api/v1/auth/devices/{ipad['id']}/").status_code == 204
    assert tablet.get("/api/v1/me/").status_code == 401
    assert phone.get("/api/v1/me/").status_code == 200

    sign_in_app(resident, "iPad")
    response = phone.post("/api/v1/auth/devices/sign-out-all/")
    assert response.status_code == 200 and response.json() == {"signed_out": 2}
    assert phone.get("/api/v1/me/").status_code == 401
    assert theirs.get("/api/v1/me/").status_code == 200


def test_signing_out_ends_only_this_device(resident):
    phone = sign_in_app(resident, "iPhone")
    tablet = sign_in_app(resident, "iPad")
    assert phone.delete(TOKEN).status_code == 204
    assert phone.get("/api/v1/me/").status_code == 401
    assert tablet.get("/api/v1/me/").status_code == 200


def test_the_devices_page_lists_and_signs_out(resident, other_resident):
    sign_in_app(resident, "iPhone")
    tablet = sign_in_app(resident, "iPad")
    sign_in_app(other_resident, "Android")
    web = client_for(resident)
    page = web.get("/accounts/devices/").content.decode()
    assert "iPhone" in page and "iPad" in page and "Android" not in page
    ipad = DeviceToken.objects.get(user=resident, name="iPad")
    other = DeviceToken.objects.get(user=other_resident)
    assert web.post(f"/accounts/devices/{other.pk}/sign-out/").status_code == 404
    assert web.post(f"/accounts/devices/{ipad.pk}/sign-out/").status_code == 302
    assert tablet.get("/api/v1/me/").status_code == 401
    assert web.post("/accounts/devices/sign-out-all/").status_code == 302
    assert not DeviceToken.objects.filter(user=resident).exists()
    assert DeviceToken.objects.filter(user=other_resident).exists()


def test_the_devices_list_query_count_does_not_grow(resident, django_assert_num_queries):
    app = sign_in_app(resident, "iPhone")
    with django_assert_num_queries(2):  # the token (with its user), the list
        app.get("/api/v1/auth/devices/")
    for i in range(10):
        sign_in_app(resident, f"device {i}")
    with django_assert_num_queries(2):
        app.get("/api/v1/auth/devices/")


def test_the_token_still_works_with_the_app_header_and_the_fixture(resident, api_client_for):
    assert api_client_for(resident).get("/api/v1/me/").json()["email"] == resident.email
    other = UserFactory()
    assert api_client_for(other).get("/api/v1/me/").json()["email"] == other.email


# --- Finding 4: staff sessions without TOTP, and the language cookie ---

def test_a_staff_session_without_totp_gets_403_from_the_api(make_staff):
    no_totp = client_for(make_staff("wellness", totp=False))
    response = no_totp.get("/api/v1/me/")
    assert response.status_code == 403
    assert set(response.json()) == {"message", "extra"}
    assert "二要素認証" in response.json()["message"]
    assert client_for(make_staff("wellness")).get("/api/v1/me/").status_code == 200


def test_the_language_cookie_is_secure_where_sessions_are(resident, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    response = Client().post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]
    response = client_for(resident).post("/accounts/profile/", {"display_name": "x", "language": "en"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME]["secure"]


def test_production_settings_make_the_language_cookie_secure():
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "asahikawa.settings.production",
           "DJANGO_SECRET_KEY": "s" * 60, "DJANGO_ALLOWED_HOSTS": "portal.example.jp"}
    script = "from django.conf import settings; print(settings.LANGUAGE_COOKIE_SECURE, settings.SESSION_COOKIE_SECURE)"
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {script}"],
                            cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["True", "True"], result.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_devices_page_is_usable_on_a_phone_and_a_desktop(page, resident):
    from conftest import assert_usable, login_in_browser

    sign_in_app(resident, "iPhone 15")
    sign_in_app(resident, "")
    login_in_browser(page, resident)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="アプリにログイン中の端末").click()
    assert page.get_by_role("heading", name="iPhone 15").is_visible()
    assert_usable(page)
    if shot := __import__("os").environ.get("SCREENSHOTS"):
        for size, name in (({"width": 390, "height": 844}, "phone"), ({"width": 1280, "height": 900}, "desktop")):
            page.set_viewport_size(size)
            page.screenshot(path=f"{shot}/devices-{name}.png", full_page=True)
    page.locator("button", has_text="この端末をログアウト: iPhone 15").click()
    assert page.get_by_text("端末をログアウトしました。").is_visible()
    page.get_by_role("button", name="すべての端末をログアウト").click()
    assert page.get_by_text("アプリにログインしている端末はありません。").is_visible()
