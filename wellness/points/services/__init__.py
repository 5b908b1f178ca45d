"""Every write of the step points, one module per seam; the names stay importable from here
(`from wellness.points import services; services.points_settle(...)`).

    consent.py      participant_consent, participant_require
    records.py      records_upsert (web, CSV, app), record_upsert_by_staff, record_delete
    settlement.py   points_settle (nightly), settlement_window, ledger_reverse
    rewards.py      reward_redeem, redemption_cancel
    erasure.py      wellness_data_delete (the resident's right to erasure)

Reads are in wellness/points/selectors.py (balances_reconcile and values_of are re-exported here
for the callers that knew them as services).
"""
from ..selectors import balances_reconcile, values_of
from .consent import participant_consent, participant_require
from .erasure import wellness_data_delete
from .records import (
    GROUPS,
    SOURCE_COLUMN,
    UpsertResult,
    record_delete,
    record_upsert_by_staff,
    record_values_merge,
    records_upsert,
)
from .rewards import redemption_cancel, reward_redeem
from .settlement import ledger_reverse, points_settle, settlement_lock, settlement_select_sql, settlement_window

__all__ = [
    "GROUPS", "SOURCE_COLUMN", "UpsertResult", "balances_reconcile", "ledger_reverse", "participant_consent",
    "participant_require", "points_settle", "record_delete", "record_upsert_by_staff", "record_values_merge",
    "records_upsert", "redemption_cancel", "reward_redeem", "settlement_lock", "settlement_select_sql",
    "settlement_window", "values_of", "wellness_data_delete",
]
