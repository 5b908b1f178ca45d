"""The quota and the receipt numbers under concurrency, on PostgreSQL: real threads, each with its
own database connection (as wellness/points/tests/test_concurrency.py)."""
import pytest
from django.db import connection

from agriculture.grants import services
from agriculture.grants.models import Application, Status
from asahikawa.accounts.tests.factories import UserFactory
from wellness.points.tests.test_concurrency import run_in_threads

from .factories import ProgramFactory, application_in, draft

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("quota", [1, 5, 10])
def test_n_plus_5_concurrent_approvals_against_a_quota_of_n_approve_exactly_n(quota, make_staff):
    assert connection.vendor == "postgresql"
    program = ProgramFactory(max_grants=quota)
    staff = [make_staff("agriculture") for _ in range(3)]
    applications = [application_in(Status.UNDER_REVIEW, program, UserFactory(), staff[0]) for _ in range(quota + 5)]
    outcomes = run_in_threads(
        quota + 5, lambda i: services.application_approve(application_id=applications[i].pk, actor=staff[i % 3]).pk
    )
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == quota and kinds.count("refused") == 5, outcomes
    assert Application.objects.filter(program=program, status=Status.APPROVED).count() == quota


def test_concurrent_approvals_never_exceed_the_budget(make_staff):
    program = ProgramFactory(budget=1_000_000)  # each asks 200,000: five fit
    staff = make_staff("agriculture")
    applications = [application_in(Status.UNDER_REVIEW, program, UserFactory(), staff, costs=(1_000_000,))
                    for _ in range(12)]
    outcomes = run_in_threads(12, lambda i: services.application_approve(application_id=applications[i].pk,
                                                                         actor=staff).pk)
    assert [kind for kind, _ in outcomes].count("ok") == 5, outcomes
    assert services.program_granted(program.pk) == {"count": 5, "amount": 1_000_000}


def test_concurrent_submissions_get_distinct_consecutive_receipt_numbers():
    program = ProgramFactory(code="SMART")
    users = [UserFactory() for _ in range(20)]
    drafts = [draft(program, user) for user in users]
    outcomes = run_in_threads(20, lambda i: services.application_submit(application_id=drafts[i].pk,
                                                                        actor=users[i]).receipt_number)
    numbers = sorted(result for kind, result in outcomes if kind == "ok")
    assert numbers == [f"R5-SMART-{n:06d}" for n in range(1, 21)], outcomes
