"""The workflow: only the steps of the table happen, each by whom it allows, each recorded (actor,
time, comment) and told to the applicant after commit; the quota holds; the rules of each step."""
import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agriculture.grants import services
from agriculture.grants.models import Application, Program, ReceiptCounter, Status, StatusChange
from agriculture.grants.workflow import APPLICANT, STAFF, SYSTEM, TRANSITIONS
from asahikawa.errors import ApplicationError
from asahikawa.notifications.models import Notification

from .factories import ProgramFactory, application_in, draft, eligible, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(db):
    return ProgramFactory()


@pytest.fixture
def staff(make_staff):
    return make_staff("agriculture")


def test_the_table_is_closed_over_the_statuses():
    statuses = set(Status.values)
    for (source, target), step in TRANSITIONS.items():
        assert source in statuses and target in statuses and source != target
        assert step.by and step.by <= {APPLICANT, STAFF, SYSTEM}
    assert not any(target == Status.DRAFT for _source, target in TRANSITIONS)
    for final in (Status.PAID, Status.REJECTED, Status.WITHDRAWN):
        assert not any(source == final for source, _target in TRANSITIONS)


def test_every_forbidden_transition_is_refused(program, resident, staff):
    applications = {status: application_in(status, program, resident, staff, costs=(100_000,)) for status in Status.values}
    history = StatusChange.objects.count()
    refused = 0
    for status, application in applications.items():
        for target in Status.values:
            if (status, target) in TRANSITIONS:
                continue
            for actor in (resident, staff):
                with pytest.raises(ApplicationError) as caught:
                    services.application_transition(application_id=application.pk, to=target, actor=actor,
                                                    comment="理由", amount=1000)
                # a draft is not the staff's to see at all: "not found"; everything else: "not now"
                expected = "not_found" if (actor == staff and status == Status.DRAFT) else "not_allowed_now"
                assert caught.value.code == expected, (status, target, actor)
                refused += 1
            application.refresh_from_db()
            assert application.status == status
    assert refused == 2 * (len(Status.values) ** 2 - len(TRANSITIONS))
    assert StatusChange.objects.count() == history


def test_a_step_of_the_table_is_refused_to_whom_it_does_not_allow(program, resident, staff):
    for (source, target), step in TRANSITIONS.items():
        if source == Status.DRAFT:
            continue  # the staff cannot see a draft (not found, above)
        application = application_in(source, program, resident, staff, costs=(100_000,))
        for role, actor in ((APPLICANT, resident), (STAFF, staff)):
            if role in step.by:
                continue
            with pytest.raises(PermissionDenied):
                services.application_transition(application_id=application.pk, to=target, actor=actor,
                                                comment="理由", amount=application.requested_amount or 1000)
        application.refresh_from_db()
        assert application.status == source


def test_outsiders_get_not_found(program, resident, other_resident, staff, make_staff):
    application = application_in(Status.UNDER_REVIEW, program, resident, staff)
    for outsider in (other_resident, make_staff("child_welfare"), make_staff("wellness")):
        with pytest.raises(ApplicationError) as caught:
            services.application_approve(application_id=application.pk, actor=outsider)
        assert caught.value.code == "not_found"


def test_staff_cannot_review_their_own_application(program, staff, make_staff):
    application = application_in(Status.UNDER_REVIEW, program, staff, make_staff("agriculture"))
    with pytest.raises(PermissionDenied):
        services.application_approve(application_id=application.pk, actor=staff)


def test_each_step_records_actor_time_and_comment_and_tells_the_applicant_after_commit(
        program, resident, staff, django_capture_on_commit_callbacks):
    application = draft(program, resident)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.application_submit(application_id=application.pk, actor=resident)
    assert len(callbacks) >= 1
    application.refresh_from_db()
    assert application.receipt_number == f"R5-{program.code}-000001"
    notification = Notification.objects.get(user=resident, kind="subsidy")
    assert application.receipt_number in notification.title
    assert any(application.receipt_number in message.subject for message in mail.outbox)  # the email
    with django_capture_on_commit_callbacks(execute=True):
        services.application_start_review(application_id=application.pk, actor=staff)
        services.application_return(application_id=application.pk, actor=staff, comment="見積書の日付がありません")
    change = StatusChange.objects.filter(application=application).last()
    assert (change.from_status, change.to_status, change.actor, change.comment) == (
        Status.UNDER_REVIEW, Status.RETURNED, staff, "見積書の日付がありません")
    assert abs((timezone.now() - change.at).total_seconds()) < 60
    assert Notification.objects.filter(user=resident, kind="subsidy").count() == 3
    assert "見積書" not in Notification.objects.filter(user=resident).latest("pk").body  # no comments in messages


def test_no_notification_when_the_step_rolls_back(program, resident, django_capture_on_commit_callbacks):
    from django.db import transaction

    application = draft(program, resident)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.application_submit(application_id=application.pk, actor=resident)
            raise RuntimeError("the outer transaction fails")
    assert not Notification.objects.filter(user=resident).exists()
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.receipt_number is None


@pytest.mark.parametrize("target", [Status.RETURNED, Status.REJECTED])
def test_returning_and_rejecting_need_a_reason(program, resident, staff, target):
    application = application_in(Status.UNDER_REVIEW, program, resident, staff)
    with pytest.raises(ApplicationError) as caught:
        services.application_transition(application_id=application.pk, to=target, actor=staff, comment="  ")
    assert "comment" in caught.value.extra["fields"]
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW


def test_submission_needs_everything_and_says_what_is_missing(program, resident):
    application = Application.objects.create(program=program, applicant=resident, eligibility={})
    with pytest.raises(ApplicationError) as caught:
        services.application_submit(application_id=application.pk, actor=resident)
    assert set(caught.value.extra["fields"]) >= {"applicant_name", "applicant_address", "applicant_phone", "items",
                                                  "documents", "eligibility"}
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.receipt_number is None


def test_a_business_needs_its_name_and_the_type_must_be_allowed(program, resident):
    application = draft(program, resident, applicant_type="farm")
    with pytest.raises(ApplicationError) as caught:
        services.application_submit(application_id=application.pk, actor=resident)
    assert "business_name" in caught.value.extra["fields"]
    with pytest.raises(ApplicationError) as caught:
        draft(program, resident, applicant_type="corporation")  # not allowed by this program
    assert "applicant_type" in caught.value.extra["fields"]


def test_submission_only_within_the_window_but_a_correction_after_it(program, resident, staff):
    application = draft(program, resident)
    returned = application_in(Status.RETURNED, program, resident, staff)
    Program.objects.filter(pk=program.pk).update(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ApplicationError) as caught:
        services.application_submit(application_id=application.pk, actor=resident)
    assert caught.value.code == "out_of_period"
    services.application_resubmit(application_id=returned.pk, actor=resident)
    returned.refresh_from_db()
    assert returned.status == Status.RESUBMITTED


def test_a_zero_subsidy_cannot_be_submitted(program, resident):
    application = draft(program, resident, costs=(1_000_000,), national=500_000)  # national already 5/10
    assert application.requested_amount == 0
    with pytest.raises(ApplicationError) as caught:
        services.application_submit(application_id=application.pk, actor=resident)
    assert "items" in caught.value.extra["fields"]


def test_the_server_computes_the_amount_again(program, resident):
    application = draft(program, resident, costs=(1_234_567,), national=370_370)
    assert (application.eligible_cost, application.requested_amount) == (1_234_567, 246_000)
    Application.objects.filter(pk=application.pk).update(requested_amount=999_999)  # whatever was stored
    services.application_submit(application_id=application.pk, actor=resident)
    application.refresh_from_db()
    assert application.requested_amount == 246_000


def test_eligibility_stops_with_the_reason(program, resident):
    answers = eligible(program)
    taxes = program.questions.get(disqualifying_answer=True)
    with pytest.raises(ApplicationError) as caught:
        services.application_start(user=resident, program_id=program.pk, answers={**answers, str(taxes.pk): True})
    assert caught.value.extra["reasons"] == ["市税の滞納がある方は申請できません。"]
    assert not Application.objects.exists()
    with pytest.raises(ApplicationError) as caught:
        services.application_start(user=resident, program_id=program.pk, answers={})
    assert set(caught.value.extra["fields"]) == {f"q_{q.pk}" for q in program.questions.all()}
    first = services.application_start(user=resident, program_id=program.pk, answers=answers)
    again = services.application_start(user=resident, program_id=program.pk, answers=answers)
    assert first.pk == again.pk  # the draft is reopened, not doubled


def test_receipt_numbers_count_per_program_and_fiscal_year(resident, staff):
    first, second = ProgramFactory(code="SMART"), ProgramFactory(code="CROP")
    later = ProgramFactory(code="SMART", fiscal_year=2024)
    numbers = [application_in(Status.SUBMITTED, p, resident, staff).receipt_number
               for p in (first, first, second, later, first)]
    assert numbers == ["R5-SMART-000001", "R5-SMART-000002", "R5-CROP-000001", "R6-SMART-000001", "R5-SMART-000003"]
    assert ReceiptCounter.objects.get(prefix="R5-SMART").last == 3


def test_approval_within_the_count(resident, other_resident, staff):
    program = ProgramFactory(max_grants=2)
    applications = [application_in(Status.UNDER_REVIEW, program, user, staff) for user in (resident, other_resident, resident)]
    services.application_approve(application_id=applications[0].pk, actor=staff)
    services.application_approve(application_id=applications[1].pk, actor=staff)
    with pytest.raises(ApplicationError) as caught:
        services.application_approve(application_id=applications[2].pk, actor=staff)
    assert caught.value.code == "limit_reached"
    services.application_withdraw(application_id=applications[0].pk, actor=resident)  # gives its grant back
    services.application_approve(application_id=applications[2].pk, actor=staff)
    assert Application.objects.filter(program=program, status=Status.APPROVED).count() == 2


def test_approval_within_the_budget_and_at_most_the_computed_amount(resident, staff):
    program = ProgramFactory(budget=350_000)
    first = application_in(Status.UNDER_REVIEW, program, resident, staff, costs=(1_000_000,))  # 200,000
    second = application_in(Status.UNDER_REVIEW, program, resident, staff, costs=(1_000_000,))
    with pytest.raises(ApplicationError) as caught:
        services.application_approve(application_id=first.pk, actor=staff, amount=200_001)
    assert "amount" in caught.value.extra["fields"]
    services.application_approve(application_id=first.pk, actor=staff, amount=180_000)  # lower is allowed
    with pytest.raises(ApplicationError) as caught:
        services.application_approve(application_id=second.pk, actor=staff)  # 180,000 + 200,000 > 350,000
    assert caught.value.code == "limit_reached"
    services.application_approve(application_id=second.pk, actor=staff, amount=170_000)
    assert services.program_granted(program.pk) == {"count": 2, "amount": 350_000}


def test_completion_confirmation_and_payment(program, resident, staff):
    application = application_in(Status.APPROVED, program, resident, staff, costs=(1_000_000,), national=300_000)
    assert application.approved_amount == 200_000
    with pytest.raises(ApplicationError) as caught:  # the receipts are required
        services.completion_report(user=resident, application_id=application.pk, actual_cost=900_000)
    assert "documents" in caught.value.extra["fields"]
    requirement = program.requirements.get(stage="completion")
    services.completion_report(user=resident, application_id=application.pk, actual_cost=900_000,
                               uploads=[(requirement.pk, pdf("領収書.pdf"))])
    application.refresh_from_db()
    assert application.status == Status.COMPLETION_REPORTED and application.actual_cost == 900_000
    assert services.confirmable_amount(application) == 150_000  # 5/10 of 900,000 - 300,000 < 2/10 of it
    with pytest.raises(ApplicationError):
        services.application_confirm(application_id=application.pk, actor=staff, amount=150_001)
    services.application_confirm(application_id=application.pk, actor=staff)
    services.application_mark_paid(application_id=application.pk, actor=staff)
    application.refresh_from_db()
    assert (application.status, application.confirmed_amount) == (Status.PAID, 150_000)
    assert application.paid_at is not None
    assert services.program_granted(program.pk) == {"count": 1, "amount": 150_000}  # the confirmed amount counts


def test_bulk_steps_only_where_safe_and_each_checked(program, resident, staff):
    waiting = [application_in(Status.SUBMITTED, program, resident, staff) for _ in range(3)]
    returned = application_in(Status.RETURNED, program, resident, staff)
    done, refused = services.applications_bulk(application_ids=[a.pk for a in waiting] + [returned.pk],
                                               to=Status.UNDER_REVIEW, actor=staff)
    assert done == [a.pk for a in waiting]
    assert [pk for pk, _message in refused] == [returned.pk]
    with pytest.raises(ApplicationError):
        services.applications_bulk(application_ids=[returned.pk], to=Status.APPROVED, actor=staff)


def test_documents_are_checked_by_content(program, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = draft(program, resident, documents=False)
    requirement = program.requirements.get(stage="application")
    fake = SimpleUploadedFile("見積書.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ApplicationError) as caught:
        services.document_add(user=resident, application_id=application.pk, requirement_id=requirement.pk, upload=fake)
    assert f"doc_{requirement.pk}" in caught.value.extra["fields"]
    assert not application.documents.exists()
    document = services.document_add(user=resident, application_id=application.pk, requirement_id=requirement.pk,
                                     upload=pdf())
    assert document.content_type == "application/pdf" and document.file.name.startswith("grants/")
    assert document.file.name.endswith(".pdf") and "見積書" not in document.file.name  # a random name


def test_account_deletion_keeps_only_the_granted(program, resident, staff):
    from asahikawa.accounts.services import user_delete

    kept = application_in(Status.PAID, program, resident, staff)
    gone = [application_in(status, program, resident, staff) for status in (Status.DRAFT, Status.SUBMITTED, Status.REJECTED)]
    user_delete(user=resident)
    assert not Application.objects.filter(pk__in=[a.pk for a in gone]).exists()
    kept.refresh_from_db()
    assert kept.applicant is None and kept.status == Status.PAID
