"""Sign-up, email verification, sign-in by email, rate limits, profile, roles and the admin gate."""
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from asahikawa.accounts import roles
from asahikawa.accounts.models import Profile
from asahikawa.accounts.tests.factories import PASSWORD, AssociationFactory, HelperAgencyFactory
from asahikawa.testing import assert_not_shown
from conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counters live in the cache
    yield
    cache.clear()


def signup(client, email="new@example.jp", consent=True):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    if consent:
        data["privacy_consent"] = "on"
    return client.post("/accounts/signup/", data)


def test_sign_up_needs_consent_and_says_so_in_japanese():
    response = signup(Client(), consent=False)
    assert response.status_code == 200
    assert "個人情報の取扱いへの同意が必要です" in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.jp").exists()


def test_sign_up_then_verify_email_then_signed_in():
    client = Client()
    response = signup(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new@example.jp")
    assert Profile.objects.get(user=user).privacy_consent_at is not None
    assert len(mail.outbox) == 1
    # Verification is mandatory: the unverified user cannot use the portal yet.
    assert client.get("/dashboard/").status_code == 302
    key_url = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    path = key_url.split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/dashboard/").status_code == 200


def test_sign_in_is_by_email_and_unverified_addresses_cannot_sign_in(resident):
    client = Client()
    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200

    EmailAddress.objects.filter(user=resident).update(verified=False)
    other = Client()
    response = other.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert other.get("/dashboard/").status_code == 302


def test_failed_sign_ins_are_rate_limited(resident):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"login": resident.email, "password": "wrong-password"})
    # Five failures within five minutes lock the account's sign-in, even with the right password.
    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/dashboard/").status_code == 302
    assert "ログイン失敗が連続" in response.content.decode()


def test_profile_errors_are_field_by_field_and_nothing_is_saved(resident):
    client = client_for(resident)
    response = client.post("/accounts/profile/", {"display_name": "花子", "birth_year": "1800", "language": "ja"})
    assert response.status_code == 400
    assert "生まれた年は" in response.content.decode()
    assert Profile.objects.get(user=resident).display_name == ""


def test_profile_language_is_remembered(resident):
    client = client_for(resident)
    response = client.post("/accounts/profile/", {"display_name": "Hanako", "birth_year": "1985", "language": "en"})
    assert response.status_code == 302
    assert Profile.objects.get(user=resident).language == "en"
    assert "My page" in client.get("/dashboard/").content.decode()


def test_department_groups_hold_their_declared_permissions():
    child_welfare = Group.objects.get(name="child_welfare")
    codenames = set(child_welfare.permissions.values_list("codename", flat=True))
    assert {"view_helperagency", "change_helperagency"} <= codenames
    assert "view_association" not in codenames
    community = Group.objects.get(name="community")
    assert "change_association" in set(community.permissions.values_list("codename", flat=True))
    # Apps after accounts in INSTALLED_APPS get their permissions too, on a fresh database.
    finance = set(Group.objects.get(name="finance").permissions.values_list("content_type__app_label", flat=True))
    assert finance == {"budget"}


def test_object_rules(officer, association, agency_user, agency, resident, make_staff):
    assert roles.is_officer_of(officer, association)
    assert not roles.is_officer_of(officer, AssociationFactory())
    assert not roles.is_officer_of(resident, association)
    assert roles.is_agency_staff_of(agency_user, agency)
    assert not roles.is_agency_staff_of(agency_user, HelperAgencyFactory())
    finance = make_staff("finance")
    assert roles.in_department(finance, "finance")
    assert not roles.in_department(finance, "wellness")
    assert not roles.in_department(resident, "finance")


def test_admin_console_needs_staff_and_totp(resident, make_staff):
    assert client_for(None).get("/admin/").status_code == 302
    response = client_for(resident).get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/"  # not theirs: back home

    no_totp = make_staff("finance", totp=False)
    response = client_for(no_totp).get("/admin/", follow=True)
    assert any(url.startswith("/accounts/2fa/totp/activate") for url, _ in response.redirect_chain)
    assert "二要素認証" in response.content.decode()

    with_totp = make_staff("finance")
    response = client_for(with_totp).get("/admin/")
    assert response.status_code == 200
    assert "管理コンソール" in response.content.decode()


def test_staff_with_totp_must_give_a_code_to_sign_in(make_staff):
    staff = make_staff("wellness")
    client = Client()
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate")
    assert client.get("/admin/").status_code == 302  # not signed in until the code is given


def test_password_reset_sends_a_link_and_the_new_password_works(resident):
    client = Client()
    assert client.post("/accounts/password/reset/", {"email": resident.email}).status_code == 302
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    form_url = client.get(link).headers.get("Location", link)
    response = client.post(form_url, {"password1": "a-brand-new-pass-42", "password2": "a-brand-new-pass-42"})
    assert response.status_code == 302
    assert Client().login(email=resident.email, password="a-brand-new-pass-42")


def test_a_resident_downloads_and_deletes_their_account(resident, other_resident):
    from asahikawa.accounts.devices import device_sign_in
    from asahikawa.accounts.models import AccessLog
    from asahikawa.notifications.services import notify

    notify(user_ids=[resident.pk], kind="account", title="ようこそ")
    device_sign_in(user=resident, name="Pixel 8")
    client = client_for(resident)
    export = client.get("/accounts/export/")
    assert export["Content-Disposition"].startswith("attachment")
    assert export.json()["email"] == resident.email
    assert [n["title"] for n in export.json()["notifications"]] == ["ようこそ"]
    assert [d["name"] for d in export.json()["app_devices"]] == ["Pixel 8"]
    assert "digest" not in str(export.json()["app_devices"])

    wrong = client.post("/accounts/delete/", {"password": "not-it"})
    assert wrong.status_code == 400 and "パスワードが正しくありません" in wrong.content.decode()
    assert get_user_model().objects.filter(pk=resident.pk).exists()

    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    assert not get_user_model().objects.filter(pk=resident.pk).exists()
    assert get_user_model().objects.filter(pk=other_resident.pk).exists()
    assert AccessLog.objects.filter(action="delete", object_type="accounts.user", object_id=str(resident.pk)).exists()
    assert client.get("/dashboard/").status_code == 302


def test_the_console_links_each_department_to_its_staff_pages(make_staff):
    wellness = assert_not_shown(client_for(make_staff("wellness")).get("/admin/"), "/admin/budget/fiscalyear/import/")
    finance = assert_not_shown(client_for(make_staff("finance")).get("/admin/"), "/wellness/staff/counter/")
    assert "/wellness/staff/counter/" in wellness and "/admin/budget/fiscalyear/import/" in finance


def test_staff_pages_outside_the_console_need_totp_too(make_staff):
    without = client_for(make_staff("wellness", totp=False)).get("/wellness/staff/counter/")
    assert without.status_code == 302 and without["Location"].startswith("/accounts/2fa/totp/activate")
    assert client_for(make_staff("wellness")).get("/wellness/staff/counter/").status_code == 200
    assert client_for(make_staff("finance")).get("/wellness/staff/counter/").status_code == 403


def test_a_signed_in_page_reads_no_session_row_and_the_user_with_its_profile(resident):
    """Per-request work (issue 9): the session comes from the cache and the profile with the user."""
    from asahikawa.testing import count_queries

    client = client_for(resident)
    client.get(reverse("notifications:inbox"))  # the session is now in the cache
    with count_queries() as sql:
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert not [s for s in sql if "django_session" in s]
    user_reads = [s for s in sql if 'FROM "accounts_user"' in s]
    assert len(user_reads) == 1 and '"accounts_profile"' in user_reads[0]
    assert not [s for s in sql if 'FROM "accounts_profile"' in s]
