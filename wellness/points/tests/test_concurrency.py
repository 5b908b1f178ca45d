"""Concurrency on PostgreSQL: real threads, each with its own database connection."""
import datetime
import threading

import pytest
from django.db import connection, connections

from asahikawa.accounts.tests.factories import UserFactory
from asahikawa.errors import ApplicationError
from asahikawa.testing import YESTERDAY
from wellness.points import selectors, services
from wellness.points.models import HealthRecord, LedgerEntry, Participant, Redemption, Reward

from .factories import RewardFactory, StepsRuleFactory, fund

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(count, target):
    barrier = threading.Barrier(count)
    outcomes = []
    lock = threading.Lock()

    def work(index):
        try:
            barrier.wait()
            result = target(index)
            with lock:
                outcomes.append(("ok", result))
        except ApplicationError as exc:
            with lock:
                outcomes.append(("refused", exc.message))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            with lock:
                outcomes.append(("error", repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes




def test_concurrent_settlements_credit_once():
    assert connection.vendor == "postgresql"
    StepsRuleFactory()
    users = [UserFactory() for _ in range(20)]
    for user in users:
        services.participant_consent(user=user)
    HealthRecord.objects.bulk_create(
        [HealthRecord(user=u, day=YESTERDAY - datetime.timedelta(days=d), steps=3000 + d, steps_source="app")
         for u in users for d in range(5)]
    )
    outcomes = run_in_threads(6, lambda i: services.points_settle().credited_entries)
    assert [kind for kind, _ in outcomes] == ["ok"] * 6, outcomes
    assert sorted(result for _, result in outcomes) == [0, 0, 0, 0, 0, 100]
    assert LedgerEntry.objects.count() == 100
    assert all(p.balance == 15 for p in Participant.objects.all())
    assert selectors.balances_reconcile() == []


def test_50_concurrent_redemptions_against_a_stock_of_10():
    reward = RewardFactory(cost=10, stock=10)
    users = [UserFactory() for _ in range(50)]
    for user in users:
        services.participant_consent(user=user)
        fund(user, 100)
    outcomes = run_in_threads(50, lambda i: services.reward_redeem(user=users[i], reward_id=reward.pk).code)
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 10 and kinds.count("refused") == 40, outcomes
    assert Reward.objects.get(pk=reward.pk).stock == 0
    assert Redemption.objects.count() == 10
    assert selectors.balances_reconcile() == []


def test_50_concurrent_redemptions_against_a_balance_that_covers_3():
    reward = RewardFactory(cost=100, stock=1000)
    user = UserFactory()
    services.participant_consent(user=user)
    fund(user, 350)
    outcomes = run_in_threads(50, lambda i: services.reward_redeem(user=user, reward_id=reward.pk).code)
    kinds = [kind for kind, _ in outcomes]
    assert kinds.count("ok") == 3 and kinds.count("refused") == 47, outcomes
    assert Participant.objects.get(user=user).balance == 50
    assert Reward.objects.get(pk=reward.pk).stock == 997
    assert selectors.balances_reconcile() == []


def test_concurrent_batch_syncs_of_the_same_days_write_one_record_per_day():
    user = UserFactory()
    services.participant_consent(user=user)
    rows = [{"day": YESTERDAY - datetime.timedelta(days=d), "steps": 1000 + d} for d in range(30)]
    outcomes = run_in_threads(8, lambda i: services.records_upsert(user=user, rows=rows, source="app").created)
    assert [kind for kind, _ in outcomes] == ["ok"] * 8, outcomes
    assert sum(result for _, result in outcomes) == 30
    assert HealthRecord.objects.filter(user=user).count() == 30


def test_an_upsert_racing_an_erasure_writes_nothing_after_the_consent_is_gone():
    """The erasure locks the participant row; an upsert waiting on it finds no consent afterwards."""
    from django.db import transaction

    user = UserFactory()
    services.participant_consent(user=user)
    erasing, release = threading.Event(), threading.Event()
    outcome = {}

    def erase():
        try:
            with transaction.atomic():
                services.wellness_data_delete(user=user)
                erasing.set()
                release.wait(10)  # hold the erasure open while the upsert arrives
        finally:
            connections.close_all()

    def upsert():
        try:
            services.records_upsert(user=user, rows=[{"day": YESTERDAY, "steps": 5000}], source="app")
            outcome["result"] = "written"
        except ApplicationError as exc:
            outcome["result"] = exc.extra.get("code")
        finally:
            connections.close_all()

    eraser = threading.Thread(target=erase)
    eraser.start()
    assert erasing.wait(10)
    writer = threading.Thread(target=upsert)
    writer.start()
    writer.join(1)
    assert writer.is_alive(), "the upsert should wait for the erasure's lock"
    release.set()
    eraser.join(10)
    writer.join(10)
    assert outcome["result"] == "consent_required"
    assert not HealthRecord.objects.filter(user=user).exists()
