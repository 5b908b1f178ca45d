"""Thin Celery task: the evening reminder (idempotent: safe to run again after a lost worker)."""
from celery import shared_task

from . import reminders


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_reminders():
    return reminders.reminders_send()
