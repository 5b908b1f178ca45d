"""Reminders: who gets them, once, in a fixed number of queries; and no notification of this
service holds a sensitive field (the text says that a visit is scheduled, never why or where)."""

import datetime

import pytest

from asahikawa.accounts.tests.factories import HelperAgencyFactory, UserFactory
from asahikawa.notifications.models import Notification, NotificationPreference
from asahikawa.testing import TODAY, queries_of

from .. import reminders, services
from ..models import Reason, Visit
from .factories import SECRET_REASON, SECRET_SCHOOL, active_case, application_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_now")]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff(make_staff):
    return make_staff("child_welfare")


def _opt_in(*users):
    for user in users:
        NotificationPreference.objects.update_or_create(user=user, kind="visit_reminder", defaults={"channel": "inbox"})


def _got(user, kind=None):
    notifications = Notification.objects.filter(user=user)
    return notifications.filter(kind=kind).count() if kind else notifications.count()


def test_the_day_before_reminds_the_household_and_the_visits_agency_only(
    resident, other_resident, staff, agency, agency_user
):
    other_agency_user = UserFactory()
    other_agency_user.profile.agency = HelperAgencyFactory()
    other_agency_user.profile.save()
    active_case(resident, staff, agency, start=TODAY + DAY, weekdays=(3,))  # tomorrow is a Thursday
    active_case(other_resident, staff, other_agency_user.profile.agency, start=TODAY + DAY, weekdays=(4,))
    _opt_in(resident, other_resident, agency_user, other_agency_user)
    assert reminders.day_before_send(today=TODAY) == 2
    assert _got(resident, "visit_reminder") == _got(agency_user, "visit_reminder") == 1
    assert _got(other_resident, "visit_reminder") == _got(other_agency_user, "visit_reminder") == 0
    assert reminders.day_before_send(today=TODAY) == 0  # once


def test_a_cancelled_visit_is_not_reminded(resident, staff, agency, agency_user):
    case = active_case(resident, staff, agency, start=TODAY + DAY, weekdays=(3,))
    visit = case.visits.get(date=TODAY + DAY)
    services.visit_cancel(visit_id=visit.pk, agency_id=agency.pk, reason="都合")
    _opt_in(resident, agency_user)
    assert reminders.day_before_send(today=TODAY) == 0


def test_reminders_run_the_same_queries_whatever_the_number_of_cases(resident, staff, agency, agency_user):
    active_case(resident, staff, agency, start=TODAY + DAY, weekdays=(3,))
    runs = {}
    for name, send in (
        ("day_before", reminders.day_before_send),
        ("ending", reminders.plan_ending_send),
        ("unrecorded", reminders.unrecorded_send),
    ):
        runs[name] = queries_of(lambda send=send: send(today=TODAY))
    for _ in range(4):
        household = UserFactory()
        _opt_in(household)
        active_case(household, staff, agency, start=TODAY + DAY, weekdays=(3,), days=14)
    Notification.objects.all().delete()
    for name, send in (
        ("day_before", reminders.day_before_send),
        ("ending", reminders.plan_ending_send),
        ("unrecorded", reminders.unrecorded_send),
    ):
        assert queries_of(lambda send=send: send(today=TODAY)) == runs[name], name


def test_the_caseworker_is_reminded_two_weeks_before_the_plan_ends(resident, staff, make_staff):
    other_staff = make_staff("child_welfare")
    active_case(resident, staff, start=TODAY, days=14)
    assert reminders.plan_ending_send(today=TODAY - DAY) == 0
    assert reminders.plan_ending_send(today=TODAY) == 1
    assert _got(staff, "young_carer") == 1 and _got(other_staff) == 0


def test_the_agency_is_reminded_of_past_visits_without_a_record(resident, staff, agency, agency_user):
    case = active_case(resident, staff, agency, start=TODAY, weekdays=(2,))
    assert reminders.unrecorded_send(today=TODAY) == 0
    assert reminders.unrecorded_send(today=TODAY + DAY) == 1
    visit = case.visits.get(date=TODAY)
    Visit.objects.filter(pk=visit.pk).update(state="done", minutes=60)
    assert reminders.unrecorded_send(today=TODAY + 2 * DAY) == 0


def test_no_notification_of_the_service_holds_a_sensitive_field(resident, staff, agency, agency_user):
    """The whole life of a case, with every notification it sends; none names the reason, the
    children, the guardian, the address or the phone, in Japanese or in English."""
    _opt_in(resident, agency_user)
    resident.profile.language = "en"
    resident.profile.save()
    data = application_data(reason=Reason.DISABILITY)
    first = services.case_apply(actor=staff, data=data, as_caseworker=True, household=resident)
    services.case_request_info(case_id=first.pk, actor=staff, reason="連絡先を確認")
    services.case_give_info(case_id=first.pk, user=resident, note="OK")
    services.case_approve(
        case_id=first.pk,
        actor=staff,
        plan_start=TODAY + DAY,
        plan_end=TODAY + 30 * DAY,
        weekdays=[3, 4],
        minutes_per_visit=90,
        tasks=["cooking"],
        agency=agency,
    )
    tomorrow = first.visits.order_by("date").first()
    services.visit_schedule(visit_id=tomorrow.pk, agency_id=agency.pk, start_time=datetime.time(17), helper_name="北野")
    reminders.day_before_send(today=TODAY)
    services.visit_cancel(visit_id=tomorrow.pk, agency_id=agency.pk, reason="ヘルパーの病気")
    services.case_extend(case_id=first.pk, actor=staff, plan_end=TODAY + 40 * DAY, reason="延長")
    services.case_end(case_id=first.pk, actor=staff, end_on=TODAY + 20 * DAY, reason="回復")
    reminders.unrecorded_send(today=TODAY + 10 * DAY)
    second = services.case_apply(actor=resident, data=application_data())
    services.case_decline(case_id=second.pk, actor=staff, reason="対象外")
    notifications = list(Notification.objects.all())
    assert {n.user_id for n in notifications} >= {resident.pk, agency_user.pk}
    assert len(notifications) >= 8
    sensitive = [
        SECRET_REASON,
        SECRET_SCHOOL,
        data["guardian_name"],
        data["address"],
        data["phone"],
        "障がい",
        "disability",
        "Disability",
        "病気",
        "illness",
        "ヘルパーの病気",
        "対象外",
    ]
    for notification in notifications:
        text = f"{notification.title} {notification.body} {notification.url}"
        assert not [value for value in sensitive if value in text], text
