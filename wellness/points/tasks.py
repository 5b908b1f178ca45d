"""Thin Celery tasks: each calls one service. Settlement is idempotent, so it acks late and a
task lost with a killed worker is simply run again (its transaction rolled back)."""
import logging

from celery import shared_task

from . import reminders, selectors, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5,
             soft_time_limit=1800, time_limit=1900)
def settle_points(day=None):
    import datetime

    run = services.points_settle(day=datetime.date.fromisoformat(day) if day else None)
    mismatches = selectors.balances_reconcile()
    if mismatches:
        # Not swallowed: the run fails loudly so that monitoring sees it.
        raise RuntimeError(f"wellness: {len(mismatches)} cached balance(s) differ from the ledger")
    return {"run": run.pk, "entries": run.credited_entries, "points": run.credited_points}


@shared_task(acks_late=True)
def send_evening_reminders():
    return reminders.evening_reminders_send()


@shared_task(acks_late=True)
def send_weekly_summaries():
    return reminders.weekly_summaries_send()
