"""Smart wellness step points (スマートウエルネス).

Health records are sensitive personal information (要配慮個人情報): a resident becomes a
Participant by consenting explicitly (the time is kept) before the first record.

Which source counts (documented rule, see services.record_values_merge): each value of a
day keeps the source it came from. A value typed by a person (web form, CSV upload, staff
at a city counter) wins over a value synced by the smartphone app: the app never overwrites a
hand-entered value, while a hand entry overwrites an app value. Between two hand entries, or
two app syncs, the later one wins.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

STEPS_RANGE = (0, 100_000)
WEIGHT_RANGE = (20, 300)
BODY_FAT_RANGE = (1, 75)
SYSTOLIC_RANGE = (60, 260)
DIASTOLIC_RANGE = (30, 160)
GRACE_DAYS = 7  # records synced late are still settled if their day is at most this many days old
BACKFILL_DAYS = 30  # the web form accepts today and the 30 days before
HISTORY_DAYS = 365  # the API and CSV accept a year of history
MAX_BATCH = 366


class Source(models.TextChoices):
    WEB = "web", _("Webフォーム")
    CSV = "csv", _("CSVアップロード")
    APP = "app", _("スマートフォンアプリ")
    STAFF = "staff", _("窓口（職員が入力）")


# Hand entries win over the app (higher number wins; equal numbers: the later write wins).
SOURCE_PRIORITY = {Source.APP: 1, Source.WEB: 2, Source.CSV: 2, Source.STAFF: 2}


class Participant(models.Model):
    """A resident who consented to the program. Holds the cached points balance (reconciled
    against the ledger by selectors.balances_reconcile)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="wellness"
    )
    consented_at = models.DateTimeField(_("健康情報の取扱いへの同意日時"))
    balance = models.IntegerField(_("ポイント残高"), default=0)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("参加者")
        verbose_name_plural = _("参加者")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="wellness_balance_not_negative")]

    def __str__(self):
        return str(self.user)


class HealthRecord(models.Model):
    """One record per resident per day; every value optional, at least one present."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_records")
    day = models.DateField(_("日付"))
    steps = models.PositiveIntegerField(
        _("歩数"), null=True, blank=True, validators=[MinValueValidator(STEPS_RANGE[0]), MaxValueValidator(STEPS_RANGE[1])]
    )
    weight_kg = models.DecimalField(
        _("体重（kg）"), max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(WEIGHT_RANGE[0]), MaxValueValidator(WEIGHT_RANGE[1])],
    )
    body_fat_pct = models.DecimalField(
        _("体脂肪率（%）"), max_digits=3, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(BODY_FAT_RANGE[0]), MaxValueValidator(BODY_FAT_RANGE[1])],
    )
    systolic = models.PositiveSmallIntegerField(
        _("最高血圧（mmHg）"), null=True, blank=True,
        validators=[MinValueValidator(SYSTOLIC_RANGE[0]), MaxValueValidator(SYSTOLIC_RANGE[1])],
    )
    diastolic = models.PositiveSmallIntegerField(
        _("最低血圧（mmHg）"), null=True, blank=True,
        validators=[MinValueValidator(DIASTOLIC_RANGE[0]), MaxValueValidator(DIASTOLIC_RANGE[1])],
    )
    # Where each value came from (the resident sees it beside the value).
    steps_source = models.CharField(_("歩数の入力元"), max_length=8, choices=Source.choices, blank=True)
    weight_source = models.CharField(_("体重の入力元"), max_length=8, choices=Source.choices, blank=True)
    body_fat_source = models.CharField(_("体脂肪率の入力元"), max_length=8, choices=Source.choices, blank=True)
    bp_source = models.CharField(_("血圧の入力元"), max_length=8, choices=Source.choices, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("健康記録")
        verbose_name_plural = _("健康記録")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="wellness_record_one_per_day"),
            models.CheckConstraint(
                condition=Q(steps__isnull=False) | Q(weight_kg__isnull=False) | Q(body_fat_pct__isnull=False)
                | Q(systolic__isnull=False) | Q(diastolic__isnull=False),
                name="wellness_record_has_a_value",
            ),
            models.CheckConstraint(
                condition=Q(steps__isnull=True) | Q(steps__gte=STEPS_RANGE[0], steps__lte=STEPS_RANGE[1]),
                name="wellness_record_steps_range",
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gte=WEIGHT_RANGE[0], weight_kg__lte=WEIGHT_RANGE[1]),
                name="wellness_record_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(body_fat_pct__isnull=True)
                | Q(body_fat_pct__gte=BODY_FAT_RANGE[0], body_fat_pct__lte=BODY_FAT_RANGE[1]),
                name="wellness_record_body_fat_range",
            ),
            # Blood pressure is a pair: both or neither, systolic above diastolic.
            models.CheckConstraint(
                condition=Q(systolic__isnull=True, diastolic__isnull=True)
                | Q(
                    systolic__isnull=False, diastolic__isnull=False,
                    systolic__gte=SYSTOLIC_RANGE[0], systolic__lte=SYSTOLIC_RANGE[1],
                    diastolic__gte=DIASTOLIC_RANGE[0], diastolic__lte=DIASTOLIC_RANGE[1],
                    systolic__gt=F("diastolic"),
                ),
                name="wellness_record_bp_pair_range",
            ),
        ]
        indexes = [models.Index(fields=["day", "user"], name="wellness_record_day_user")]

    def __str__(self):
        return f"{self.user_id} {self.day}"


class RuleKind(models.TextChoices):
    STEPS = "steps", _("歩数ポイント（段階ごと、1日の上限あり）")
    STREAK = "streak", _("連続達成ボーナス")
    WEIGHT = "weight", _("体重の記録ポイント")
    BLOOD_PRESSURE = "bp", _("血圧の記録ポイント")


class PointRule(models.Model):
    """One version of a point rule. A rule is identified by its code; each version applies from
    valid_from until the next version of the same code, so a change never rewrites history
    (and the ledger's unique key uses the code, so a new version never credits a day twice).

    steps:  points = min(daily_cap, steps // step_unit * points)
    streak: `points` on the last day of each block of streak_days days (blocks counted from
            valid_from) when every day of the block has steps >= goal_steps
    weight / bp: `points` for a day whose record has a weight / a blood-pressure pair
    """

    code = models.SlugField(_("ルールコード"), max_length=32, help_text=_("同じルールの版は同じコードにします"))
    kind = models.CharField(_("種類"), max_length=8, choices=RuleKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    valid_from = models.DateField(_("適用開始日"))
    enabled = models.BooleanField(_("有効"), default=True, help_text=_("無効の版は、この日からルールを止めます"))
    points = models.PositiveIntegerField(_("ポイント"), help_text=_("歩数: 1段階あたり。ボーナス・記録: 1回あたり"))
    step_unit = models.PositiveIntegerField(_("1段階の歩数"), null=True, blank=True)
    daily_cap = models.PositiveIntegerField(_("1日の上限ポイント"), null=True, blank=True)
    goal_steps = models.PositiveIntegerField(_("目標歩数"), null=True, blank=True)
    streak_days = models.PositiveSmallIntegerField(_("連続日数"), null=True, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-valid_from"]
        verbose_name = _("ポイントルール")
        verbose_name_plural = _("ポイントルール")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="wellness_rule_version_unique"),
            models.CheckConstraint(
                condition=~Q(kind="steps") | Q(step_unit__gte=1, daily_cap__gte=1), name="wellness_rule_steps_params"
            ),
            models.CheckConstraint(
                condition=~Q(kind="streak") | Q(goal_steps__gte=1, streak_days__gte=2, streak_days__lte=366),
                name="wellness_rule_streak_params",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from}〜)"

    def clean(self):
        errors = {}
        if self.kind == RuleKind.STEPS:
            if not self.step_unit:
                errors["step_unit"] = _("歩数ポイントには1段階の歩数が必要です。")
            if not self.daily_cap:
                errors["daily_cap"] = _("歩数ポイントには1日の上限が必要です。")
        if self.kind == RuleKind.STREAK:
            if not self.goal_steps:
                errors["goal_steps"] = _("連続達成ボーナスには目標歩数が必要です。")
            if not self.streak_days or self.streak_days < 2:
                errors["streak_days"] = _("連続日数は2日以上にしてください。")
        if self.code and self.kind:
            other = PointRule.objects.filter(code=self.code).exclude(pk=self.pk).exclude(kind=self.kind).first()
            if other:
                errors["kind"] = _("同じコードのルールは同じ種類にしてください。")
        if errors:
            raise ValidationError(errors)


class Reward(models.Model):
    """A reward in the catalog (特典): partner-shop vouchers, facility tickets."""

    name = models.CharField(_("名称"), max_length=100)
    partner = models.CharField(_("提供元"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    cost = models.PositiveIntegerField(_("必要ポイント"), validators=[MinValueValidator(1)])
    stock = models.IntegerField(_("在庫"), validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("交換開始日"))
    valid_until = models.DateField(_("交換終了日"))
    image = models.FileField(
        _("画像"), upload_to="wellness/rewards/", blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )
    image_alt = models.CharField(_("画像の代替テキスト"), max_length=200, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["cost", "name"]
        verbose_name = _("特典")
        verbose_name_plural = _("特典")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="wellness_reward_stock_not_negative"),
            models.CheckConstraint(condition=Q(cost__gte=1), name="wellness_reward_cost_positive"),
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="wellness_reward_period"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.image and not self.image_alt:
            raise ValidationError({"image_alt": _("画像には代替テキストが必要です。")})


class Redemption(models.Model):
    """A reward exchanged for points; the voucher code is shown to the partner shop."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellness_redemptions")
    reward = models.ForeignKey(Reward, verbose_name=_("特典"), on_delete=models.PROTECT, related_name="redemptions")
    code = models.CharField(_("引換コード"), max_length=16, unique=True)
    points = models.PositiveIntegerField(_("使ったポイント"))
    created_at = models.DateTimeField(_("交換日時"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("取り消した職員"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("特典の交換")
        verbose_name_plural = _("特典の交換")

    def __str__(self):
        return self.code


class EntryKind(models.TextChoices):
    CREDIT = "credit", _("ポイント付与")
    REDEEM = "redeem", _("特典と交換")
    REFUND = "refund", _("交換の取消（返還）")
    REVERSAL = "reversal", _("訂正（取消）")


class SettlementRun(models.Model):
    """One run of the settlement: which days it covered and what it credited."""

    started_at = models.DateTimeField(_("開始日時"), auto_now_add=True)
    first_day = models.DateField(_("対象の最初の日"))
    last_day = models.DateField(_("対象の最後の日"))
    credited_entries = models.PositiveIntegerField(_("付与件数"), default=0)
    credited_points = models.BigIntegerField(_("付与ポイント"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("ポイント精算")
        verbose_name_plural = _("ポイント精算")


class LedgerEntry(models.Model):
    """The append-only points ledger. Never updated or deleted (corrections are reversing
    entries); the only deletion is the resident's own erasure of all their wellness data."""

    # Few indexes on purpose: settlement inserts a million rows a night. The unique keys below
    # serve the lookups by user, by redemption and by reversed entry; FK columns get no extra index.
    # One more serves the resident's history page (newest 20 of years of entries: 11 ms sorted
    # without it, 0.2 ms with it, for three years of daily credits); it costs settlement about a
    # third more time, once a night.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellness_ledger", db_index=False
    )
    kind = models.CharField(_("種類"), max_length=8, choices=EntryKind.choices)
    points = models.IntegerField(_("ポイント"))
    day = models.DateField(_("対象日"), null=True, blank=True)
    rule_code = models.CharField(_("ルール"), max_length=32, null=True, blank=True)
    rule = models.ForeignKey(PointRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    run = models.ForeignKey(
        SettlementRun, null=True, blank=True, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    redemption = models.ForeignKey(
        Redemption, null=True, blank=True, on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    reverses = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reversed_by", db_index=False
    )
    note = models.CharField(_("備考"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("記帳日時"))

    @property
    def kind_label(self):
        """get_kind_display without rebuilding the choices dict of lazy labels on every row."""
        return EntryKind(self.kind).label

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ポイント台帳")
        verbose_name_plural = _("ポイント台帳")
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="wellness_ledger_by_user_newest")]
        constraints = [
            # One credit per resident, day and rule: settlement can never credit twice.
            models.UniqueConstraint(fields=["user", "day", "rule_code"], name="wellness_ledger_once_per_day_rule"),
            models.UniqueConstraint(
                fields=["redemption", "kind"], condition=Q(redemption__isnull=False),
                name="wellness_ledger_once_per_redemption",
            ),
            models.UniqueConstraint(
                fields=["reverses"], condition=Q(reverses__isnull=False), name="wellness_ledger_reversed_once"
            ),
            models.CheckConstraint(condition=~Q(points=0), name="wellness_ledger_points_nonzero"),
            models.CheckConstraint(
                condition=~Q(kind="credit") | Q(points__gt=0, day__isnull=False, rule_code__isnull=False),
                name="wellness_ledger_credit_shape",
            ),
            models.CheckConstraint(
                condition=Q(kind="credit") | Q(day__isnull=True, rule_code__isnull=True),
                name="wellness_ledger_only_credits_keyed",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("ledger entries are append-only")
