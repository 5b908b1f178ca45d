"""The pages: what each role sees (and does not), the access log of every staff read and export,
field-by-field errors, list pages whose queries do not grow, nothing sensitive in URLs or logs."""

import datetime
import logging

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from asahikawa.accounts.models import AccessLog
from asahikawa.accounts.tests.factories import HelperAgencyFactory, UserFactory
from asahikawa.testing import TODAY, assert_not_shown, assert_queries_do_not_grow, body_text
from conftest import client_for

from .. import services
from ..models import Case, Status, Visit
from .factories import SECRET_REASON, SECRET_SCHOOL, active_case, submitted_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_now")]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff(make_staff):
    return make_staff("child_welfare")


def _form(**overrides):
    data = {
        "guardian_name": "旭川 春子",
        "address": "旭川市永山3条1丁目2-3",
        "phone": "0166-12-3456",
        "child_1_age": "10",
        "child_1_school": SECRET_SCHOOL,
        "reason": "illness",
        "reason_detail": SECRET_REASON,
        "services_wanted": ["cooking", "laundry"],
        "preferred_weekdays": ["0", "3"],
        "preferred_hours": "夕方",
        "wanted_from": TODAY.isoformat(),
        "wanted_to": (TODAY + 30 * DAY).isoformat(),
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_a_guardian_applies_and_sees_the_case(resident, caplog):
    client = client_for(resident)
    with caplog.at_level(logging.DEBUG):
        response = client.post("/wellness/carers/apply/", _form())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/wellness/carers/cases/{case.pk}/"
    assert (case.children, case.reason_detail, case.preferred_weekdays) == (
        [{"age": 10, "school": SECRET_SCHOOL}],
        SECRET_REASON,
        0b1001,
    )
    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert SECRET_REASON not in logged and SECRET_SCHOOL not in logged and "旭川 春子" not in logged
    page = body_text(client.get(response["Location"]))
    assert case.number in page and "審査待ち" in page


def test_the_application_form_says_what_is_wrong_field_by_field(resident):
    response = client_for(resident).post(
        "/wellness/carers/apply/",
        _form(consent="", wanted_to=(TODAY - DAY).isoformat(), child_1_age="x", services_wanted=[]),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"consent", "wanted_to", "child_1_age", "services_wanted"}
    assert not Case.objects.exists()


def test_the_application_form_in_english(resident):
    resident.profile.language = "en"
    resident.profile.save()
    client = client_for(resident)
    response = client.post("/wellness/carers/apply/", _form(consent=""), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400


def test_every_staff_read_of_a_case_is_in_the_access_log(resident, staff):
    case = submitted_case(resident)
    client = client_for(staff)
    assert client.get(f"/wellness/carers/staff/cases/{case.pk}/").status_code == 200
    assert client.get(f"/wellness/carers/staff/cases/{case.pk}/").status_code == 200
    reads = AccessLog.objects.filter(object_type="carers.case", object_id=str(case.pk), action="view")
    assert reads.count() == 2 and set(reads.values_list("actor", flat=True)) == {staff.pk}
    assert not reads.filter(detail__contains=SECRET_REASON).exists()


def test_report_reads_and_exports_are_logged_and_staff_review_the_log(resident, staff, make_staff, agency):
    active_case(resident, staff, agency)
    client = client_for(staff)
    assert client.get("/wellness/carers/staff/report/?month=2026-06").status_code == 200
    csv = client.get("/wellness/carers/staff/report.csv?month=2026-06")
    text = body_text(csv)
    assert (
        text.splitlines()[0]
        == "month,agency,case,visits_planned,visits_done,visits_cancelled,minutes,hours,yen_per_hour,cost_yen"
    )
    assert SECRET_REASON not in text and "旭川 春子" not in text
    actions = set(AccessLog.objects.filter(object_type="carers.report").values_list("action", "object_id"))
    assert actions == {("view", "2026-06"), ("export", "2026-06")}
    colleague = make_staff("child_welfare")
    log_page = body_text(client_for(colleague).get("/wellness/carers/staff/access-log/"))
    assert staff.email in log_page and "2026-06" in log_page


def test_nobody_can_edit_the_access_log(staff, make_staff):
    from asahikawa.accounts.services import access_log_record

    access_log_record(actor=staff, action="view", object_type="carers.case", object_id=1)
    admin = site._registry[AccessLog]
    for user in (staff, make_staff("child_welfare", "community"), UserFactory(is_superuser=True, is_staff=True)):
        request = RequestFactory().get("/")
        request.user = user
        assert not admin.has_change_permission(request) and not admin.has_delete_permission(request)
        assert not admin.has_add_permission(request)


def test_the_agency_sees_only_address_times_tasks_and_contact(resident, staff, agency, agency_user):
    case = active_case(resident, staff, agency)
    visit = case.visits.order_by("date").first()
    client = client_for(agency_user)
    for url in ("/wellness/carers/agency/", f"/wellness/carers/agency/visits/{visit.pk}/"):
        text = assert_not_shown(client.get(url), SECRET_REASON, SECRET_SCHOOL, "保護者の病気", "精神")
        assert case.address in text and "調理" in text
    text = body_text(client.get(f"/wellness/carers/agency/visits/{visit.pk}/"))
    assert case.phone in text
    assert not AccessLog.objects.filter(actor=agency_user).exists()  # agency reads are not staff reads


def test_the_agency_schedules_and_records_and_the_household_is_told(resident, staff, agency, agency_user):
    case = active_case(resident, staff, agency)
    visit = case.visits.order_by("date").first()
    client = client_for(agency_user)
    url = f"/wellness/carers/agency/visits/{visit.pk}/"
    before = resident.notifications.count()
    response = client.post(url, {"action": "schedule", "schedule-start_time": "16:30", "schedule-helper_name": "北野"})
    assert response.status_code == 302
    assert resident.notifications.count() == before + 1
    response = client.post(url, {"action": "record", "record-tasks_done": ["cooking"], "record-minutes": "0"})
    assert response.status_code == 400 and "minutes" in response.context["forms"]["record"].errors
    response = client.post(
        url, {"action": "record", "record-tasks_done": ["cooking"], "record-minutes": "115", "record-note": "ok"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.state, visit.minutes, visit.helper_name) == ("done", 115, "北野")
    household_page = body_text(client_for(resident).get(f"/wellness/carers/cases/{case.pk}/"))
    assert "16:30" in household_page and "実施済み" in household_page


def test_staff_review_through_the_page(resident, staff):
    agency = HelperAgencyFactory()
    case = submitted_case(resident)
    client = client_for(staff)
    url = f"/wellness/carers/staff/cases/{case.pk}/"
    response = client.post(
        url,
        {
            "action": "approve",
            "approve-plan_start": TODAY.isoformat(),
            "approve-plan_end": (TODAY - DAY).isoformat(),
            "approve-weekdays": ["0"],
            "approve-minutes_per_visit": "120",
            "approve-tasks": ["cooking"],
            "approve-agency": agency.pk,
        },
    )
    assert response.status_code == 400 and "plan_end" in response.context["forms"]["approve"].errors
    response = client.post(
        url,
        {
            "action": "approve",
            "approve-plan_start": TODAY.isoformat(),
            "approve-plan_end": (TODAY + 20 * DAY).isoformat(),
            "approve-weekdays": ["0", "3"],
            "approve-minutes_per_visit": "120",
            "approve-tasks": ["cooking"],
            "approve-agency": agency.pk,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACTIVE and case.caseworker == staff and case.visits.count() == 6
    response = client.post(url, {"action": "decline", "decline-reason": "x"})
    assert response.status_code == 400  # no longer possible
    response = client.post(url, {"action": "end", "end-end_on": (TODAY + DAY).isoformat(), "end-reason": "回復"})
    assert response.status_code == 302 and Visit.objects.filter(case=case).count() == 1


def test_a_caseworker_applies_for_a_household(staff, resident):
    response = client_for(staff).post("/wellness/carers/staff/apply/", _form(household_email=resident.email))
    case = Case.objects.get()
    assert response.status_code == 302 and (case.household, case.caseworker, case.applied_as) == (
        resident,
        staff,
        "caseworker",
    )
    response = client_for(staff).post("/wellness/carers/staff/apply/", _form(household_email="nobody@example.jp"))
    assert response.status_code == 400 and "household_email" in response.context["form"].errors


def test_the_household_does_not_see_staff_notes_of_the_history(resident, staff):
    case = submitted_case(resident)
    services.case_request_info(case_id=case.pk, actor=staff, reason="学校名を教えてください")
    text = body_text(client_for(resident).get(f"/wellness/carers/cases/{case.pk}/"))
    assert "学校名を教えてください" in text and staff.email not in text


def test_list_pages_do_not_run_a_query_per_row(resident, staff, agency, agency_user):
    active_case(resident, staff, agency)
    submitted_case(resident)
    staff_client, agency_client = client_for(staff), client_for(agency_user)

    def grow():
        for _ in range(3):
            household = UserFactory()
            active_case(household, staff, agency)
            submitted_case(household)

    def pages():
        for client, url in (
            (staff_client, "/wellness/carers/staff/?status=all"),
            (staff_client, "/wellness/carers/staff/report/"),
            (staff_client, "/wellness/carers/staff/access-log/"),
            (agency_client, "/wellness/carers/agency/"),
            (client_for(resident), "/wellness/carers/"),
        ):
            assert client.get(url).status_code == 200

    assert_queries_do_not_grow(pages, grow)


def test_the_case_pages_and_the_access_log_do_not_run_a_query_per_row(resident, staff, agency):
    """The staff and household case pages (history, visits) and the access log cost the same
    queries with a few rows as with many (each event's actor another user; the log's actors too)."""
    from ..models import CaseEvent

    case = active_case(resident, staff, agency, days=13)
    staff_client, household_client = client_for(staff), client_for(resident)
    AccessLog.objects.create(actor=staff, action="export", object_type="carers.report", object_id="2026-06")

    def grow():
        others = UserFactory.create_batch(4, is_staff=True)
        CaseEvent.objects.bulk_create(
            [CaseEvent(case=case, actor=user, action=CaseEvent.Action.EXTENDED, reason="延長") for user in others]
        )
        services.case_extend(case_id=case.pk, actor=staff, plan_end=case.plan_end + 28 * DAY, reason="延長")
        AccessLog.objects.bulk_create(
            [
                AccessLog(actor=user, action="view", object_type="carers.case", object_id=str(case.pk), detail="staff: case")
                for user in others
            ]
        )

    def pages():
        for client, url in (
            (staff_client, f"/wellness/carers/staff/cases/{case.pk}/"),
            (household_client, f"/wellness/carers/cases/{case.pk}/"),
            (staff_client, "/wellness/carers/staff/access-log/"),
            (staff_client, f"/wellness/carers/staff/access-log/?case={case.pk}"),
        ):
            assert client.get(url).status_code == 200

    visits = case.visits.count()
    assert_queries_do_not_grow(pages, grow)
    assert case.visits.count() > visits + 5
    page = body_text(staff_client.get(f"/wellness/carers/staff/cases/{case.pk}/"))
    first = case.visits.order_by("date").first()
    assert f"<td>{first.date:%Y-%m-%d} (水)</td><td>—</td><td>—</td><td>予定</td>" in page
    assert page.count("期間を延長") >= 5
    log = body_text(staff_client.get("/wellness/carers/staff/access-log/"))
    assert f"<td>{staff.email}</td><td>閲覧</td><td>ケース {case.pk}</td>" in log
    assert f"<td>{staff.email}</td><td>出力</td><td>月次報告 2026-06</td>" in log


def test_a_visit_of_another_agency_is_not_found(resident, staff, agency_user):
    case = active_case(resident, staff, HelperAgencyFactory())
    visit = case.visits.first()
    assert client_for(agency_user).get(f"/wellness/carers/agency/visits/{visit.pk}/").status_code == 404


def test_the_account_download_has_the_households_cases_and_deletion_erases_them(resident, staff, agency):
    from asahikawa.accounts.services import user_delete, user_export

    pending = submitted_case(resident)
    active = active_case(resident, staff, agency)
    data = user_export(user=resident)["carers"]
    assert {case["number"] for case in data} == {pending.number, active.number}
    assert data[0]["reason_detail"] == SECRET_REASON
    assert user_export(user=UserFactory()).get("carers") is None
    user_delete(user=resident)
    pending.refresh_from_db()
    active.refresh_from_db()
    assert pending.reason_detail == "" and pending.household_id is None
    assert active.household_id is None and active.status == Status.ACTIVE


def test_the_pages_in_english(resident, staff, agency, agency_user):
    case = active_case(resident, staff, agency)
    resident.profile.language = "en"
    resident.profile.save()
    text = body_text(client_for(resident).get(f"/wellness/carers/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Cooking" in text and "Mon" in text
