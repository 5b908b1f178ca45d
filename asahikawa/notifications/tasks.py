from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_notification_emails(notification_ids):
    """Idempotent (each row is claimed before sending), so it may ack late and be retried."""
    return services.notification_emails_send(notification_ids=notification_ids)


@shared_task(acks_late=True)
def send_daily_digests():
    return services.daily_digests_send()


@shared_task(acks_late=True)
def send_pending_emails():
    """Every 15 minutes: what the immediate path did not send (see services.pending_emails_send)."""
    return services.pending_emails_send()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_notification_emails_for_key(dedupe_key):
    """The emails of one set-based send (notify_selected); idempotent like send_notification_emails."""
    return services.notification_emails_send_for_key(dedupe_key=dedupe_key)
