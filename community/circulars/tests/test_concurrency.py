"""Concurrency on PostgreSQL: real threads, each with its own database connection."""
import pytest
from django.db import connection

from asahikawa.accounts.tests.factories import AssociationFactory, UserFactory
from community.circulars import services
from community.circulars.models import Membership, Receipt
from wellness.points.tests.test_concurrency import run_in_threads

from .factories import GroupFactory, HouseholdFactory, make_officer, member, publish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_members_of_one_household_opening_at_once_leave_one_receipt():
    assert connection.vendor == "postgresql"
    association = AssociationFactory()
    officer = make_officer(association)
    household = HouseholdFactory(group=GroupFactory(association=association))
    family = [member(household=household).user for _ in range(8)]
    for attempt in range(5):  # several rounds, so that the race is really run
        circular = publish(association, officer, title=f"round {attempt}")
        outcomes = run_in_threads(8, lambda i, c=circular: services.circular_open(user=family[i], circular=c)[1])
        assert [kind for kind, _ in outcomes] == ["ok"] * 8, outcomes
        assert sorted(result for _, result in outcomes) == [False] * 7 + [True]
        receipts = Receipt.objects.filter(circular=circular, household=household)
        assert receipts.count() == 1
        receipt = receipts.get()
        assert receipt.read_at is not None and receipt.read_by_id in {user.pk for user in family}


def test_a_circular_published_by_the_beat_and_by_hand_at_once_has_one_roster():
    association = AssociationFactory()
    officer = make_officer(association)
    group = GroupFactory(association=association)
    for _ in range(20):
        member(household=HouseholdFactory(group=group))
    from community.circulars.models import Circular

    circular = Circular.objects.create(association=association, title="x")
    outcomes = run_in_threads(6, lambda i: services.circular_publish(circular_id=circular.pk))
    assert sorted(result for _, result in outcomes) == [False] * 5 + [True], outcomes
    assert Receipt.objects.filter(circular=circular).count() == 20
    from asahikawa.notifications.models import Notification

    assert Notification.objects.filter(dedupe_key=f"circular:{circular.pk}").count() == 20
    assert officer is not None


def test_a_join_code_used_by_two_residents_at_once_lets_one_in():
    association = AssociationFactory()
    officer = make_officer(association)
    household = HouseholdFactory(group=GroupFactory(association=association))
    code = services.join_code_issue(household=household, actor=officer)
    users = [UserFactory() for _ in range(6)]
    outcomes = run_in_threads(6, lambda i: services.join_code_redeem(user=users[i], code=code.code).pk)
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 1 and kinds.count("refused") == 5, outcomes
    assert Membership.objects.filter(household=household).count() == 1
