"""The young-carer support's services: application, review, plans and their visits, records,
retention and erasure, the monthly report."""

import datetime

import pytest
from django.utils import timezone

from asahikawa.accounts.tests.factories import HelperAgencyFactory, UserFactory
from asahikawa.errors import ApplicationError
from asahikawa.testing import TODAY, count_queries, queries_of

from .. import selectors, services
from ..models import AgencyRate, Case, CaseEvent, Settings, Status, Task, Visit
from .factories import SECRET_REASON, SECRET_SCHOOL, active_case, application_data, submitted_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_now")]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff(make_staff):
    return make_staff("child_welfare")


def test_an_application_needs_the_consent(resident):
    with pytest.raises(ApplicationError) as caught:
        services.case_apply(actor=resident, data=application_data(consent=False))
    assert caught.value.code == "consent_required"
    assert not Case.objects.exists()


def test_a_guardian_applies_for_their_own_household(resident):
    case = submitted_case(resident)
    assert (case.household, case.applied_by, case.applied_as, case.status) == (
        resident,
        resident,
        "guardian",
        "submitted",
    )
    assert case.consent_at is not None
    assert list(case.events.values_list("action", flat=True)) == ["submitted"]


def test_a_caseworker_applies_on_behalf_of_a_household(resident, staff):
    case = services.case_apply(actor=staff, data=application_data(), as_caseworker=True, household=resident)
    assert (case.household, case.applied_by, case.caseworker, case.applied_as) == (resident, staff, staff, "caseworker")


def test_a_period_that_ends_before_it_starts_is_refused(resident):
    with pytest.raises(ApplicationError) as caught:
        services.case_apply(actor=resident, data=application_data(start=TODAY, end=TODAY - DAY))
    assert "wanted_to" in caught.value.extra["fields"]


def test_asking_for_information_then_the_answer_puts_the_case_back_in_the_queue(resident, staff):
    case = submitted_case(resident)
    with pytest.raises(ApplicationError):
        services.case_request_info(case_id=case.pk, actor=staff, reason=" ")
    services.case_request_info(case_id=case.pk, actor=staff, reason="時間帯を教えてください")
    assert Case.objects.get(pk=case.pk).status == Status.INFO_REQUESTED
    with pytest.raises(ApplicationError):  # another household cannot answer
        services.case_give_info(case_id=case.pk, user=UserFactory(), note="x")
    services.case_give_info(case_id=case.pk, user=resident, note="平日の夕方です")
    case.refresh_from_db()
    assert (case.status, case.household_note) == (Status.SUBMITTED, "平日の夕方です")


def test_decline_needs_a_reason_and_starts_the_retention(resident, staff):
    case = submitted_case(resident)
    with pytest.raises(ApplicationError):
        services.case_decline(case_id=case.pk, actor=staff, reason="")
    services.case_decline(case_id=case.pk, actor=staff, reason="ほかの支援で対応")
    case.refresh_from_db()
    assert case.status == Status.DECLINED
    assert case.erase_after == TODAY + datetime.timedelta(days=Settings.current().retention_days)
    with pytest.raises(ApplicationError) as caught:  # no second decision
        services.case_decline(case_id=case.pk, actor=staff, reason="again")
    assert caught.value.code == "not_allowed_now"


def test_approval_generates_the_visits_of_the_plan_on_its_weekdays(resident, staff):
    start = TODAY  # a Wednesday
    case = active_case(resident, staff, start=start, days=13, weekdays=(0, 2, 4))
    dates = list(case.visits.values_list("date", flat=True))
    expected = [start + n * DAY for n in range(14) if (start + n * DAY).weekday() in (0, 2, 4)]
    assert dates == expected and len(dates) == 6
    visit = case.visits.first()
    assert (visit.agency_id, visit.state, visit.tasks, visit.start_time) == (
        case.agency_id,
        "scheduled",
        [Task.COOKING, Task.CLEANING],
        None,
    )


def test_a_plan_cannot_start_in_the_past(resident, staff):
    case = submitted_case(resident)
    with pytest.raises(ApplicationError) as caught:
        services.case_approve(
            case_id=case.pk,
            actor=staff,
            plan_start=TODAY - DAY,
            plan_end=TODAY + 9 * DAY,
            weekdays=[0],
            minutes_per_visit=60,
            tasks=["cooking"],
            agency=HelperAgencyFactory(),
        )
    assert "plan_start" in caught.value.extra["fields"]
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED and not Visit.objects.exists()


def test_generation_is_set_based_and_idempotent(resident, staff):
    agency = HelperAgencyFactory()
    active_case(resident, staff, agency)
    first, last = TODAY + 40 * DAY, TODAY + 70 * DAY
    Case.objects.update(plan_end=last)
    one = queries_of(lambda: services.visits_generate(start=first, end=last))
    for _ in range(4):
        active_case(UserFactory(), staff, agency)
    Case.objects.update(plan_end=last)
    with count_queries() as queries:
        created = services.visits_generate(start=first, end=last)
    assert len(queries) == one == 1
    per_case = sum(1 for n in range((last - first).days + 1) if (first + n * DAY).weekday() in (0, 2, 4))
    assert created == 4 * per_case == 56  # the first case had its own already
    assert services.visits_generate(start=first, end=last) == 0


def test_extend_adds_visits_and_end_early_removes_the_later_ones(resident, staff):
    case = active_case(resident, staff, days=13)
    before = case.visits.count()
    with pytest.raises(ApplicationError):
        services.case_extend(case_id=case.pk, actor=staff, plan_end=case.plan_end + 7 * DAY, reason="")
    services.case_extend(case_id=case.pk, actor=staff, plan_end=case.plan_end + 7 * DAY, reason="入院が延びた")
    assert case.visits.count() == before + 3
    services.case_end(case_id=case.pk, actor=staff, end_on=TODAY + 2 * DAY, reason="退院した")
    case.refresh_from_db()
    assert case.plan_end == TODAY + 2 * DAY and case.status == Status.ACTIVE
    assert list(case.visits.values_list("date", flat=True)) == [TODAY, TODAY + 2 * DAY]
    assert [e.action for e in case.events.all()][-2:] == [CaseEvent.Action.EXTENDED, CaseEvent.Action.ENDED]


def test_the_agency_schedules_records_and_cancels_only_its_own_visits(resident, staff, agency, agency_user):
    case = active_case(resident, staff, agency, start=TODAY - 0 * DAY)
    today, later = case.visits.order_by("date")[:2]
    with pytest.raises(ApplicationError) as caught:
        services.visit_schedule(
            visit_id=today.pk, agency_id=HelperAgencyFactory().pk, start_time=datetime.time(16), helper_name="x"
        )
    assert caught.value.code == "not_found"
    services.visit_schedule(visit_id=today.pk, agency_id=agency.pk, start_time=datetime.time(16), helper_name="北野")
    with pytest.raises(ApplicationError):  # not before the day
        services.visit_record(visit_id=later.pk, agency_id=agency.pk, tasks_done=["cooking"], minutes=60)
    services.visit_record(
        visit_id=today.pk,
        agency_id=agency.pk,
        tasks_done=["cooking"],
        minutes=110,
        note="元気でした",
        actor=agency_user,
    )
    today.refresh_from_db()
    assert (today.state, today.minutes, today.tasks_done, today.recorded_by) == ("done", 110, ["cooking"], agency_user)
    with pytest.raises(ApplicationError):  # recorded once
        services.visit_cancel(visit_id=today.pk, agency_id=agency.pk, reason="x")
    services.visit_cancel(visit_id=later.pk, agency_id=agency.pk, reason="ヘルパーの都合")
    assert Visit.objects.get(pk=later.pk).state == "cancelled"


def test_finished_plans_close_and_their_sensitive_fields_are_erased_after_the_retention(resident, staff, agency):
    case = active_case(resident, staff, agency, days=6)
    visit = case.visits.first()
    services.visit_record(visit_id=visit.pk, agency_id=agency.pk, tasks_done=["cooking"], minutes=100, note="メモ")
    later = TODAY + 7 * DAY
    assert services.cases_close_finished(today=later) == 1
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Status.CLOSED, case.plan_end)
    assert services.cases_erase_expired(today=case.erase_after - DAY) == 0
    assert services.cases_erase_expired(today=case.erase_after) == 1
    case.refresh_from_db()
    visit.refresh_from_db()
    assert (case.guardian_name, case.address, case.phone, case.reason_detail, case.children) == ("", "", "", "", [])
    assert case.erased_at is not None and visit.note == "" and visit.minutes == 100  # the figures stay
    assert not case.events.exclude(reason="").exists()
    assert services.cases_erase_expired(today=case.erase_after + DAY) == 0


def test_account_deletion_erases_finished_cases_and_detaches_active_ones(resident, staff, agency):
    active = active_case(resident, staff, agency)
    pending = submitted_case(resident)
    services.household_data_erase(user=resident)
    active.refresh_from_db()
    pending.refresh_from_db()
    assert active.household is None and active.address  # the children's support goes on
    assert pending.household is None and pending.reason_detail == "" and pending.erased_at is not None


def test_the_monthly_report_counts_visits_hours_and_cost_per_agency_and_household(resident, other_resident, staff):
    agency, other = HelperAgencyFactory(), HelperAgencyFactory()
    AgencyRate.objects.create(agency=agency, yen_per_hour=3000)
    first = active_case(resident, staff, agency, start=TODAY, days=5)  # Wed 17, Fri 19, Mon 22
    second = active_case(other_resident, staff, other, start=TODAY, days=4, weekdays=(2,))
    for visit in first.visits.all()[:2]:
        Visit.objects.filter(pk=visit.pk).update(state="done", minutes=90)
    Visit.objects.filter(case=second).update(state="done", minutes=60)
    report = selectors.monthly_report(TODAY)
    by_agency = {row["agency_id"]: row for row in report["agencies"]}
    assert (by_agency[agency.pk]["done"], by_agency[agency.pk]["minutes"], by_agency[agency.pk]["cost"]) == (
        2,
        180,
        9000,
    )
    assert by_agency[agency.pk]["planned"] == 3
    default = Settings.current().default_yen_per_hour
    assert (by_agency[other.pk]["minutes"], by_agency[other.pk]["cost"]) == (60, default)
    assert {row["case_id"]: row["done"] for row in report["households"]} == {first.pk: 2, second.pk: 1}
    frame = selectors.report_frame(TODAY)
    assert list(frame.columns) == selectors.REPORT_COLUMNS
    assert frame.loc[frame["case"] == first.number, "cost_yen"].item() == 9000
    text = frame.to_csv()
    assert SECRET_REASON not in text and SECRET_SCHOOL not in text and "旭川 春子" not in text


def test_the_monthly_report_runs_the_same_queries_whatever_the_number_of_cases(resident, staff):
    agency = HelperAgencyFactory()
    active_case(resident, staff, agency)
    before = queries_of(lambda: selectors.monthly_report(TODAY))
    for _ in range(3):
        active_case(UserFactory(), staff, HelperAgencyFactory())
    assert queries_of(lambda: selectors.monthly_report(TODAY)) == before


def test_cost_rounds_half_up_to_the_yen():
    assert selectors.cost(90, 2500) == 3750
    assert selectors.cost(1, 2500) == 42  # 41.67
    assert selectors.cost(0, 2500) == 0


def test_the_next_month_is_generated_for_every_active_plan(resident, staff):
    case = active_case(resident, staff, days=90)
    Visit.objects.filter(case=case).delete()
    created = services.visits_generate_next_month(today=TODAY)
    dates = list(case.visits.values_list("date", flat=True))
    assert created == len(dates) > 0
    assert all(day.month == 7 for day in dates)
    assert timezone.localdate().month == 6
