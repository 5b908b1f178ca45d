"""City notices (暮らしのお知らせ): a notice, its audience, its readers (reach) and the readings staff correct."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asahikawa.accounts.models import Association, District
from asahikawa.uploads import document_path, private_storage

AGE_BANDS = list(range(0, 100, 10))  # 0 = 0-9 ... 90 = 90 and over (asahikawa.accounts.selectors.age_band)


def age_band_label(band) -> str:
    if band is None:
        return str(_("不明"))
    if band >= 90:
        return str(_("90歳以上"))
    return str(_("%(low)s〜%(high)s歳")) % {"low": band, "high": band + 9}


class Category(models.TextChoices):
    SNOW = "snow", _("除雪")
    DISASTER = "disaster", _("防災")
    CRIME = "crime", _("防犯")
    HEALTH = "health", _("健康")
    CHILDCARE = "childcare", _("子育て")
    GARBAGE = "garbage", _("ごみ")
    EVENT = "event", _("イベント")
    OTHER = "other", _("その他")


# Who writes which category: community and DX staff every category; another department only its own.
CATEGORY_DEPARTMENTS = {
    Category.HEALTH: {"wellness"},
    Category.CHILDCARE: {"child_welfare"},
    Category.EVENT: {"wellness", "child_welfare", "agriculture", "finance"},
    Category.OTHER: {"wellness", "child_welfare", "agriculture", "finance"},
}
ALL_CATEGORY_DEPARTMENTS = {"community"}
WRITER_DEPARTMENTS = ("community", "wellness", "child_welfare", "agriculture", "finance")


class Notice(models.Model):
    category = models.CharField(_("分類"), max_length=16, choices=Category.choices)
    title = models.CharField(_("件名"), max_length=120)
    body = models.TextField(
        _("本文"), help_text=_("Markdown が使えます（見出し・箇条書き・リンク・太字）。HTMLは使えません。")
    )
    easy_title = models.CharField(_("件名（やさしい日本語）"), max_length=120, blank=True)
    easy_body = models.TextField(_("本文（やさしい日本語）"), blank=True)
    title_en = models.CharField(_("件名（英語）"), max_length=120, blank=True)
    body_en = models.TextField(_("本文（英語）"), blank=True)
    image = models.FileField(_("画像"), storage=private_storage, upload_to=document_path("notices"), blank=True)
    image_alt = models.CharField(_("画像の説明（代替テキスト）"), max_length=200, blank=True)
    content_type = models.CharField(max_length=32, blank=True)
    link = models.URLField(_("関連リンク"), blank=True)
    urgent = models.BooleanField(
        _("緊急"), default=False, help_text=_("最初に表示し、ホームとマイページに掲示し、すぐにメールで送ります。")
    )
    public = models.BooleanField(_("公開"), default=False, help_text=_("ログインしていない人にも表示します。"))
    everyone = models.BooleanField(_("全市民"), default=False)
    districts = models.ManyToManyField(District, verbose_name=_("地区"), blank=True, related_name="+")
    associations = models.ManyToManyField(Association, verbose_name=_("町内会"), blank=True, related_name="+")
    age_bands = models.JSONField(_("年代"), default=list, blank=True)
    publish_at = models.DateTimeField(_("公開日時"), default=timezone.now)
    expires_at = models.DateTimeField(_("掲載終了日時"), null=True, blank=True)
    published_at = models.DateTimeField(_("配信日時"), null=True, blank=True, db_index=True)
    targeted = models.PositiveIntegerField(_("配信した人数"), default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["-urgent", "-publish_at", "-pk"]
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        indexes = [models.Index(fields=["published_at", "expires_at"], name="notice_live")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("publish_at")),
                name="notice_expires_after_publish",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return self.published_at is not None and (self.expires_at is None or self.expires_at > now)

    @property
    def dedupe_key(self) -> str:
        return f"notice:{self.pk}"


class Open(models.Model):
    """A resident opened a notice they were sent (page, app, or the email's link to the portal):
    counted once. The notice's inbox rows (asahikawa.notifications, dedupe_key "notice:<id>") are
    whom it targeted and reached; these rows are who opened it. No tracking pixel."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="opens")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("開封")
        verbose_name_plural = _("開封")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_open_once")]


class Reading(models.Model):
    """A reading staff know better than the analyser (a place name, a person's name): used by every furigana."""

    word = models.CharField(_("語"), max_length=32, unique=True)
    reading = models.CharField(_("読み（ひらがな）"), max_length=64)

    class Meta:
        ordering = ["word"]
        verbose_name = _("読みの修正")
        verbose_name_plural = _("読みの修正")

    def __str__(self):
        return f"{self.word}（{self.reading}）"


class ReaderSetting(models.Model):
    """How a resident reads notices: やさしい日本語 and furigana, chosen once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_setting")
    easy = models.BooleanField(_("やさしい日本語で読む"), default=False)
    furigana = models.BooleanField(_("ふりがなをつける"), default=False)

    class Meta:
        verbose_name = _("お知らせの読み方")
        verbose_name_plural = _("お知らせの読み方")
