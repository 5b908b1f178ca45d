from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asahikawa.japanese import fold, reading, search_key


def validate_birth_year(year):
    this_year = timezone.localdate().year
    if year is not None and not (this_year - 120 <= year <= this_year):
        raise ValidationError(
            _("生まれた年は %(low)s〜%(high)s の範囲で入力してください。"),
            params={"low": this_year - 120, "high": this_year},
            code="birth_year",
        )


class PortalUserManager(UserManager):
    """Users sign in by email; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("メールアドレス"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def __str__(self):
        return self.email


class District(models.Model):
    """A district of the city (地区): the unit of garbage collection, targeting and statistics."""

    code = models.SlugField(_("コード"), max_length=32, unique=True)
    name = models.CharField(_("地区名"), max_length=64)
    is_sample = models.BooleanField(_("サンプル"), default=False, help_text=_("デモ用の架空データ"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")

    def __str__(self):
        return self.name


class Association(models.Model):
    """A neighborhood association (町内会)."""

    name = models.CharField(_("町内会名"), max_length=128, unique=True)
    furigana = models.CharField(_("ふりがな"), max_length=128, blank=True,
                                help_text=_("町内会名の読み（空欄のときは辞書の読みで探せます）"))
    district = models.ForeignKey(District, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="associations")
    is_sample = models.BooleanField(_("サンプル"), default=False)
    # Set on every save from the name and the furigana: the reading residents' lists are sorted by
    # (五十音順), and what a search compares with (japanese.search_key: the name, the furigana and
    # the name's reading, folded; circulars.selectors.associations_find).
    reading = models.CharField(max_length=256, editable=False, default="")
    search_key = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("町内会")
        verbose_name_plural = _("町内会")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.reading = fold(self.furigana) or fold(reading(self.name))
        self.search_key = search_key(self.name, self.furigana)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "reading", "search_key"}
        super().save(*args, **kwargs)


class HelperAgency(models.Model):
    """An agency contracted by the city to send housework helpers (家事支援事業者)."""

    name = models.CharField(_("事業者名"), max_length=128, unique=True)
    phone = models.CharField(_("電話番号"), max_length=32, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("家事支援事業者")
        verbose_name_plural = _("家事支援事業者")

    def __str__(self):
        return self.name


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("表示名"), max_length=64, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("地区（ごみ収集地区）"), null=True, blank=True, on_delete=models.SET_NULL
    )
    association = models.ForeignKey(
        Association,
        verbose_name=_("所属する町内会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    birth_year = models.PositiveSmallIntegerField(
        _("生まれた年"), null=True, blank=True, validators=[validate_birth_year], help_text=_("年代別のお知らせに使います（西暦）")
    )
    language = models.CharField(_("表示言語"), max_length=8, choices=settings.LANGUAGES, default="ja")
    # Roles bound to one object. Set by staff in the admin console, never by the user.
    officer_of = models.ForeignKey(
        Association,
        verbose_name=_("役員を務める町内会"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officers",
    )
    agency = models.ForeignKey(
        HelperAgency,
        verbose_name=_("所属する家事支援事業者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    privacy_consent_at = models.DateTimeField(_("個人情報の取扱いへの同意日時"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("サンプル"), default=False, help_text=_("デモ用のアカウント（記録などはすべて架空のデータ）")
    )

    class Meta:
        verbose_name = _("プロフィール")
        verbose_name_plural = _("プロフィール")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True) | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="profile_birth_year_plausible",
            )
        ]

    def __str__(self):
        return self.display_name or self.user.email

    @property
    def age_band(self):
        """The age band (10-year) in the current fiscal year, e.g. 30 for 30-39; None when unknown."""
        from .selectors import age_band

        return age_band(self.birth_year)


class AccessLog(models.Model):
    """Audit trail: who read or changed which sensitive record, when, and why. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("閲覧")
        CHANGE = "change", _("変更")
        EXPORT = "export", _("出力")
        DELETE = "delete", _("削除")

    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    object_type = models.CharField(_("対象の種類"), max_length=64)
    object_id = models.CharField(_("対象ID"), max_length=64)
    detail = models.CharField(_("詳細"), max_length=255, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("アクセス記録")
        verbose_name_plural = _("アクセス記録")
        indexes = [models.Index(fields=["object_type", "object_id"])]


class DeviceToken(models.Model):
    """One device signed in to the smartphone app (`Authorization: Token <key>`).

    The key is shown once, at sign-in; only its SHA-256 digest is kept, so a copy of the database
    signs no one in. password_stamp ties the token to the password it was issued under: any change
    of password (the portal's forms, the admin console, manage.py) ends it. See devices.py."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device_tokens")
    digest = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("端末名"), max_length=64, blank=True)
    password_stamp = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("ログインした日時"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最後に使った日時"), default=timezone.now)
    expires_at = models.DateTimeField(_("有効期限"), db_index=True)

    class Meta:
        ordering = ["-last_used_at", "-pk"]
        verbose_name = _("アプリのログイン端末")
        verbose_name_plural = _("アプリのログイン端末")
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self):
        return self.name or f"#{self.pk}"
