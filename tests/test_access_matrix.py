"""Every URL of the portal, requested as every role (see tests/access.py)."""
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from asahikawa.accounts.tests.factories import UserFactory
from asahikawa.areas import portal_apps

from .access import DEPARTMENTS, LOGIN, ROLES, Row, only, public, signed_in

# URL prefixes whose pages belong to a library with its own tests (allauth's sign-in pages, the
# Django admin). The admin's gate is tested in tests/test_platform.py (staff only, TOTP required).
EXEMPT_PREFIXES = ("accounts/", "admin/")


def platform_rows(world):
    notification = world.notification_of_resident
    return [
        public("/"),
        public("/healthz"),
        public("/privacy/"),
        public("/api/schema/"),
        public("/api/docs/"),
        signed_in("/dashboard/"),
        signed_in("/notifications/"),
        signed_in("/notifications/settings/"),
        signed_in("/notifications/read-all/", 302, method="post"),
        signed_in("/notifications/read-all/", 405),
        only(f"/notifications/{notification.pk}/read/", ["resident"], status=302, denied=404, method="post"),
        public("/i18n/setlang/", 302, method="post", data={"language": "en", "next": "/"}),
        signed_in("/accounts/profile/"),
        signed_in("/accounts/export/"),
        signed_in("/accounts/delete/"),
        signed_in("/accounts/delete/", 400, method="post", data={"password": "not-the-password"}),
        signed_in("/accounts/devices/"),
        only(f"/accounts/devices/{world.device_of_stranger.pk}/sign-out/", [], status=302, denied=404, method="post"),
        signed_in("/accounts/devices/sign-out-all/", 302, method="post"),
        signed_in("/accounts/devices/sign-out-all/", 405),
        signed_in("/api/v1/auth/devices/"),
        only(f"/api/v1/auth/devices/{world.device_of_stranger.pk}/", [], denied=404, method="delete"),
        signed_in("/api/v1/auth/devices/sign-out-all/", method="post"),
        # Invalid input (counted by no attempt limit, so every role gets the same answer).
        Row("/api/v1/auth/token/", {}, default=400, method="post", data={"email": "not-an-email", "password": "x"}),
        Row("/api/v1/auth/token/", {"anonymous": LOGIN}, default=204, method="delete"),
        signed_in("/api/v1/me/"),
        signed_in("/api/v1/notifications/"),
        only(f"/api/v1/notifications/{notification.pk}/", ["resident"], denied=404),
        signed_in("/api/v1/notifications/mark-read/", method="post", data={"ids": [notification.pk]}),
    ]


@pytest.fixture
def world(db, resident, other_resident, officer, association, agency_user, agency, make_staff):
    from asahikawa.notifications.services import notify

    users = {
        "anonymous": None,
        "resident": resident,
        "other_resident": other_resident,
        "officer": officer,
        "agency": agency_user,
        "no_mfa_staff": make_staff(totp=False),
        **{code: make_staff(code) for code in DEPARTMENTS},
    }
    (notification,) = notify(user_ids=[resident.pk], kind="account", title="matrix")
    from asahikawa.accounts.devices import device_sign_in

    device, _ = device_sign_in(user=UserFactory(), name="matrix")  # a stranger's: every role is an outsider
    return SimpleNamespace(
        users=users,
        association=association,
        helper_agency=agency,
        notification_of_resident=notification,
        device_of_stranger=device,
        new_user=UserFactory,
        **{role: user for role, user in users.items() if role != "anonymous"},
    )


def all_rows(world):
    rows = platform_rows(world)
    for config in portal_apps():
        rows.extend(config.access_rows(world))
    return rows


def _request(client, row):
    method = getattr(client, row.method)
    if row.method in ("post", "put", "patch") and row.url.startswith("/api/"):
        return method(row.url, row.data, content_type="application/json")
    return method(row.url, row.data) if row.data or row.method == "post" else method(row.url)


def _outcome(response, url):
    if response.status_code == 302 and "/accounts/login/" in response.headers.get("Location", ""):
        return LOGIN
    if response.status_code == 401 and url.startswith("/api/"):
        return LOGIN
    return response.status_code


def matrix_failures(world, rows=None):
    failures = []
    for row in all_rows(world) if rows is None else rows:
        for role in ROLES:
            client = Client()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            outcome = _outcome(_request(client, row), row.url)
            if outcome != row.expected(role):
                failures.append(f"{row.method.upper()} {row.url} as {role}: got {outcome}, expected {row.expected(role)}")
    return failures


def test_every_role_gets_what_the_matrix_says(world):
    failures = matrix_failures(world)
    assert not failures, "\n".join(failures)


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def routes_without_a_row(world, rows=None):
    covered = set()
    for row in all_rows(world) if rows is None else rows:
        match = resolve(row.url.split("?")[0])
        covered.add(match.route)
    missing = []
    for route in _patterns():
        if route.startswith(EXEMPT_PREFIXES) or route.startswith("^") or "<drf_format_suffix" in route:
            continue
        if route not in covered:
            missing.append(route)
    return missing


def test_every_url_of_the_portal_has_a_row(world):
    missing = routes_without_a_row(world)
    assert not missing, "URLs with no row in the access matrix:\n" + "\n".join(sorted(missing))
