"""Writes: save a notice, publish it (the fan-out), open it, correct a reading, reader settings.

The fan-out is set-based: the inbox rows are one notify_selected() (INSERT ... SELECT ... ON
CONFLICT on (user, dedupe_key)), and the reach rows one INSERT ... SELECT of the same audience,
marking who has the notice in their inbox. Both skip what is already there, so publishing twice
gives nobody a second copy.
"""

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa.accounts.models import Profile
from asahikawa.errors import ApplicationError
from asahikawa.notifications.models import Notification
from asahikawa.notifications.services import get_user_model_table, notify_selected
from asahikawa.uploads import document_kind

from . import selectors
from .models import Notice, ReaderSetting, Reading, Recipient

KIND = "city_notice"

RECIPIENT_SQL = """
    INSERT INTO {recipient} (notice_id, user_id, district_id, age_band, delivered, opened_at)
    SELECT %s, u.id, p.district_id,
           CASE WHEN p.birth_year IS NULL OR p.birth_year > %s THEN NULL
                WHEN %s - p.birth_year >= 90 THEN 90
                ELSE ((%s - p.birth_year) / 10) * 10 END,
           EXISTS (SELECT 1 FROM {notification} n WHERE n.user_id = u.id AND n.dedupe_key = %s),
           NULL
    FROM {user} u
    LEFT JOIN {profile} p ON p.user_id = u.id
    WHERE u.id IN ({users})
    ON CONFLICT DO NOTHING
"""


def _check(notice: Notice, *, district_ids, association_ids, age_bands) -> None:
    errors = {}
    if not notice.everyone and not (district_ids or association_ids or age_bands):
        errors["everyone"] = [_("配信先を選んでください（全市民、または地区・年代・町内会）。")]
    if notice.expires_at and notice.expires_at <= notice.publish_at:
        errors["expires_at"] = [_("掲載終了日時は公開日時より後にしてください。")]
    if bool(notice.easy_title) != bool(notice.easy_body):
        errors["easy_body" if notice.easy_title else "easy_title"] = [
            _("やさしい日本語は件名と本文の両方を入力してください。")
        ]
    if errors:
        raise ApplicationError(_("入力内容を確認してください。"), extra={"fields": errors})


@transaction.atomic
def notice_save(
    *,
    author,
    notice: Notice | None = None,
    district_ids=(),
    association_ids=(),
    age_bands=(),
    image=None,
    publish_now: bool = False,
    **fields,
) -> Notice:
    """Create or change a notice (not yet sent). Sent at publish_at by the beat, or at once."""
    if notice is not None and notice.published_at is not None:
        raise ApplicationError(_("配信済みのお知らせは変更できません。"))
    notice = notice or Notice(author=author)
    for name, value in fields.items():
        setattr(notice, name, value)
    if publish_now or notice.publish_at is None:
        notice.publish_at = timezone.now()
    notice.age_bands = sorted({int(band) for band in age_bands})
    _check(notice, district_ids=district_ids, association_ids=association_ids, age_bands=age_bands)
    if image is not None:
        notice.content_type = document_kind(image) or ""
        notice.image = image
    notice.full_clean(exclude=["image", "districts", "associations"])
    notice.save()
    notice.districts.set(district_ids)
    notice.associations.set(association_ids)
    if notice.publish_at <= timezone.now():
        from .tasks import publish

        pk = notice.pk
        transaction.on_commit(lambda: publish.delay(pk))
    return notice


def _fan_out(notice: Notice) -> int:
    users = selectors.audience(notice)
    url = reverse("notices:detail", args=[notice.pk])

    def title_for():
        return f"【{_('緊急')}】{notice.title}" if notice.urgent else notice.title

    delivered = notify_selected(
        users=users,
        kind=KIND,
        title=title_for,
        body=_summary(notice),
        url=url,
        urgent=notice.urgent,
        dedupe_key=notice.dedupe_key,
    )
    users_sql, users_params = users.order_by().values("pk").query.sql_with_params()
    year = timezone.localdate().year
    sql = RECIPIENT_SQL.format(
        recipient=Recipient._meta.db_table,
        notification=Notification._meta.db_table,
        user=get_user_model_table(),
        profile=Profile._meta.db_table,
        users=users_sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [notice.pk, year, year, year, notice.dedupe_key, *users_params])
    return delivered


def _summary(notice: Notice) -> str:
    body = notice.body.strip()
    return body[:300] + ("…" if len(body) > 300 else "")


@transaction.atomic
def notice_publish(*, notice_id: int, now=None) -> bool:
    """Send a notice to its audience, once (compare-and-set on published_at). Running it again
    (a retried task) sends nobody a second copy: every row it writes is unique."""
    now = now or timezone.now()
    claimed = Notice.objects.filter(pk=notice_id, published_at=None, publish_at__lte=now).update(published_at=now)
    notice = Notice.objects.get(pk=notice_id)
    if not claimed and notice.published_at is None:
        return False  # not due yet
    _fan_out(notice)
    return bool(claimed)


def notices_publish_due(*, now=None) -> int:
    """The beat's every-minute job: send the notices whose time has come."""
    now = now or timezone.now()
    due = list(Notice.objects.filter(published_at=None, publish_at__lte=now).values_list("pk", flat=True))
    return sum(notice_publish(notice_id=pk, now=now) for pk in due)


def notice_open(*, user, notice: Notice) -> bool:
    """The resident opened the notice (page, app, or the email's link): counted once. True the first time."""
    if not user.is_authenticated:
        return False
    first = Recipient.objects.filter(notice=notice, user=user, opened_at=None).update(opened_at=timezone.now())
    if first:
        Notification.objects.filter(user=user, dedupe_key=notice.dedupe_key, read_at=None).update(
            read_at=timezone.now()
        )
    return bool(first)


def reading_save(*, word: str, reading: str) -> Reading:
    word, reading = word.strip(), reading.strip()
    if not word or not reading:
        raise ApplicationError(
            _("語と読みを入力してください。"),
            extra={"fields": {"word" if not word else "reading": [_("入力してください。")]}},
        )
    obj, _created = Reading.objects.update_or_create(word=word, defaults={"reading": reading})
    return obj


def reader_setting_save(*, user, easy: bool, furigana: bool) -> ReaderSetting:
    setting, _created = ReaderSetting.objects.update_or_create(user=user, defaults={"easy": easy, "furigana": furigana})
    return setting


def notices_data_erase(*, user) -> None:
    """The account deletion: the reader setting goes; reach rows go with the user (cascade), so the
    figures of past notices lose one resident, as the issue's privacy rule wants."""
    ReaderSetting.objects.filter(user=user).delete()
    Recipient.objects.filter(user=user).delete()
