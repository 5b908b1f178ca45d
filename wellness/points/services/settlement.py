"""The nightly settlement: the points the rules earn, credited to the ledger for everyone at once,
and corrections of a credit. SQL on PostgreSQL and on SQLite (the embedded default), both tested:
CI runs the suite on each."""
import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa.accounts.services import access_log_record
from asahikawa.errors import ApplicationError, ErrorCode

from ..models import GRACE_DAYS, EntryKind, LedgerEntry, Participant, SettlementRun


def settlement_lock() -> None:
    """Inside a transaction: wait for any settlement run (or erasure) to finish, and hold others
    off until this transaction ends. On PostgreSQL a transaction-level advisory lock; SQLite
    allows one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('wellness.points_settle'))")


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
        # Runs queue behind each other (the unique key alone would also hold, but two runs
        # inserting the same keys in different orders could deadlock).
        settlement_lock()
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
