from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import unread


class Channel(models.TextChoices):
    EMAIL = "email", _("すぐにメールでも受け取る")
    DIGEST = "digest", _("1日1回まとめてメールで受け取る")
    INBOX = "inbox", _("ポータルの受信箱のみ")
    OFF = "off", _("受け取らない")


class NotificationPreference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    # One of the kinds the apps declare (asahikawa.areas.notification_kinds); no choices here, so
    # that a new kind needs no migration. notify() and the settings form check it.
    kind = models.CharField(_("種類"), max_length=32)
    channel = models.CharField(_("受け取り方"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("通知の設定")
        verbose_name_plural = _("通知の設定")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]


class NotificationQuerySet(models.QuerySet):
    """The writes that send no signal tell unread.changed() whose unread count they change: an
    update() of read_at or of the user (the users it touches, read before), bulk_create() and
    bulk_update() (the rows' users). Saves and deletes send signals (apps.py)."""

    COUNTED = frozenset({"read_at", "user", "user_id"})

    def update(self, **kwargs):
        touched = self.COUNTED & set(kwargs)
        users = None
        if touched and not touched & {"user", "user_id"}:  # a change of user: everyone's
            users = set(self.order_by().values_list("user_id", flat=True).distinct()[:unread.PER_USER_LIMIT + 1])
        rows = super().update(**kwargs)
        if touched and rows:
            unread.changed(users)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        unread.changed({notification.user_id for notification in created})
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if self.COUNTED & set(fields):
            unread.changed({notification.user_id for notification in objs})
        return rows


class Notification(models.Model):
    """One message in one user's inbox; delivery is decided when it is created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("種類"), max_length=32)
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"), blank=True)
    url = models.CharField(_("リンク"), max_length=500, blank=True)
    urgent = models.BooleanField(_("緊急"), default=False)
    delivery = models.CharField(_("配信方法"), max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("メール送信日時"), null=True, blank=True)
    # What this message is about, for sending it at most once per user ("notice:12",
    # "garbage:2026-12-01:3-A"): set-based sends (notify_selected) skip users who already have it.
    dedupe_key = models.CharField(_("重複防止キー"), max_length=100, null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(
                fields=["delivery", "emailed_at"],
                name="notification_digest_pending",
                condition=models.Q(emailed_at__isnull=True),
            ),
            models.Index(fields=["dedupe_key"], name="notification_dedupe_key",
                         condition=models.Q(dedupe_key__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_once_per_user",
                                    condition=models.Q(dedupe_key__isnull=False)),
        ]

    def __str__(self):
        return self.title

    def get_kind_display(self):
        """The kind's label, as declared by its app (the code itself if no installed app declares it)."""
        from asahikawa.areas import notification_kinds

        kind = notification_kinds().get(self.kind)
        return kind.label if kind else self.kind
