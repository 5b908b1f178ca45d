"""Thin Celery tasks (beat entries in apps.py): each calls one reminder; all are idempotent."""
from celery import shared_task

from . import reminders


@shared_task(acks_late=True)
def send_draft_reminders():
    return reminders.draft_reminders_send()


@shared_task(acks_late=True)
def send_completion_reminders():
    return reminders.completion_reminders_send()


@shared_task(acks_late=True)
def send_staff_reminders():
    return reminders.staff_reminders_send()
