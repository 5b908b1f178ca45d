"""Health records: the resident's own entries (web form, CSV, the app) and the counter's."""
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa.accounts.services import access_log_record
from asahikawa.errors import ApplicationError, ErrorCode

from ..models import SOURCE_PRIORITY, HealthRecord, Source
from .consent import participant_require

# value fields -> the column that keeps their source; blood pressure is one pair
SOURCE_COLUMN = {
    "steps": "steps_source",
    "weight_kg": "weight_source",
    "body_fat_pct": "body_fat_source",
    "systolic": "bp_source",
    "diastolic": "bp_source",
}
GROUPS = (("steps",), ("weight_kg",), ("body_fat_pct",), ("systolic", "diastolic"))


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
