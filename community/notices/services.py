"""Writes: save a notice, publish it (the fan-out), open it, correct a reading, reader settings.

The fan-out is one set-based pass: notify_selected() puts the notice in the inbox of its whole
audience with one INSERT ... SELECT ... ON CONFLICT on (user, dedupe_key "notice:<id>"), so
publishing twice gives nobody a second copy. Those inbox rows are also the reach figures
(targeted; delivered once the email went out), with the opens (models.Open) beside them.

The public list is cached under CACHE_SCOPE (asahikawa/caching.py): every save and delete of a
Notice changes it (NoticesConfig.cached_models); a write past the signals (QuerySet.update,
bulk_create, raw SQL) of anything the list shows calls caching.changed(CACHE_SCOPE) itself.
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from asahikawa import caching
from asahikawa.errors import ApplicationError
from asahikawa.notifications.models import Notification
from asahikawa.notifications.services import notify_selected
from asahikawa.uploads import document_kind

from . import selectors
from .models import Notice, Open, ReaderSetting, Reading

KIND = "city_notice"
CACHE_SCOPE = "notices"  # the app's label (NoticesConfig)


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
    """The inbox rows of the notice's audience, in one INSERT ... SELECT (notify_selected); users
    who already have it are skipped. Returns how many rows it wrote (added to notice.targeted)."""

    def title_for():
        return f"【{_('緊急')}】{notice.title}" if notice.urgent else notice.title

    created = notify_selected(
        users=selectors.audience(notice),
        kind=KIND,
        title=title_for,
        body=_summary(notice),
        url=reverse("notices:detail", args=[notice.pk]),
        urgent=notice.urgent,
        dedupe_key=notice.dedupe_key,
    )
    if created:
        Notice.objects.filter(pk=notice.pk).update(targeted=F("targeted") + created)
    return created


def _summary(notice: Notice) -> str:
    body = notice.body.strip()
    return body[:300] + ("…" if len(body) > 300 else "")


@transaction.atomic
def notice_publish(*, notice_id: int, now=None) -> bool:
    """Send a notice to its audience, once (compare-and-set on published_at). Running it again
    (a retried task) sends nobody a second copy: every row it writes is unique."""
    now = now or timezone.now()
    claimed = Notice.objects.filter(pk=notice_id, published_at=None, publish_at__lte=now).update(published_at=now)
    if claimed:
        caching.changed(CACHE_SCOPE)  # an update sends no signal: the lists show it from now on
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
    """The resident opened a notice they were sent (page, app, or the email's link): counted once.
    True the first time. Opening a public notice one was not sent counts nothing."""
    if not user.is_authenticated:
        return False
    if not Notification.objects.filter(user=user, dedupe_key=notice.dedupe_key).exists():
        return False
    try:
        with transaction.atomic():
            Open.objects.create(notice=notice, user=user)
    except IntegrityError:
        return False
    Notification.objects.filter(user=user, dedupe_key=notice.dedupe_key, read_at=None).update(read_at=timezone.now())
    return True


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
    Open.objects.filter(user=user).delete()
