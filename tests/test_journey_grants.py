"""Browser journey of issue 15, in Japanese and in English: a resident applies online with a
document (the amount computed as they type), staff return it, the resident corrects it, staff
approve it, the resident reports completion. Every page is checked at phone and desktop sizes
(no sideways scrolling, readable text, 44 px targets) and by axe-core."""
import time

import pytest

from conftest import assert_usable, login_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def sign_in_with_totp(page, user, secret):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from asahikawa.accounts.tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/" not in url)


def staff_step(page, application, action, *, comment="", amount=None):
    """On the staff review page: fill the step's form and press its button."""
    page.goto(f"/grants/staff/applications/{application.pk}/")
    assert_usable(page)
    form = page.locator(f"form.action-{action}")
    if amount is not None:
        form.locator("input[name$='-amount']").fill(str(amount))
    if comment:
        form.locator("textarea").fill(comment)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".messages").count() == 1, page.content()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_apply_return_correct_approve_report_completion(page, chromium_browser, live_server, resident, make_staff,
                                                        tmp_path, language):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from agriculture.grants.models import Application, Status
    from agriculture.grants.tests.factories import ProgramFactory

    program = ProgramFactory(name="スマート農業・省力化技術の導入支援（テスト）", name_en="Smart agriculture (test)",
                             max_grants=3, sample_values=["cap", "window"])
    resident.profile.language = language
    resident.profile.display_name = "旭川 花子"
    resident.profile.save()
    staff = make_staff("agriculture", totp=False)
    staff.profile.language = language
    staff.profile.save()
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    quotation, receipt = tmp_path / "quotation.pdf", tmp_path / "receipt.png"
    quotation.write_bytes(PDF)
    receipt.write_bytes(PNG)

    # The resident finds the program and answers the eligibility questions.
    login_in_browser(page, resident)
    page.goto("/grants/")
    assert page.locator("html").get_attribute("lang") == language
    assert_usable(page)
    page.locator(f"a[href='/grants/programs/{program.pk}/']").first.click()
    page.wait_for_url(f"**/grants/programs/{program.pk}/")
    assert_usable(page)
    page.locator(f"a[href='/grants/programs/{program.pk}/apply/']").click()
    page.wait_for_url("**/apply/")
    assert_usable(page)
    questions = list(program.questions.all())
    page.locator(f"input[name=q_{questions[0].pk}][value=yes]").check()
    page.locator(f"input[name=q_{questions[1].pk}][value=yes]").check()  # behind with taxes: stops
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".notice-error li").inner_text() == "市税の滞納がある方は申請できません。"
    assert_usable(page)
    page.locator(f"input[name=q_{questions[1].pk}][value=no]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/edit/")
    application = Application.objects.get(applicant=resident)

    # The form: the amount is computed while typing (grants.js and the API), then saved with a document.
    assert_usable(page)
    page.fill("#id_applicant_address", "旭川市6条通9丁目")
    page.fill("#id_applicant_phone", "0166-00-0000")
    page.fill("#id_national_subsidy", "300000")
    page.fill("#id_items-0-name", "自動操舵システム")
    page.fill("#id_items-0-cost", "1,000,000")
    live = page.locator("#amount-live")
    live.filter(has_text="200,000").wait_for()
    page.fill("#id_national_subsidy", "400000")
    live.filter(has_text="100,000").wait_for()  # the 5/10 combined limit
    page.fill("#id_national_subsidy", "300000")
    live.filter(has_text="200,000").wait_for()
    requirement = program.requirements.get(stage="application")
    page.set_input_files(f"#id_doc_{requirement.pk}", str(quotation))
    page.locator("button[name=confirm]").click()
    page.wait_for_url("**/confirm/")
    assert "200,000" in page.locator("main table").inner_text()
    assert_usable(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/grants/applications/{application.pk}/")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert page.locator("#receipt-number").inner_text() == application.receipt_number == f"R5-{program.code}-000001"
    assert_usable(page)

    # Staff, signed in with TOTP in their own browser, find it in the queue and return it.
    staff_context = chromium_browser.new_context(locale="ja-JP", base_url=live_server.url,
                                                 viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    staff_page.set_default_timeout(15_000)
    try:
        sign_in_with_totp(staff_page, staff, secret)
        staff_page.goto("/grants/staff/?status=waiting")
        assert application.receipt_number in staff_page.locator("table.queue").inner_text()
        assert_usable(staff_page)
        staff_page.goto(f"/grants/staff/programs/{program.pk}/")
        assert_usable(staff_page)
        staff_step(staff_page, application, "start_review")
        staff_step(staff_page, application, "return", comment="見積書の日付が読み取れません")
        application.refresh_from_db()
        assert application.status == Status.RETURNED

        # The resident sees why, corrects the cost, and resubmits.
        page.goto(f"/grants/applications/{application.pk}/")
        assert "見積書の日付が読み取れません" in page.locator(".notice").inner_text()
        assert_usable(page)
        page.goto(f"/grants/applications/{application.pk}/edit/")
        page.fill("#id_items-0-cost", "1,100,000")
        live.filter(has_text="220,000").wait_for()
        page.locator("button[name=confirm]").click()
        page.wait_for_url("**/confirm/")
        assert_usable(page)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**/grants/applications/{application.pk}/")
        application.refresh_from_db()
        assert (application.status, application.requested_amount) == (Status.RESUBMITTED, 220_000)

        # Staff review it again and approve it.
        staff_step(staff_page, application, "start_review")
        staff_step(staff_page, application, "approve", amount=220_000)
        application.refresh_from_db()
        assert (application.status, application.approved_amount) == (Status.APPROVED, 220_000)

        # The resident reports completion with a photo of the receipt.
        page.goto(f"/grants/applications/{application.pk}/")
        assert_usable(page)
        page.locator(f"a[href='/grants/applications/{application.pk}/completion/']").click()
        page.wait_for_url("**/completion/")
        assert_usable(page)
        page.fill("#id_actual_cost", "1,100,000")
        completion = program.requirements.get(stage="completion")
        page.set_input_files(f"#id_doc_{completion.pk}", str(receipt))
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**/grants/applications/{application.pk}/")
        application.refresh_from_db()
        assert application.status == Status.COMPLETION_REPORTED
        assert_usable(page)
        page.goto("/grants/applications/")
        assert_usable(page)
        page.goto("/dashboard/")
        assert page.locator("#grants-panel-heading").count() == 1

        # Staff see the receipt photo beside the report.
        staff_page.goto(f"/grants/staff/applications/{application.pk}/")
        assert staff_page.locator(".side-by-side img").count() == 1
        assert_usable(staff_page)
        assert application.history.count() == 7
    finally:
        staff_context.close()


def test_the_public_pages_in_english(page, chromium_browser, live_server):
    from agriculture.grants.tests.factories import ProgramFactory

    program = ProgramFactory(name_en="Newborn hearing test (test)", department="child_welfare")
    context = chromium_browser.new_context(locale="en-US", base_url=live_server.url)
    english = context.new_page()
    try:
        for url in ("/grants/", "/grants/hearing-test/", f"/grants/programs/{program.pk}/"):
            english.goto(url)
            assert english.locator("html").get_attribute("lang") == "en"
            assert_usable(english)
    finally:
        context.close()
