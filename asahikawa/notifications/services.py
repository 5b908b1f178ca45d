"""The one way any area tells a user something: notify()."""
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from asahikawa.areas import notification_kinds

from .models import Channel, Notification, NotificationPreference

logger = logging.getLogger(__name__)


def channel_default(kind: str) -> str:
    return Channel.OFF if notification_kinds()[kind].reminder else Channel.EMAIL


def channels_for(*, user_ids, kind: str) -> dict:
    """Each user's chosen channel for kind (the kind's default where they chose none): one query."""
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "channel")
    )
    default = channel_default(kind)
    return {user_id: chosen.get(user_id, default) for user_id in user_ids}


def languages_for(*, user_ids) -> dict:
    """Each user's language (their profile's, else the portal's default): one query."""
    from asahikawa.accounts.models import Profile

    chosen = dict(Profile.objects.filter(user_id__in=user_ids).values_list("user_id", "language"))
    return {user_id: chosen.get(user_id) or settings.LANGUAGE_CODE for user_id in user_ids}


def _render(text, language: str) -> str:
    """A title or body in one language: plain text as it is; a lazy translation (gettext_lazy)
    or a callable (e.g. lambda: _("...%(n)s") % {...}) rendered in that language."""
    with translation.override(language):
        return str(text() if callable(text) else text)


@transaction.atomic
def notify(*, user_ids, kind: str, title, body="", bodies=None, url: str = "", urgent: bool = False) -> list:
    """Put a notification in each user's inbox and email those who asked for it at once.

    title and body may be lazy translations or callables: each user then gets them in their own
    language. bodies (user id -> body) gives some users a body of their own, e.g. their figures
    in a weekly summary, in the same set-based call. Urgent messages (e.g. a disaster notice) always go by email at once, whatever the
    preference, and reach even users who switched the kind off. Emails are sent by Celery after commit.
    """
    if kind not in notification_kinds():
        raise ValueError(f"unknown notification kind: {kind}")
    user_ids = list(dict.fromkeys(user_ids))
    channels = channels_for(user_ids=user_ids, kind=kind)
    languages = languages_for(user_ids=user_ids)
    texts = {
        language: (_render(title, language), _render(body, language)) for language in set(languages.values())
    }
    rows = []
    for user_id in user_ids:
        channel = Channel.EMAIL if urgent else channels[user_id]
        if channel == Channel.OFF:
            continue
        title_text, body_text = texts[languages[user_id]]
        if bodies and user_id in bodies:
            body_text = _render(bodies[user_id], languages[user_id])
        rows.append(
            Notification(user_id=user_id, kind=kind, title=title_text, body=body_text, url=url, urgent=urgent, delivery=channel)
        )
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    email_ids = [n.pk for n in created if n.delivery == Channel.EMAIL]
    if email_ids:
        from .tasks import send_notification_emails

        for start in range(0, len(email_ids), 500):
            chunk = email_ids[start : start + 500]
            transaction.on_commit(lambda chunk=chunk: send_notification_emails.delay(chunk))
    return created


@transaction.atomic
def notify_selected(*, users, kind: str, title, body="", url: str = "", urgent: bool = False, dedupe_key: str) -> int:
    """notify() for any number of users in one set-based statement: INSERT ... SELECT from the
    `users` queryset (any query of users, e.g. the residents of a district), with each user's
    channel and language worked out in SQL. Users who already have a notification with this
    dedupe_key are skipped, so running it twice gives nobody a second copy. Returns how many
    notifications were created; emails (urgent ones always) are sent by Celery after commit.
    title and body may be lazy or callable, as with notify(): rendered once per language."""
    from asahikawa.accounts.models import Profile

    kinds = notification_kinds()
    if kind not in kinds:
        raise ValueError(f"unknown notification kind: {kind}")
    if not dedupe_key:
        raise ValueError("a set-based send needs a dedupe_key")
    default = channel_default(kind)
    texts = [(code, _render(title, code)[:200], _render(body, code)) for code, _name in settings.LANGUAGES]
    # The title and body of each user's language (their profile's, else the portal's default).
    language = f"COALESCE(NULLIF(p.language, ''), '{settings.LANGUAGE_CODE}')"
    title_sql = "CASE " + " ".join(f"WHEN {language} = %s THEN %s" for _code, _t, _b in texts) + " ELSE %s END"
    body_sql = title_sql
    title_params = [value for code, text, _b in texts for value in (code, text)] + [texts[0][1]]
    body_params = [value for code, _t, text in texts for value in (code, text)] + [texts[0][2]]
    channel = "COALESCE(np.channel, %s)"
    delivery_sql = f"CASE WHEN %s THEN %s ELSE {channel} END"
    users_sql, users_params = users.order_by().values("pk").query.sql_with_params()
    notification = Notification._meta.db_table
    sql = f"""
        INSERT INTO {notification} (user_id, kind, title, body, url, urgent, delivery, created_at, dedupe_key)
        SELECT u.id, %s, {title_sql}, {body_sql}, %s, %s, {delivery_sql}, %s, %s
        FROM {get_user_model_table()} u
        LEFT JOIN {Profile._meta.db_table} p ON p.user_id = u.id
        LEFT JOIN {NotificationPreference._meta.db_table} np ON np.user_id = u.id AND np.kind = %s
        WHERE u.id IN ({users_sql}) AND (%s OR {channel} <> %s)
        ON CONFLICT DO NOTHING
    """
    params = [
        kind, *title_params, *body_params, url, urgent, urgent, Channel.EMAIL.value, default, timezone.now(), dedupe_key,
        kind, *users_params, urgent, default, Channel.OFF.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created = cursor.rowcount
    if created:
        from .tasks import send_notification_emails_for_key

        transaction.on_commit(lambda: send_notification_emails_for_key.delay(dedupe_key))
    return created


def get_user_model_table() -> str:
    from django.contrib.auth import get_user_model

    return get_user_model()._meta.db_table


def notification_emails_send_for_key(*, dedupe_key: str, chunk: int = 500) -> int:
    """Email the email-at-once notifications of one set-based send, in chunks (see notify_selected)."""
    sent = 0
    pending = Notification.objects.filter(dedupe_key=dedupe_key, delivery=Channel.EMAIL, emailed_at=None)
    while ids := list(pending.order_by("pk").values_list("pk", flat=True)[:chunk]):
        done = notification_emails_send(notification_ids=ids)
        sent += done
        if not done:  # every row of this chunk was claimed by someone else meanwhile
            break
    return sent


def _absolute(url: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{url}" if url.startswith("/") else url


def _language_of(user) -> str:
    from asahikawa.accounts.selectors import profile_for

    return profile_for(user).language or settings.LANGUAGE_CODE


def notification_emails_send(*, notification_ids) -> int:
    """Email each notification once. A row is claimed (compare-and-set) before its email is sent,
    so two workers never send the same one twice."""
    sent = 0
    notifications = Notification.objects.filter(pk__in=notification_ids, delivery=Channel.EMAIL, emailed_at=None)
    for notification in notifications.select_related("user", "user__profile"):
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at=None).update(emailed_at=timezone.now())
        if not claimed:
            continue
        try:
            with translation.override(_language_of(notification.user)):
                context = {
                    "notification": notification,
                    "link": _absolute(notification.url) if notification.url else "",
                    "base_url": settings.PORTAL_BASE_URL,
                }
                send_mail(
                    subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.title}",
                    message=render_to_string("notifications/email.txt", context),
                    from_email=None,
                    recipient_list=[notification.user.email],
                )
        except Exception as exc:
            # Release the claim so that the task's retry sends it.
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            logger.warning("notification email failed", extra={
                "notification_id": notification.pk, "user_id": notification.user_id, "kind": notification.kind,
                "error": repr(exc)[:300]})
            raise
        sent += 1
    return sent


def daily_digests_send() -> int:
    """One email per user with the day's digest notifications; nobody gets an empty digest."""
    sent = 0
    failure = None
    pending = Notification.objects.filter(delivery=Channel.DIGEST, emailed_at=None)
    for user_id in pending.values_list("user_id", flat=True).distinct().order_by():
        try:
            sent += _digest_send(pending, user_id)
        except Exception as exc:  # this user's rows roll back (sent next run); the others still get theirs
            logger.warning("digest email failed", extra={"user_id": user_id, "error": repr(exc)[:300]})
            failure = failure or exc
    if failure is not None:
        raise failure
    return sent


@transaction.atomic
def _digest_send(pending, user_id) -> int:
    """Email one user's pending digest rows in one email, claiming them in the same transaction."""
    rows = list(
        pending.filter(user_id=user_id).select_for_update(skip_locked=True).select_related("user").order_by("created_at")
    )
    if not rows:
        return 0
    Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=timezone.now())
    user = rows[0].user
    with translation.override(_language_of(user)):
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}" + translation.gettext("今日のお知らせ（%(count)s件）") % {"count": len(rows)},
            message=render_to_string(
                "notifications/digest.txt",
                {
                    "items": [(n, _absolute(n.url) if n.url else "") for n in rows],
                    "base_url": settings.PORTAL_BASE_URL,
                },
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    return 1


def pending_emails_send(*, older_than_minutes: int = 10) -> int:
    """The sweep: email-at-once notifications that were never sent (a worker or broker lost the
    task, or sending failed for good) are sent now. Safe beside the normal path: rows are claimed."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    ids = list(
        Notification.objects.filter(delivery=Channel.EMAIL, emailed_at=None, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    return notification_emails_send(notification_ids=ids) if ids else 0


def notifications_mark_read(*, user, notification_ids=None) -> int:
    query = Notification.objects.filter(user=user, read_at=None)
    if notification_ids is not None:
        query = query.filter(pk__in=notification_ids)
    return query.update(read_at=timezone.now())


def preferences_save(*, user, channels: dict) -> None:
    """Save the user's channel per kind. A non-reminder kind cannot be switched off entirely."""
    kinds = notification_kinds()
    for kind, channel in channels.items():
        if kind not in kinds or channel not in Channel.values:
            raise ValueError(kind)
        if channel == Channel.OFF and not kinds[kind].reminder:
            raise ValueError(kind)
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
