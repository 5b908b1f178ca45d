"""Every write of the wellness area."""
import datetime
import logging
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa.accounts.services import access_log_record
from asahikawa.errors import ApplicationError, ErrorCode

from .models import (
    GRACE_DAYS,
    SOURCE_PRIORITY,
    EntryKind,
    HealthRecord,
    LedgerEntry,
    Participant,
    Redemption,
    Reward,
    SettlementRun,
    Source,
)
from .validation import VALUE_FIELDS

logger = logging.getLogger(__name__)

# value fields -> the column that keeps their source; blood pressure is one pair
SOURCE_COLUMN = {
    "steps": "steps_source",
    "weight_kg": "weight_source",
    "body_fat_pct": "body_fat_source",
    "systolic": "bp_source",
    "diastolic": "bp_source",
}
GROUPS = (("steps",), ("weight_kg",), ("body_fat_pct",), ("systolic", "diastolic"))


# --- consent ---------------------------------------------------------------------------

def participant_consent(*, user) -> Participant:
    """The resident's explicit consent, recorded once with its time (a second call keeps the first)."""
    participant, _created = Participant.objects.get_or_create(user=user, defaults={"consented_at": timezone.now()})
    return participant


def participant_require(user, *, lock=False) -> Participant:
    """The resident's consent, or ApplicationError. With lock=True (inside a transaction) the row is
    locked, so that an erasure running at the same moment waits, or is waited for."""
    query = Participant.objects.select_for_update() if lock else Participant.objects
    try:
        return query.get(user=user)
    except Participant.DoesNotExist:
        raise ApplicationError(
            _("健康情報の取扱いに同意すると記録できます。"), code=ErrorCode.CONSENT_REQUIRED
        ) from None


# --- health records --------------------------------------------------------------------

@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def record_values_merge(existing: HealthRecord | None, values: dict, source: str) -> dict:
    """The documented rule (see models): a hand entry beats the app, otherwise the later write wins.

    Only the values present (not None) in `values` are written; blood pressure moves as a pair.
    Returns the field -> value changes to make (empty when nothing changes).
    """
    changes = {}
    for group in GROUPS:
        if all(values.get(name) is None for name in group):
            continue
        column = SOURCE_COLUMN[group[0]]
        if existing is not None:
            current_source = getattr(existing, column)
            if current_source and SOURCE_PRIORITY[source] < SOURCE_PRIORITY[current_source]:
                continue  # the app never overwrites a value typed by a person
            if current_source == source and all(getattr(existing, n) == values.get(n) for n in group):
                continue
        for name in group:
            changes[name] = values.get(name)
        changes[column] = source
    return changes


def records_upsert(*, user, rows: list[dict], source: str) -> UpsertResult:
    """Create or update the user's records for the given days (validated by the caller's form or
    serializer). Idempotent: sending the same rows again changes nothing. Set-based: one read
    (rows locked) and at most two writes, whatever the number of days. All rows or none."""
    participant_require(user)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _records_upsert(user=user, rows=rows, source=source)
        except IntegrityError:
            # Another request created one of these days at the same moment: merge again.
            continue
    raise ApplicationError(_("同じ日の記録が同時に送信されました。もう一度送信してください。"), code=ErrorCode.CONFLICT)


def _records_upsert(*, user, rows: list[dict], source: str) -> UpsertResult:
    participant_require(user, lock=True)  # consent still stands when the rows are written
    by_day = {}
    for row in rows:
        by_day[row["day"]] = row  # the last value for a day in one batch wins
    existing = {
        record.day: record
        for record in HealthRecord.objects.select_for_update().filter(user=user, day__in=list(by_day))
    }
    result = UpsertResult()
    to_create, to_update, update_fields = [], [], set()
    for day, values in by_day.items():
        record = existing.get(day)
        changes = record_values_merge(record, values, source)
        if not changes:
            result.unchanged += 1
            continue
        if record is None:
            to_create.append(HealthRecord(user=user, day=day, **changes))
        else:
            for name, value in changes.items():
                setattr(record, name, value)
            update_fields.update(changes)
            to_update.append(record)
    if to_create:
        HealthRecord.objects.bulk_create(to_create, batch_size=500)
        result.created = len(to_create)
    if to_update:
        now = timezone.now()
        for record in to_update:
            record.updated_at = now
        HealthRecord.objects.bulk_update(to_update, sorted(update_fields | {"updated_at"}), batch_size=500)
        result.updated = len(to_update)
    return result


def record_upsert_by_staff(*, staff, resident, values: dict) -> UpsertResult:
    """Staff at a city counter enter a record for a resident without a smartphone (source: staff)."""
    with transaction.atomic():
        result = records_upsert(user=resident, rows=[values], source=Source.STAFF)
        access_log_record(
            actor=staff, action="change", object_type="wellness.healthrecord",
            object_id=resident.pk, detail=f"counter entry {values['day']}",
        )
    return result


@transaction.atomic
def record_delete(*, user, record_id: int) -> None:
    deleted, _details = HealthRecord.objects.filter(user=user, pk=record_id).delete()
    if not deleted:
        raise HealthRecord.DoesNotExist


# --- settlement ------------------------------------------------------------------------

def _sql_day_minus(column: str, days_param: str) -> str:
    """SQL for `column - n days` on the current database (n comes from a parameter)."""
    if connection.vendor == "postgresql":
        return f"({column} - CAST({days_param} AS integer))"
    return f"date({column}, '-' || {days_param} || ' days')"


def _sql_day_number(column: str) -> str:
    """SQL for a day as an integer count of days (used for streak blocks)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '2000-01-01')"
    return f"CAST(julianday({column}) - julianday('2000-01-01') AS integer)"


# The version of a rule that applies to a record's day: the latest valid_from on or before it.
_CURRENT_VERSION = """
    pr.valid_from <= r.day AND pr.enabled
    AND NOT EXISTS (
        SELECT 1 FROM wellness_pointrule pr2
        WHERE pr2.code = pr.code AND pr2.valid_from <= r.day AND pr2.valid_from > pr.valid_from
    )
"""


def settlement_select_sql() -> str:
    """One SELECT that yields (user_id, day, rule_code, rule_id, points) for every credit the rules
    earn on records whose day is between %(first)s and %(last)s. The settlement inserts it as is;
    the benchmark's hand-written baseline is written separately in bench/settle_points.py."""
    streak_window_start = _sql_day_minus("r.day", "(pr.streak_days - 1)")
    return f"""
    SELECT r.user_id AS user_id, r.day AS day, pr.code AS code, pr.id AS id,
           CASE WHEN (r.steps / pr.step_unit) * pr.points > pr.daily_cap
                THEN pr.daily_cap ELSE (r.steps / pr.step_unit) * pr.points END AS points
    FROM wellness_healthrecord r JOIN wellness_pointrule pr ON pr.kind = 'steps' AND {_CURRENT_VERSION}
    WHERE r.day BETWEEN %(first)s AND %(last)s AND r.steps >= pr.step_unit AND pr.points > 0
    UNION ALL
    SELECT r.user_id, r.day, pr.code, pr.id, pr.points
    FROM wellness_healthrecord r JOIN wellness_pointrule pr ON pr.kind = 'weight' AND {_CURRENT_VERSION}
    WHERE r.day BETWEEN %(first)s AND %(last)s AND r.weight_kg IS NOT NULL AND pr.points > 0
    UNION ALL
    SELECT r.user_id, r.day, pr.code, pr.id, pr.points
    FROM wellness_healthrecord r JOIN wellness_pointrule pr ON pr.kind = 'bp' AND {_CURRENT_VERSION}
    WHERE r.day BETWEEN %(first)s AND %(last)s AND r.systolic IS NOT NULL AND pr.points > 0
    UNION ALL
    SELECT r.user_id, r.day, pr.code, pr.id, pr.points
    FROM wellness_healthrecord r JOIN wellness_pointrule pr ON pr.kind = 'streak' AND {_CURRENT_VERSION}
    WHERE r.day BETWEEN %(first)s AND %(last)s AND r.steps >= pr.goal_steps AND pr.points > 0
      AND ({_sql_day_number('r.day')} - {_sql_day_number('pr.valid_from')}) %% pr.streak_days = pr.streak_days - 1
      AND (SELECT COUNT(*) FROM wellness_healthrecord r3
           WHERE r3.user_id = r.user_id AND r3.steps >= pr.goal_steps
             AND r3.day BETWEEN {streak_window_start} AND r.day) = pr.streak_days
    """


def settlement_window(day: datetime.date | None = None, since: datetime.date | None = None):
    """The days a run settles: `day` (default yesterday, Asia/Tokyo) and the GRACE_DAYS before it,
    so records synced up to 7 days late are credited too (older late records earn nothing).
    `since` widens the window further back, to catch up after an outage."""
    last = day or (timezone.localdate() - datetime.timedelta(days=1))
    first = last - datetime.timedelta(days=GRACE_DAYS)
    if since is not None:
        first = min(first, since)
    return first, last


def points_settle(*, day: datetime.date | None = None, since: datetime.date | None = None) -> SettlementRun:
    """Credit the points earned by the records of the settlement window, for all residents at once.

    A few SQL statements in one transaction: INSERT ... SELECT ... ON CONFLICT DO NOTHING into the
    ledger (its unique key per resident, day and rule makes a second or concurrent run credit
    nothing), then one UPDATE of the cached balances from what this run inserted. A worker killed
    in the middle rolls the whole run back; running again credits exactly what was missing.
    """
    first, last = settlement_window(day, since)
    ops = connection.ops
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Runs queue behind each other (the unique key alone would also hold, but two runs
            # inserting the same keys in different orders could deadlock).
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('wellness.points_settle'))")
        run = SettlementRun.objects.create(first_day=first, last_day=last)
        params = {
            "first": ops.adapt_datefield_value(first),
            "last": ops.adapt_datefield_value(last),
            "run": run.pk,
            "now": ops.adapt_datetimefield_value(timezone.now()),
            "credit": EntryKind.CREDIT.value,
        }
        insert = f"""
            INSERT INTO wellness_ledgerentry (user_id, day, rule_code, rule_id, points, kind, run_id, note, created_at)
            SELECT c.user_id, c.day, c.code, c.id, c.points, %(credit)s, %(run)s, '', %(now)s
            FROM ({settlement_select_sql()}) AS c
            WHERE true
            ON CONFLICT DO NOTHING
        """
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One statement: the rows actually inserted (RETURNING) update the balances.
                cursor.execute(
                    f"""
                    WITH inserted AS ({insert} RETURNING user_id, points),
                    per_user AS (SELECT user_id, SUM(points) AS points, COUNT(*) AS entries
                                 FROM inserted GROUP BY user_id),
                    balances AS (UPDATE wellness_participant p SET balance = p.balance + per_user.points
                                 FROM per_user WHERE p.user_id = per_user.user_id)
                    SELECT COALESCE(SUM(entries), 0), COALESCE(SUM(points), 0) FROM per_user
                    """,
                    params,
                )
                entries, points = cursor.fetchone()
            else:
                cursor.execute(insert, params)
                cursor.execute(
                    """
                    UPDATE wellness_participant SET balance = wellness_participant.balance + credited.points
                    FROM (SELECT user_id, SUM(points) AS points FROM wellness_ledgerentry
                          WHERE run_id = %(run)s GROUP BY user_id) AS credited
                    WHERE wellness_participant.user_id = credited.user_id
                    """,
                    {"run": run.pk},
                )
                cursor.execute(
                    "SELECT COUNT(*), COALESCE(SUM(points), 0) FROM wellness_ledgerentry WHERE run_id = %(run)s",
                    {"run": run.pk},
                )
                entries, points = cursor.fetchone()
        SettlementRun.objects.filter(pk=run.pk).update(credited_entries=entries, credited_points=points)
        run.credited_entries, run.credited_points = int(entries), int(points)
    return run


def balances_reconcile() -> list[dict]:
    """Each participant whose cached balance differs from the sum of their ledger (expected: none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.user_id, p.balance, COALESCE(l.total, 0)
            FROM wellness_participant p
            LEFT JOIN (SELECT user_id, SUM(points) AS total FROM wellness_ledgerentry GROUP BY user_id) l
                   ON l.user_id = p.user_id
            WHERE p.balance <> COALESCE(l.total, 0)
            """
        )
        return [{"user_id": u, "balance": b, "ledger": t} for u, b, t in cursor.fetchall()]


@transaction.atomic
def ledger_reverse(*, entry_id: int, actor, note: str) -> LedgerEntry:
    """Correct a credit by a reversing entry (the original stays). Refuses to take the balance below zero."""
    entry = LedgerEntry.objects.get(pk=entry_id)
    if entry.kind != EntryKind.CREDIT:
        raise ApplicationError(_("取り消せるのはポイント付与だけです。"))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ApplicationError(_("この記帳はすでに取り消されています。"), code=ErrorCode.NOT_ALLOWED_NOW)
    updated = Participant.objects.filter(user_id=entry.user_id, balance__gte=entry.points).update(
        balance=F("balance") - entry.points
    )
    if not updated:
        raise ApplicationError(_("残高が足りないため取り消せません。"))
    try:
        with transaction.atomic():
            reversal = LedgerEntry.objects.create(
                user_id=entry.user_id, kind=EntryKind.REVERSAL, points=-entry.points, reverses=entry,
                note=note[:200], created_at=timezone.now(),
            )
    except IntegrityError:
        raise ApplicationError(_("この記帳はすでに取り消されています。"), code=ErrorCode.NOT_ALLOWED_NOW) from None
    access_log_record(actor=actor, action="change", obj=entry, detail=f"reversed: {note}")
    return reversal


# --- rewards ---------------------------------------------------------------------------

def _voucher_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


def reward_redeem(*, user, reward_id: int) -> Redemption:
    """Exchange points for a reward. Two conditional UPDATEs (stock > 0, balance >= cost) backed by
    CHECK constraints: under any number of concurrent redemptions neither goes below zero."""
    participant_require(user)
    today = timezone.localdate()
    with transaction.atomic():
        reward = Reward.objects.filter(pk=reward_id).first()
        if reward is None:
            raise ApplicationError(_("特典が見つかりません。"), code=ErrorCode.NOT_FOUND)
        if not (reward.valid_from <= today <= reward.valid_until):
            raise ApplicationError(_("この特典は交換期間外です。"), code=ErrorCode.OUT_OF_PERIOD)
        paid = Participant.objects.filter(user=user, balance__gte=reward.cost).update(balance=F("balance") - reward.cost)
        if not paid:
            raise ApplicationError(_("ポイントが足りません。"), code=ErrorCode.INSUFFICIENT_POINTS)
        taken = Reward.objects.filter(pk=reward.pk, stock__gt=0).update(stock=F("stock") - 1)
        if not taken:
            transaction.set_rollback(True)
            raise ApplicationError(_("この特典は在庫がありません。"), code=ErrorCode.OUT_OF_STOCK)
        redemption = Redemption.objects.create(user=user, reward=reward, code=_voucher_code(), points=reward.cost)
        LedgerEntry.objects.create(
            user=user, kind=EntryKind.REDEEM, points=-reward.cost, redemption=redemption,
            note=reward.name[:200], created_at=timezone.now(),
        )
    return redemption


@transaction.atomic
def redemption_cancel(*, redemption_id: int, actor) -> Redemption:
    """Staff cancel a redemption: a refund entry reverses the debit, and the stock comes back."""
    now = timezone.now()
    claimed = Redemption.objects.filter(pk=redemption_id, cancelled_at=None).update(cancelled_at=now, cancelled_by=actor)
    if not claimed:
        raise ApplicationError(_("この交換はすでに取り消されています。"), code=ErrorCode.NOT_ALLOWED_NOW)
    redemption = Redemption.objects.select_related("reward").get(pk=redemption_id)
    debit = LedgerEntry.objects.get(redemption=redemption, kind=EntryKind.REDEEM)
    LedgerEntry.objects.create(
        user_id=redemption.user_id, kind=EntryKind.REFUND, points=redemption.points, redemption=redemption,
        reverses=debit, note=redemption.reward.name[:200], created_at=now,
    )
    Participant.objects.filter(user_id=redemption.user_id).update(balance=F("balance") + redemption.points)
    Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
    access_log_record(actor=actor, action="change", obj=redemption, detail="redemption cancelled")
    return redemption


# --- the resident's own data -----------------------------------------------------------

@transaction.atomic
def wellness_data_delete(*, user) -> dict:
    """Erase all of the resident's wellness data: records, ledger, vouchers and the consent.
    (The ledger's append-only rule yields to the resident's right to erasure; stock is not restored.)"""
    if connection.vendor == "postgresql":
        # Not in the middle of a settlement run, which could otherwise credit the erased records.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('wellness.points_settle'))")
    Participant.objects.select_for_update().filter(user=user).first()  # a concurrent upsert waits
    counts = {
        "records": HealthRecord.objects.filter(user=user).delete()[0],
        "ledger": LedgerEntry.objects.filter(user=user).order_by().delete()[0],
        "vouchers": Redemption.objects.filter(user=user).delete()[0],
    }
    Participant.objects.filter(user=user).delete()
    from asahikawa.notifications.models import Notification, NotificationPreference

    wellness_kinds = ["wellness_reminder", "wellness_summary"]
    NotificationPreference.objects.filter(user=user, kind__in=wellness_kinds).delete()
    # The weekly summaries carry the resident's steps and points.
    Notification.objects.filter(user=user, kind__in=wellness_kinds).delete()
    access_log_record(actor=user, action="delete", object_type="wellness.participant", object_id=user.pk,
                      detail="resident erased all wellness data")
    return counts


def values_of(record: HealthRecord) -> dict:
    return {name: getattr(record, name) for name in VALUE_FIELDS}
