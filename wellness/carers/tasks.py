"""Thin Celery tasks (beat entries in apps.py): each calls one service; all are idempotent."""

from celery import shared_task

from . import reminders, services


@shared_task(acks_late=True)
def send_day_before_reminders():
    return reminders.day_before_send()


@shared_task(acks_late=True)
def send_plan_ending_reminders():
    return reminders.plan_ending_send()


@shared_task(acks_late=True)
def send_unrecorded_reminders():
    return reminders.unrecorded_send()


@shared_task(acks_late=True)
def generate_next_month():
    return services.visits_generate_next_month()


@shared_task(acks_late=True)
def close_and_erase():
    return {"closed": services.cases_close_finished(), "erased": services.cases_erase_expired()}
