"""A resident's first visit in a real browser: sign up, verify the email address, sign in,
the dashboard; each page audited with axe-core."""
import re

import pytest
from django.core import mail

from asahikawa.accounts.tests.factories import PASSWORD
from conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_sign_in_and_see_the_dashboard(page, live_server):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="新規登録").click()
    page.wait_for_url("**/accounts/signup/")
    assert_accessible(page)

    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", "a-different-password")
    page.get_by_label("個人情報の取扱い").check()
    # A mistake is reported next to its field, in Japanese, and the page stays accessible.
    page.locator("main form button[type=submit]").click()
    assert page.locator("#id_password2_errors").get_by_text("同じパスワードを入力してください").is_visible()
    assert page.locator(".error-summary").get_by_role("link", name="同じパスワードを入力してください").count() == 1
    assert_accessible(page)

    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_label("個人情報の取扱い").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    # The verification link, from the test mail outbox (the live server runs in this process).
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    assert "マイページ" in page.locator("h1").inner_text()
    assert_accessible(page)

    # Sign out, and back in with the same email and password.
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_load_state()
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("メールアドレス").fill("hanako@example.jp")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")

    for path in ("/notifications/", "/notifications/settings/", "/accounts/profile/", "/accounts/delete/", "/privacy/"):
        page.goto(path)
        assert_accessible(page)


def test_the_portal_switches_to_english(page):
    page.goto("/")
    page.get_by_label("言語 / Language").select_option("en")
    page.get_by_role("button", name="切替").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Asahikawa City Portal"
    assert_accessible(page)


def test_staff_sign_in_with_totp_and_reach_the_admin_console_in_japanese(page, make_staff):
    import time

    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

    staff = make_staff("finance", totp=False)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    page.goto("/admin/")
    page.wait_for_url("**/accounts/login/**")
    page.get_by_label("メールアドレス").fill(staff.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    assert_accessible(page)
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/admin/")
    assert "管理コンソール" in page.content()
    assert_accessible(page)
