"""Thin Celery tasks: each calls one service (all idempotent: compare-and-set or unique rows)."""
from celery import shared_task

from . import services


@shared_task(acks_late=True)
def publish_due():
    return services.circulars_publish_due()


@shared_task(acks_late=True)
def publish(circular_id):
    return services.circular_publish(circular_id=circular_id)


@shared_task(acks_late=True)
def send_reminders():
    return services.reminders_send_due()


@shared_task(acks_late=True)
def erase_safety_answers():
    return services.safety_answers_erase_expired()
