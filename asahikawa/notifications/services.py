"""The one way any area tells a user something: notify()."""
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import CharField, Value
from django.template.loader import render_to_string
from django.utils import timezone, translation

from asahikawa.areas import notification_kinds

from . import unread
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


@dataclass(frozen=True)
class Message:
    """One message of a set-based send: title and body (plain, lazy or callable: rendered once per
    language) and the dedupe_key that makes sending it twice give nobody a second copy."""

    title: object
    body: object = ""
    dedupe_key: str = ""


@transaction.atomic
def notify_selected(*, users, kind: str, title, body="", url: str = "", urgent: bool = False, dedupe_key: str) -> int:
    """notify() for any number of users in one set-based statement: INSERT ... SELECT from the
    `users` queryset (any query of users, e.g. the residents of a district), with each user's
    channel and language worked out in SQL. Users who already have a notification with this
    dedupe_key are skipped, so running it twice gives nobody a second copy. Returns how many
    notifications were created; emails (urgent ones always) are sent by Celery after commit.
    title and body may be lazy or callable, as with notify(): rendered once per language."""
    return notify_grouped(
        recipients=users.order_by().values_list("pk", Value("all", output_field=CharField())),
        kind=kind, messages={"all": Message(title, body, dedupe_key)}, url=url, urgent=urgent,
    )


@transaction.atomic
def notify_grouped(*, recipients, kind: str, messages: dict, url: str = "", urgent: bool = False) -> int:
    """Several messages to several sets of users in one statement, e.g. each district its own
    "tomorrow: burnables" reminder. recipients is a queryset of (user id, group) pairs, a group being
    a key of messages ({group: Message}); a user in two groups gets both messages. Otherwise as
    notify_selected (which is this with one group)."""
    from asahikawa.accounts.models import Profile

    kinds = notification_kinds()
    if kind not in kinds:
        raise ValueError(f"unknown notification kind: {kind}")
    if not messages or not all(message.dedupe_key for message in messages.values()):
        raise ValueError("a set-based send needs a dedupe_key for each message")
    default = channel_default(kind)
    languages = [code for code, _name in settings.LANGUAGES]
    columns = [f"t_{index}" for index in range(len(languages))], [f"b_{index}" for index in range(len(languages))]
    # One row per group: its dedupe_key and its title and body in each language, rendered here once.
    rows, texts_params = [], []
    for group, message in messages.items():
        rows.append("(" + ", ".join(["%s"] * (2 + 2 * len(languages))) + ")")
        texts_params += [str(group), message.dedupe_key]
        texts_params += [_render(message.title, code)[:200] for code in languages]
        texts_params += [_render(message.body, code) for code in languages]
    # Each user gets the texts of their language (their profile's, else the portal's default).
    language = "COALESCE(NULLIF(p.language, ''), %s)"

    def in_language(names):
        whens = " ".join(f"WHEN %s THEN m.{name}" for name in names)
        return f"CASE {language} {whens} ELSE m.{names[languages.index(settings.LANGUAGE_CODE)]} END"

    language_params = [settings.LANGUAGE_CODE, *languages]
    recipients_sql, recipients_params = recipients.order_by().query.sql_with_params()
    channel = "COALESCE(np.channel, %s)"
    sql = f"""
        INSERT INTO {Notification._meta.db_table}
            (user_id, kind, title, body, url, urgent, delivery, created_at, dedupe_key)
        WITH m (grp, dedupe_key, {", ".join(columns[0] + columns[1])}) AS (VALUES {", ".join(rows)}),
             r (user_id, grp) AS ({recipients_sql})
        SELECT r.user_id, %s, {in_language(columns[0])}, {in_language(columns[1])}, %s, %s,
               CASE WHEN %s THEN %s ELSE {channel} END, %s, m.dedupe_key
        FROM r
        JOIN m ON m.grp = CAST(r.grp AS TEXT)
        LEFT JOIN {Profile._meta.db_table} p ON p.user_id = r.user_id
        LEFT JOIN {NotificationPreference._meta.db_table} np ON np.user_id = r.user_id AND np.kind = %s
        WHERE (%s OR {channel} <> %s)
        ON CONFLICT DO NOTHING
    """
    params = [
        *texts_params, *recipients_params,
        kind, *language_params, *language_params, url, urgent, urgent, Channel.EMAIL.value, default, timezone.now(),
        kind, urgent, default, Channel.OFF.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created = cursor.rowcount
    if created:
        unread.changed()  # the users the statement reached are not known here: everyone's counts
        from .tasks import send_notification_emails_for_key

        for key in dict.fromkeys(message.dedupe_key for message in messages.values()):
            transaction.on_commit(lambda key=key: send_notification_emails_for_key.delay(key))
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
