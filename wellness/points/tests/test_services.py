import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from asahikawa.accounts.models import AccessLog
from asahikawa.errors import ApplicationError, ErrorCode
from asahikawa.testing import TODAY, days_ago
from wellness.points import selectors, services
from wellness.points.models import (
    EntryKind,
    HealthRecord,
    LedgerEntry,
    Participant,
    PointRule,
    Redemption,
    Reward,
    RuleKind,
)

from .factories import HealthRecordFactory, RewardFactory, StepsRuleFactory, fund

pytestmark = pytest.mark.django_db

def balance(user):
    return Participant.objects.get(user=user).balance


def credits(user):
    return sorted(LedgerEntry.objects.filter(user=user, kind="credit").values_list("day", "rule_code", "points"))


# --- consent and records ---------------------------------------------------------------

def test_consent_is_recorded_once_with_its_time(resident):
    first = services.participant_consent(user=resident)
    again = services.participant_consent(user=resident)
    assert first.consented_at is not None and again.consented_at == first.consented_at


def test_no_record_without_consent(resident):
    with pytest.raises(ApplicationError) as refused:
        services.records_upsert(user=resident, rows=[{"day": TODAY, "steps": 100}], source="web")
    assert (refused.value.code, refused.value.status_code) == (ErrorCode.CONSENT_REQUIRED, 403)
    assert not HealthRecord.objects.exists()


def test_one_record_per_resident_and_day_is_a_database_constraint(participant):
    HealthRecord.objects.create(user=participant.user, day=TODAY, steps=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthRecord.objects.create(user=participant.user, day=TODAY, steps=2)


@pytest.mark.parametrize(
    "values",
    [
        {},  # no value at all
        {"steps": 100_001},
        {"weight_kg": Decimal("19.9")},
        {"body_fat_pct": Decimal("75.5")},
        {"systolic": 120},  # half a pair
        {"systolic": 80, "diastolic": 90},  # systolic must be above diastolic
        {"systolic": 261, "diastolic": 90},
    ],
)
def test_the_database_refuses_implausible_records(participant, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthRecord.objects.create(user=participant.user, day=TODAY, **values)


def test_upsert_is_idempotent(participant):
    rows = [{"day": days_ago(n), "steps": 1000 * n, "weight_kg": Decimal("60.5")} for n in range(1, 31)]
    first = services.records_upsert(user=participant.user, rows=rows, source="app")
    stamps = dict(HealthRecord.objects.values_list("day", "updated_at"))
    second = services.records_upsert(user=participant.user, rows=rows, source="app")
    assert (first.created, first.updated, first.unchanged) == (30, 0, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 30)
    assert dict(HealthRecord.objects.values_list("day", "updated_at")) == stamps


def test_a_hand_entry_beats_the_app_and_the_source_is_kept(participant):
    user = participant.user
    services.records_upsert(user=user, rows=[{"day": TODAY, "steps": 5000}], source="app")
    services.records_upsert(user=user, rows=[{"day": TODAY, "steps": 7000}], source="web")
    services.records_upsert(user=user, rows=[{"day": TODAY, "steps": 9000, "weight_kg": Decimal("61.0")}], source="app")
    record = HealthRecord.objects.get(user=user, day=TODAY)
    assert (record.steps, record.steps_source) == (7000, "web")  # the app did not overwrite the hand entry
    assert (record.weight_kg, record.weight_source) == (Decimal("61.0"), "app")  # but filled the empty value
    services.records_upsert(user=user, rows=[{"day": TODAY, "weight_kg": Decimal("60.0")}], source="csv")
    record.refresh_from_db()
    assert (record.weight_kg, record.weight_source) == (Decimal("60.0"), "csv")


def test_staff_counter_entry_is_logged(participant, make_staff):
    staff = make_staff("wellness")
    services.record_upsert_by_staff(staff=staff, resident=participant.user, values={"day": TODAY, "steps": 3000})
    assert HealthRecord.objects.get(user=participant.user).steps_source == "staff"
    assert AccessLog.objects.filter(actor=staff, action="change", object_id=str(participant.user.pk)).exists()


# --- settlement ------------------------------------------------------------------------

def test_settlement_credits_steps_with_the_daily_cap(participant):
    StepsRuleFactory()
    HealthRecordFactory(user=participant.user, day=days_ago(1), steps=7999)
    HealthRecordFactory(user=participant.user, day=days_ago(2), steps=25000)
    HealthRecordFactory(user=participant.user, day=days_ago(3), steps=999)
    run = services.points_settle()
    assert credits(participant.user) == [(days_ago(2), "steps", 10), (days_ago(1), "steps", 7)]
    assert balance(participant.user) == 17 == run.credited_points
    assert selectors.balances_reconcile() == []


def test_settlement_twice_credits_once(participant, other_resident):
    StepsRuleFactory()
    other = services.participant_consent(user=other_resident)
    for user in (participant.user, other.user):
        HealthRecordFactory(user=user, day=days_ago(1), steps=5000)
    services.points_settle()
    second = services.points_settle()
    assert second.credited_entries == 0
    assert LedgerEntry.objects.count() == 2
    assert balance(participant.user) == 5 and balance(other.user) == 5


def test_late_records_within_the_grace_window_are_credited(participant):
    StepsRuleFactory()
    services.points_settle()  # the night before the late sync: nothing yet
    HealthRecordFactory(user=participant.user, day=days_ago(8), steps=3000)  # 7 days before yesterday
    HealthRecordFactory(user=participant.user, day=days_ago(9), steps=3000)  # too late
    services.points_settle()
    assert credits(participant.user) == [(days_ago(8), "steps", 3)]


def test_settle_a_given_date(participant):
    StepsRuleFactory()
    HealthRecordFactory(user=participant.user, day=days_ago(20), steps=4000)
    services.points_settle(day=days_ago(20) + datetime.timedelta(days=2))
    assert credits(participant.user) == [(days_ago(20), "steps", 4)]


def test_a_rule_change_applies_from_its_date_and_never_rewrites_history(participant):
    StepsRuleFactory(valid_from=days_ago(30))
    HealthRecordFactory(user=participant.user, day=days_ago(4), steps=6000)
    services.points_settle(day=days_ago(4))
    # From 3 days ago: 2 points per 1,000 steps, at most 20.
    StepsRuleFactory(valid_from=days_ago(3), points=2, daily_cap=20)
    HealthRecordFactory(user=participant.user, day=days_ago(3), steps=6000)
    HealthRecordFactory(user=participant.user, day=days_ago(5), steps=6000)  # late, before the change
    services.points_settle()
    assert credits(participant.user) == [
        (days_ago(5), "steps", 6),
        (days_ago(4), "steps", 6),  # settled before the change, unchanged
        (days_ago(3), "steps", 12),
    ]
    assert selectors.balances_reconcile() == []


def test_a_disabled_version_stops_a_rule(participant):
    StepsRuleFactory(valid_from=days_ago(30))
    StepsRuleFactory(valid_from=days_ago(2), enabled=False)
    HealthRecordFactory(user=participant.user, day=days_ago(3), steps=6000)
    HealthRecordFactory(user=participant.user, day=days_ago(1), steps=6000)
    services.points_settle()
    assert credits(participant.user) == [(days_ago(3), "steps", 6)]


def test_record_points_for_weight_and_blood_pressure(participant):
    PointRule.objects.create(code="weight", kind=RuleKind.WEIGHT, name="体重", valid_from=days_ago(30), points=1)
    PointRule.objects.create(code="bp", kind=RuleKind.BLOOD_PRESSURE, name="血圧", valid_from=days_ago(30), points=2)
    HealthRecord.objects.create(user=participant.user, day=days_ago(1), weight_kg=Decimal("60"), systolic=120, diastolic=80)
    HealthRecord.objects.create(user=participant.user, day=days_ago(2), steps=100)
    services.points_settle()
    assert credits(participant.user) == [(days_ago(1), "bp", 2), (days_ago(1), "weight", 1)]


def test_streak_bonus_on_the_last_day_of_each_full_block(participant):
    start = days_ago(7)
    PointRule.objects.create(code="streak", kind=RuleKind.STREAK, name="3日連続", valid_from=start, points=5,
                             goal_steps=8000, streak_days=3)
    steps = [8000, 9000, 8500, 8000, 100, 9000, 9000]  # days_ago(7) .. days_ago(1)
    for offset, value in enumerate(steps):
        HealthRecordFactory(user=participant.user, day=start + datetime.timedelta(days=offset), steps=value)
    services.points_settle()
    # blocks: [7,6,5] all over the goal -> bonus on days_ago(5); [4,3,2] broken; [1,...] not complete
    assert credits(participant.user) == [(days_ago(5), "streak", 5)]


def test_reconciliation_finds_a_drifted_balance(participant):
    StepsRuleFactory()
    HealthRecordFactory(user=participant.user, day=days_ago(1), steps=5000)
    services.points_settle()
    Participant.objects.filter(user=participant.user).update(balance=99)
    assert selectors.balances_reconcile() == [{"user_id": participant.user.pk, "balance": 99, "ledger": 5}]


def test_ledger_entries_are_append_only_and_corrected_by_reversal(participant, make_staff):
    StepsRuleFactory()
    HealthRecordFactory(user=participant.user, day=days_ago(1), steps=5000)
    services.points_settle()
    entry = LedgerEntry.objects.get()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    services.ledger_reverse(entry_id=entry.pk, actor=make_staff("wellness"), note="二重計上の訂正")
    assert balance(participant.user) == 0
    assert sorted(LedgerEntry.objects.values_list("kind", "points")) == [("credit", 5), ("reversal", -5)]
    with pytest.raises(ApplicationError) as twice:
        services.ledger_reverse(entry_id=entry.pk, actor=None, note="again")
    assert twice.value.code == ErrorCode.NOT_ALLOWED_NOW
    services.points_settle()  # the reversed credit is not credited again
    assert balance(participant.user) == 0 and selectors.balances_reconcile() == []


# --- rewards ---------------------------------------------------------------------------



def test_redeem_issues_a_voucher_and_debits_points_and_stock(participant):
    fund(participant.user, 250)
    reward = RewardFactory(cost=100, stock=2)
    redemption = services.reward_redeem(user=participant.user, reward_id=reward.pk)
    assert len(redemption.code) == 14
    reward.refresh_from_db()
    assert reward.stock == 1 and balance(participant.user) == 150
    assert LedgerEntry.objects.filter(kind=EntryKind.REDEEM, points=-100, redemption=redemption).exists()
    assert selectors.balances_reconcile() == []


def test_redeem_refuses_without_points_or_stock_and_writes_nothing(participant):
    fund(participant.user, 50)
    reward = RewardFactory(cost=100, stock=5)
    with pytest.raises(ApplicationError, match="ポイントが足りません") as short:
        services.reward_redeem(user=participant.user, reward_id=reward.pk)
    assert short.value.code == ErrorCode.INSUFFICIENT_POINTS
    fund_more = RewardFactory(cost=10, stock=0)
    with pytest.raises(ApplicationError, match="在庫") as empty:
        services.reward_redeem(user=participant.user, reward_id=fund_more.pk)
    assert empty.value.code == ErrorCode.OUT_OF_STOCK
    assert balance(participant.user) == 50  # the debit of the out-of-stock attempt was rolled back
    assert Reward.objects.get(pk=reward.pk).stock == 5
    assert not LedgerEntry.objects.filter(kind="redeem").exists()


def test_out_of_period_reward_cannot_be_redeemed(participant):
    fund(participant.user, 500)
    reward = RewardFactory(valid_until=days_ago(1), valid_from=days_ago(10))
    with pytest.raises(ApplicationError) as refused:
        services.reward_redeem(user=participant.user, reward_id=reward.pk)
    assert refused.value.code == ErrorCode.OUT_OF_PERIOD
    assert balance(participant.user) == 500 and not Redemption.objects.exists()


def test_the_database_keeps_stock_and_balance_at_or_above_zero(participant):
    reward = RewardFactory(stock=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reward.objects.filter(pk=reward.pk).update(stock=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=participant.pk).update(balance=-1)


def test_staff_cancel_refunds_by_a_reversing_entry(participant, make_staff):
    fund(participant.user, 100)
    reward = RewardFactory(cost=100, stock=1)
    redemption = services.reward_redeem(user=participant.user, reward_id=reward.pk)
    staff = make_staff("wellness")
    services.redemption_cancel(redemption_id=redemption.pk, actor=staff)
    assert balance(participant.user) == 100 and Reward.objects.get(pk=reward.pk).stock == 1
    refund = LedgerEntry.objects.get(kind=EntryKind.REFUND)
    assert refund.points == 100 and refund.reverses.kind == EntryKind.REDEEM
    with pytest.raises(ApplicationError):
        services.redemption_cancel(redemption_id=redemption.pk, actor=staff)
    assert selectors.balances_reconcile() == []


def test_delete_all_wellness_data(participant):
    fund(participant.user, 100)
    HealthRecordFactory(user=participant.user)
    services.reward_redeem(user=participant.user, reward_id=RewardFactory(cost=10).pk)
    services.wellness_data_delete(user=participant.user)
    user = participant.user
    assert not HealthRecord.objects.filter(user=user).exists()
    assert not LedgerEntry.objects.filter(user=user).exists()
    assert not Participant.objects.filter(user=user).exists()


def test_a_run_that_dies_in_the_middle_loses_nothing_and_doubles_nothing(participant, monkeypatch):
    """The whole run is one transaction: a worker killed after the INSERT (simulated by an error
    at the run's last statement) leaves no ledger row and no balance change; the next run credits all."""
    from wellness.points.models import SettlementRun

    StepsRuleFactory()
    HealthRecordFactory(user=participant.user, day=days_ago(1), steps=5000)
    real_filter = SettlementRun.objects.filter

    class Killed(Exception):
        pass

    def dying_filter(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(SettlementRun.objects, "filter", dying_filter)
    with pytest.raises(Killed):
        services.points_settle()
    monkeypatch.setattr(SettlementRun.objects, "filter", real_filter)
    assert not LedgerEntry.objects.exists() and balance(participant.user) == 0
    services.points_settle()
    services.points_settle()
    assert credits(participant.user) == [(days_ago(1), "steps", 5)] and balance(participant.user) == 5


def test_admin_refuses_a_rule_version_starting_today_or_earlier():
    from wellness.points.admin import PointRuleForm

    data = {"code": "steps", "kind": "steps", "name": "x", "points": 1, "step_unit": 1000, "daily_cap": 10, "enabled": True}
    assert "valid_from" in PointRuleForm(data={**data, "valid_from": TODAY}).errors
    assert PointRuleForm(data={**data, "valid_from": TODAY + datetime.timedelta(days=1)}).is_valid()
