"""Every non-trivial read of the wellness area."""
import datetime

import pandas as pd
from django.db import connection
from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from asahikawa.accounts.models import District, Profile
from asahikawa.accounts.selectors import age_band

from .models import EntryKind, HealthRecord, LedgerEntry, Participant, Redemption, Reward, Source
from .validation import VALUE_FIELDS

TREND_PERIODS = (7, 30, 90, 365)
MIN_GROUP = 5  # statistics groups with fewer participants are suppressed


def participant_for(user) -> Participant | None:
    return Participant.objects.filter(user=user).first()


def values_of(record: HealthRecord) -> dict:
    """A record's values (steps, weight, body fat, blood pressure), e.g. to fill a form."""
    return {name: getattr(record, name) for name in VALUE_FIELDS}


def records_for(user, *, date_from=None, date_to=None):
    query = HealthRecord.objects.filter(user=user)
    if date_from:
        query = query.filter(day__gte=date_from)
    if date_to:
        query = query.filter(day__lte=date_to)
    return query.order_by("-day")


SOURCE_FIELDS = ("steps_source", "weight_source", "body_fat_source", "bp_source")


def record_rows(records) -> list[dict]:
    """The rows of a records table (wellness/_records_table.html): the columns it shows as dicts, not
    models, each value's source with its label (<field>_label), the labels translated once per table
    rather than a get_<field>_display (which rebuilds the choices) per cell."""
    labels = {value: str(label) for value, label in Source.choices}
    rows = list(records.values("pk", "day", *VALUE_FIELDS, *SOURCE_FIELDS))
    for row in rows:
        for field in SOURCE_FIELDS:
            row[f"{field}_label"] = labels.get(row[field], row[field])
    return rows


def dashboard_summary(user, *, today=None) -> dict:
    """Today's record and the week's steps (Monday to today): one query, of at most seven rows
    (today's record is one of them)."""
    today = today or timezone.localdate()
    week_start = today - datetime.timedelta(days=today.weekday())
    week = list(HealthRecord.objects.filter(user=user, day__gte=week_start, day__lte=today))
    steps = [record.steps for record in week if record.steps is not None]
    return {
        "today": next((record for record in week if record.day == today), None),
        "week_start": week_start,
        "week_steps": sum(steps),
        "week_days": len(steps),
        "week_average": round(sum(steps) / len(steps)) if steps else None,
    }


def trend_series(user, *, days: int, today=None) -> list[dict]:
    """The last `days` days' records, oldest first, as the rows of a records table (record_rows)."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=days - 1)
    return record_rows(HealthRecord.objects.filter(user=user, day__gte=start, day__lte=today).order_by("day"))


def ledger_for(user):
    return LedgerEntry.objects.filter(user=user).select_related("rule", "redemption__reward").order_by("-created_at", "-id")


def ledger_lines(user):
    """The points history page's rows: the columns it shows (dicts, not three models a row)."""
    return (
        LedgerEntry.objects.filter(user=user)
        .values("created_at", "kind", "points", "day", "rule_code", "note", "redemption",
                rule_name=F("rule__name"), reward_name=F("redemption__reward__name"), voucher=F("redemption__code"))
        .order_by("-created_at", "-id")
    )


def ledger_count(user) -> int:
    return LedgerEntry.objects.filter(user=user).count()


def rewards_available(*, today=None):
    today = today or timezone.localdate()
    return Reward.objects.filter(valid_from__lte=today, valid_until__gte=today).order_by("cost", "name")


def vouchers_for(user):
    return Redemption.objects.filter(user=user).select_related("reward").order_by("-created_at", "-id")


def voucher_lines(user):
    """The vouchers page's rows: the columns it shows (dicts, not a redemption and its reward a row)."""
    return (
        Redemption.objects.filter(user=user)
        .values("code", "points", "created_at", "cancelled_at", reward_name=F("reward__name"), partner=F("reward__partner"))
        .order_by("-created_at", "-id")
    )


def voucher_count(user) -> int:
    """The vouchers page's count, without voucher_lines' join to the rewards."""
    return Redemption.objects.filter(user=user).count()


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


def export_data(user) -> dict:
    """All of the resident's wellness data, for their own download (CSV / JSON)."""
    participant = participant_for(user)
    records = [
        {
            "date": r.day.isoformat(),
            "steps": r.steps,
            "weight_kg": str(r.weight_kg) if r.weight_kg is not None else None,
            "body_fat_pct": str(r.body_fat_pct) if r.body_fat_pct is not None else None,
            "systolic": r.systolic,
            "diastolic": r.diastolic,
            "steps_source": r.steps_source,
            "weight_source": r.weight_source,
            "body_fat_source": r.body_fat_source,
            "bp_source": r.bp_source,
        }
        for r in HealthRecord.objects.filter(user=user).order_by("day")
    ]
    ledger = [
        {
            "created_at": e.created_at.isoformat(),
            "kind": e.kind,
            "points": e.points,
            "day": e.day.isoformat() if e.day else None,
            "rule": e.rule_code,
            "note": e.note,
        }
        for e in LedgerEntry.objects.filter(user=user).order_by("created_at", "id")
    ]
    vouchers = [
        {
            "code": v.code,
            "reward": v.reward.name,
            "partner": v.reward.partner,
            "points": v.points,
            "created_at": v.created_at.isoformat(),
            "cancelled_at": v.cancelled_at.isoformat() if v.cancelled_at else None,
        }
        for v in vouchers_for(user)
    ]
    return {
        "consented_at": participant.consented_at.isoformat() if participant else None,
        "balance": participant.balance if participant else 0,
        "records": records,
        "ledger": ledger,
        "vouchers": vouchers,
    }


# --- staff statistics ------------------------------------------------------------------

def statistics_frame(*, date_from: datetime.date, date_to: datetime.date) -> pd.DataFrame:
    """Participants, average daily steps and points earned, by district, age band and month.

    The database aggregates by (district, birth year, month); pandas folds birth years into
    10-year age bands. A group of fewer than MIN_GROUP participants is suppressed (its figures
    are blank and `suppressed` is true), so no single resident can be singled out.
    """
    steps = (
        HealthRecord.objects.filter(day__gte=date_from, day__lte=date_to, steps__isnull=False)
        .annotate(month=TruncMonth("day"))
        .values("user_id", "month")
        .annotate(step_days=Count("id"), step_total=Sum("steps"))
    )
    points = (
        LedgerEntry.objects.filter(kind=EntryKind.CREDIT, day__gte=date_from, day__lte=date_to)
        .annotate(month=TruncMonth("day"))
        .values("user_id", "month")
        .annotate(points=Sum("points"))
    )
    columns = ["month", "district", "birth_year"]
    steps_frame = pd.DataFrame(_by_profile(steps, participants=True, sums=["step_days", "step_total"]),
                               columns=[*columns, "participants", "step_days", "step_total"])
    points_frame = pd.DataFrame(_by_profile(points, sums=["points"]), columns=[*columns, "points"])
    frame = steps_frame.merge(points_frame, on=columns, how="outer")
    out_columns = ["month", "district", "age_band", "participants", "average_steps", "points", "suppressed"]
    if frame.empty:
        return pd.DataFrame(columns=out_columns)
    # The age reached in the month of the data (not on the day of the query): a month's groups stay the
    # same from one year to the next, so two queries cannot be subtracted to single out who changed band.
    frame["age_band"] = [
        age_band(int(y), today=m) if pd.notna(y) else None for y, m in zip(frame["birth_year"], frame["month"], strict=True)
    ]
    unknown, band_label = gettext("不明"), gettext("%(band)s代")  # translated once, not once a row
    frame["age_band"] = frame["age_band"].map(
        lambda b: band_label % {"band": int(b)} if b is not None and pd.notna(b) else unknown
    )
    district_names = dict(District.objects.values_list("pk", "name"))
    frame["district"] = frame["district"].map(lambda d: district_names.get(int(d), "") if pd.notna(d) else unknown)
    frame["month"] = frame["month"].map(lambda m: m.strftime("%Y-%m") if hasattr(m, "strftime") else str(m)[:7])
    frame = frame.fillna({"participants": 0, "step_days": 0, "step_total": 0, "points": 0})
    # Distinct participants of different birth years are different people, so they add up.
    grouped = frame.groupby(["month", "district", "age_band"], as_index=False)[["participants", "step_days", "step_total", "points"]].sum()
    grouped["average_steps"] = (grouped["step_total"] / grouped["step_days"].where(grouped["step_days"] > 0)).round(0)
    grouped["suppressed"] = grouped["participants"] < MIN_GROUP
    for column in ("participants", "average_steps", "points"):
        grouped[column] = grouped[column].astype("Float64").mask(grouped["suppressed"])
    return grouped.sort_values(["month", "district", "age_band"])[out_columns].reset_index(drop=True)


def _by_profile(per_user_month, *, sums: list[str], participants: bool = False) -> list[tuple]:
    """Rows of (month, district, birth year, [participants,] *sums) from a queryset of rows per
    resident and month (values("user_id", "month") with the sums annotated): the records are
    aggregated once per resident and month, and those few rows joined to the profiles, rather than
    every record joined to its user and profile and sorted for a COUNT(DISTINCT user) per group.
    A resident has one profile, so the residents of a month in a group are its rows."""
    inner, params = per_user_month.order_by().query.sql_with_params()
    quote = connection.ops.quote_name
    profile = Profile._meta
    district, birth_year, user = (quote(profile.get_field(name).column) for name in ("district", "birth_year", "user"))
    selected = ["COUNT(*)"] if participants else []
    selected += [f"CAST(SUM(r.{quote(name)}) AS BIGINT)" for name in sums]
    sql = (
        f"SELECT r.{quote('month')}, p.{district}, p.{birth_year}, {', '.join(selected)} "
        f"FROM ({inner}) r LEFT JOIN {quote(profile.db_table)} p ON p.{user} = r.{quote('user_id')} "
        f"GROUP BY r.{quote('month')}, p.{district}, p.{birth_year}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(_month(row[0]), *row[1:]) for row in cursor.fetchall()]


def _month(value) -> datetime.date:
    """A month's first day as TruncMonth gives it through a plain cursor: a datetime (PostgreSQL's
    date_trunc, in UTC) or text (SQLite)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def statistics_totals(*, date_from, date_to) -> dict:
    return {
        "participants": Participant.objects.count(),
        "recording": HealthRecord.objects.filter(day__gte=date_from, day__lte=date_to).values("user").distinct().count(),
    }
