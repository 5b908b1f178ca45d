from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import PortalAppConfig


class NotificationsConfig(PortalAppConfig):
    name = "asahikawa.notifications"
    label = "notifications"
    verbose_name = _("お知らせ配信")
    periodic_tasks = {
        "notifications-daily-digest": {
            "task": "asahikawa.notifications.tasks.send_daily_digests",
            "schedule": crontab(hour=7, minute=0),
        },
        "notifications-send-pending": {
            "task": "asahikawa.notifications.tasks.send_pending_emails",
            "schedule": crontab(minute="*/15"),
        },
    }

    def ready(self):
        super().ready()
        from django.db.models.signals import post_delete, post_save

        from . import unread
        from .models import Notification

        def notification_written(sender, instance, **kwargs):
            unread.changed({instance.user_id})

        post_save.connect(notification_written, sender=Notification, weak=False, dispatch_uid="notifications:unread:save")
        post_delete.connect(notification_written, sender=Notification, weak=False, dispatch_uid="notifications:unread:delete")
