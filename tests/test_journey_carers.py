"""Browser journey of issue 14, in Japanese and in English: a guardian applies for a housework
helper, child-welfare staff approve a plan, the agency assigns its helper and time and records the
visit, staff see it in the monthly report (and the reads in the access log). Every page is checked
at phone and desktop sizes (no sideways scrolling, readable text, 44 px targets) and by axe-core."""

import datetime

import pytest

from conftest import assert_usable, login_in_browser
from tests.test_journey_grants import sign_in_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _new_page(chromium_browser, live_server, language):
    context = chromium_browser.new_context(
        locale="ja-JP" if language == "ja" else "en-US",
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("language", ["ja", "en"])
def test_apply_approve_schedule_record_and_report(
    page, chromium_browser, live_server, browser_clock, resident, agency, agency_user, make_staff, language
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.utils import timezone

    from asahikawa.accounts.models import AccessLog
    from wellness.carers.models import Case, Status, Visit

    today = timezone.localdate()
    for user in (resident, agency_user):
        user.profile.language = language
        user.profile.save()
    staff = make_staff("child_welfare", totp=False)
    staff.profile.language = language
    staff.profile.save()
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    # The guardian finds the service and applies, with the consent.
    login_in_browser(page, resident)
    page.goto("/wellness/carers/")
    assert page.locator("html").get_attribute("lang") == language
    assert_usable(page)
    page.locator("main a[href='/wellness/carers/apply/']").first.click()
    page.wait_for_url("**/apply/")
    assert_usable(page)
    page.locator("main form button[type=submit]").click()  # empty: errors field by field
    page.wait_for_load_state()
    assert page.locator(".field-errors").count() >= 5
    assert_usable(page)
    page.fill("#id_guardian_name", "旭川 春子")
    page.fill("#id_address", "旭川市永山3条1丁目2-3")
    page.fill("#id_phone", "0166-12-3456")
    page.fill("#id_child_1_age", "10")
    page.fill("#id_child_1_school", "永山小学校 4年")
    page.check("input[name=reason][value=illness]")
    page.fill("#id_reason_detail", "入院のため")
    page.check("input[name=services_wanted][value=cooking]")
    page.check("input[name=services_wanted][value=cleaning]")
    page.check(f"input[name=preferred_weekdays][value='{today.weekday()}']")
    page.fill("#id_wanted_from", today.isoformat())
    page.fill("#id_wanted_to", (today + datetime.timedelta(days=30)).isoformat())
    page.check("#id_consent")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/wellness/carers/cases/*/")
    case = Case.objects.get(household=resident)
    assert case.number in page.locator("h1").inner_text()
    assert_usable(page)

    staff_context, staff_page = _new_page(chromium_browser, live_server, language)
    agency_context, agency_page = _new_page(chromium_browser, live_server, language)
    try:
        # Staff find it in the queue and approve a plan: today's weekday, two hours, the agency.
        sign_in_with_totp(staff_page, staff, secret)
        staff_page.goto("/wellness/carers/staff/")
        assert case.number in staff_page.locator("main table").inner_text()
        assert_usable(staff_page)
        staff_page.goto("/wellness/carers/staff/apply/")
        assert_usable(staff_page)
        staff_page.goto(f"/wellness/carers/staff/cases/{case.pk}/")
        assert "入院のため" in staff_page.locator("main").inner_text()
        assert_usable(staff_page)
        form = staff_page.locator("form.action-approve")
        form.locator("select[name=approve-minutes_per_visit]").select_option("120")
        form.locator("select[name=approve-agency]").select_option(str(agency.pk))
        form.locator("button[type=submit]").click()
        staff_page.wait_for_load_state()
        case.refresh_from_db()
        assert case.status == Status.ACTIVE, staff_page.content()
        assert_usable(staff_page)
        visit = Visit.objects.get(case=case, date=today)

        # The agency sees the visit (address, tasks; never the reason), sets helper and time, records it.
        login_in_browser(agency_page, agency_user)
        agency_page.goto("/wellness/carers/agency/")
        text = agency_page.locator("main").inner_text()
        assert "旭川市永山3条1丁目2-3" in text and "入院のため" not in text and "永山小学校" not in text
        assert_usable(agency_page)
        agency_page.locator(f"a[href='/wellness/carers/agency/visits/{visit.pk}/']").first.click()
        agency_page.wait_for_url(f"**/agency/visits/{visit.pk}/")
        assert_usable(agency_page)
        schedule = agency_page.locator("form.action-schedule")
        schedule.locator("input[name=schedule-start_time]").fill("16:00")
        schedule.locator("input[name=schedule-helper_name]").fill("北野 ヘルパー")
        schedule.locator("button[type=submit]").click()
        agency_page.wait_for_load_state()
        record = agency_page.locator("form.action-record")
        record.locator("input[name=record-minutes]").fill("110")
        record.locator("input[name=record-note]").fill("夕食を作りました")
        record.locator("button[type=submit]").click()
        agency_page.wait_for_load_state()
        visit.refresh_from_db()
        assert (visit.state, visit.minutes, visit.helper_name) == ("done", 110, "北野 ヘルパー")
        assert_usable(agency_page)

        # The household sees the time and the record; it was told of the new time.
        page.goto(f"/wellness/carers/cases/{case.pk}/")
        assert "16:00" in page.locator("main").inner_text()
        assert resident.notifications.filter(kind="young_carer").exists()
        assert_usable(page)

        # Staff see the visit in the monthly report and the reads in the access log.
        staff_page.goto(f"/wellness/carers/staff/report/?month={today:%Y-%m}")
        report = staff_page.locator("main").inner_text()
        assert case.number in report and agency.name in report and "1.8" in report
        assert_usable(staff_page)
        staff_page.goto("/wellness/carers/staff/access-log/")
        assert staff.email in staff_page.locator("main table").inner_text()
        assert_usable(staff_page)
        assert AccessLog.objects.filter(actor=staff, object_type="carers.case", action="view").exists()
    finally:
        staff_context.close()
        agency_context.close()
