"""The resident's right to erasure: all of their wellness data goes (asked from the wellness pages,
and by the account deletion through the app's erase hook)."""
from django.apps import apps
from django.db import transaction

from asahikawa.accounts.services import access_log_record
from asahikawa.notifications.models import Notification, NotificationPreference

from ..models import HealthRecord, LedgerEntry, Participant, Redemption
from .settlement import settlement_lock


@transaction.atomic
def wellness_data_delete(*, user) -> dict:
    """Erase all of the resident's wellness data: records, ledger, vouchers and the consent.
    (The ledger's append-only rule yields to the resident's right to erasure; stock is not restored.)"""
    settlement_lock()  # not in the middle of a settlement run, which could credit the erased records
    Participant.objects.select_for_update().filter(user=user).first()  # a concurrent upsert waits
    counts = {
        "records": HealthRecord.objects.filter(user=user).delete()[0],
        "ledger": LedgerEntry.objects.filter(user=user).order_by().delete()[0],
        "vouchers": Redemption.objects.filter(user=user).delete()[0],
    }
    Participant.objects.filter(user=user).delete()
    wellness_kinds = list(apps.get_app_config("wellness").notification_kinds)
    NotificationPreference.objects.filter(user=user, kind__in=wellness_kinds).delete()
    # The weekly summaries carry the resident's steps and points.
    Notification.objects.filter(user=user, kind__in=wellness_kinds).delete()
    access_log_record(actor=user, action="delete", object_type="wellness.participant", object_id=user.pk,
                      detail="resident erased all wellness data")
    return counts
