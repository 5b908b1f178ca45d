"""Thin Celery tasks: each calls one service (idempotent: compare-and-set and unique rows)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def publish_due():
    return services.notices_publish_due()


@shared_task(acks_late=True)
def publish(notice_id):
    return services.notice_publish(notice_id=notice_id)
