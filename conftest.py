"""Shared fixtures: one user per role, so every permission test reads the same, and the
markers for tests that need PostgreSQL, Redis or a browser (skipped without them; in CI,
where REQUIRE_SERVICES=1, a missing one fails the run instead)."""
import itertools
import os
import shutil

import pytest
from django.conf import settings
from django.test import Client

from asahikawa.accounts.models import Profile
from asahikawa.accounts.tests.factories import AssociationFactory, HelperAgencyFactory, UserFactory, with_totp

_staff_numbers = itertools.count(1)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing(marker):
    if marker == "postgres":
        engine = settings.DATABASES["default"]["ENGINE"]
        return None if "postgresql" in engine else "needs PostgreSQL: set DATABASE_URL"
    if marker == "redis":
        return None if settings.REDIS_URL else "needs Redis: set REDIS_URL"
    if marker == "browser":
        return None if shutil.which(CHROMIUM) else f"needs Chromium at {CHROMIUM}"
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if marker in item.keywords and (reason := _missing(marker)):
            if os.environ.get("REQUIRE_SERVICES") == "1":
                pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}")
            pytest.skip(reason)


@pytest.fixture
def resident(db):
    return UserFactory(email="resident@example.jp")


@pytest.fixture
def other_resident(db):
    return UserFactory(email="neighbor@example.jp")


@pytest.fixture
def association(db):
    return AssociationFactory()


@pytest.fixture
def officer(db, association):
    user = UserFactory(email="officer@example.jp")
    Profile.objects.filter(user=user).update(officer_of=association, association=association)
    return user


@pytest.fixture
def agency(db):
    return HelperAgencyFactory()


@pytest.fixture
def agency_user(db, agency):
    user = UserFactory(email="agency@example.jp")
    Profile.objects.filter(user=user).update(agency=agency)
    return user


@pytest.fixture
def make_staff(db):
    """make_staff("finance") -> a staff user of that department, with TOTP."""

    def make(*departments, totp=True):
        user = UserFactory(email=f"staff-{'-'.join(departments) or 'none'}-{next(_staff_numbers)}@example.jp",
                           departments=list(departments))
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        return with_totp(user) if totp else user

    return make


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def api_client_for():
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
