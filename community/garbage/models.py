"""Garbage collection calendar (ごみカレンダー).

- A CollectionDistrict is a collection pattern ("3-A"); many Area names map to one pattern. The
  platform's accounts.District (a resident's Profile.district) points at the pattern its residents
  see first (`platform_district`, at most one pattern per district); a resident may choose another
  (ResidentDistrict), and the public's choice is kept in the session.
- A Category is a kind of garbage (燃やせるごみ ...): colour, letter and shape (never colour alone).
- A Rule says when one district collects one category in one fiscal year (April to March): weekly
  weekdays, nth weekdays of the month, every other week from an anchor date, or explicit dates,
  optionally limited to some months; with a choice per rule for national holidays (collect, skip,
  a week later) and closures (skip, a week later).
- A Closure stops collection for some days (the year end, Dec 29 - Jan 4 in Asahikawa), for one
  center's districts or for all (blank center); a Change is a one-off change entered by staff
  (an added, a skipped or a moved day) with a reason shown to residents.
- Item: what the sorting search (分別) finds.

Computed calendars are cached per district and fiscal year (calendar.py). Every service that
writes any of these bumps the districts' `cache_token` (services.districts_touch), so nothing
stale is ever served.
"""
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from asahikawa.dates import fiscal_year_of

WEEKDAY_LETTERS = "月火水木金土日"  # Monday = 0, as Python's date.weekday()
HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MIN_YEAR, MAX_YEAR = 2000, 2100


def validate_colour(value):
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(_("色は #RRGGBB の形で入力してください。"))


@deconstructible
class DigitsValidator:
    """Each character one of `allowed`, none twice (weekdays "03", weeks "13")."""

    def __init__(self, allowed: str):
        self.allowed = allowed

    def __call__(self, value):
        if any(char not in self.allowed for char in value or "") or len(set(value or "")) != len(value or ""):
            raise ValidationError(_("使える文字は %(allowed)s です（重ねずに）。") % {"allowed": self.allowed})

    def __eq__(self, other):
        return isinstance(other, DigitsValidator) and other.allowed == self.allowed


def new_token() -> str:
    return uuid.uuid4().hex


class CollectionDistrict(models.Model):
    code = models.SlugField(_("コード"), max_length=32, unique=True, help_text=_("URLとカレンダー配信に使います（例: 3-a）"))
    name = models.CharField(_("収集地区名"), max_length=64, help_text=_("例: 3-A"))
    center = models.CharField(_("収集センター"), max_length=64, blank=True,
                              help_text=_("休止期間がセンターごとに違うときに使います（空欄: 全市の休止期間のみ）"))
    platform_district = models.OneToOneField(
        "accounts.District", verbose_name=_("この地区の住民に最初に表示する"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="garbage_district",
        help_text=_("プロフィールでこの地区を選んだ住民には、この収集地区を最初に表示します"),
    )
    is_sample = models.BooleanField(_("サンプル"), default=False)
    # Bumped (a new random token, revision + 1) by every service that changes what this district's
    # calendar computes to. The cache keys carry the token; the feed's SEQUENCE is the revision.
    cache_token = models.CharField(max_length=32, default=new_token, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("収集地区")
        verbose_name_plural = _("収集地区")

    def __str__(self):
        return self.name


class Area(models.Model):
    """An area name (町名・丁目) of the city, in one collection pattern."""

    name = models.CharField(_("地名"), max_length=128, unique=True)
    district = models.ForeignKey(CollectionDistrict, verbose_name=_("収集地区"), on_delete=models.CASCADE,
                                 related_name="areas")
    position = models.PositiveIntegerField(_("並び順"), default=0)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("地名")
        verbose_name_plural = _("地名")

    def __str__(self):
        return self.name


class Shape(models.TextChoices):
    CIRCLE = "circle", _("丸")
    SQUARE = "square", _("四角")
    DIAMOND = "diamond", _("ひし形")
    TRIANGLE = "triangle", _("三角")
    HEXAGON = "hexagon", _("六角形")


class Category(models.Model):
    code = models.SlugField(_("コード"), max_length=32, unique=True)
    name = models.CharField(_("分別名"), max_length=64, unique=True, help_text=_("5374形式の description.csv の label"))
    name_en = models.CharField(_("分別名（英語）"), max_length=64, blank=True)
    colour = models.CharField(_("色"), max_length=7, validators=[validate_colour],
                              help_text=_("色覚の多様性に配慮した色を（文字と形でも区別します）"))
    letter = models.CharField(_("表示文字"), max_length=2, help_text=_("色だけに頼らないための1文字（例: 燃）"))
    shape = models.CharField(_("形"), max_length=10, choices=Shape.choices, default=Shape.CIRCLE)
    bag = models.CharField(_("出し方（袋など）"), max_length=200, blank=True, help_text=_("5374形式の sublabel"))
    instructions = models.TextField(_("出し方の注意"), blank=True, help_text=_("5374形式の description"))
    icon = models.CharField(_("5374形式の画像（styles）"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("並び順"), default=0)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("分別区分")
        verbose_name_plural = _("分別区分")

    def __str__(self):
        return self.name

    @property
    def ink(self) -> str:
        """Black or white, whichever reads better on the colour (WCAG contrast)."""
        return ink_for(self.colour)


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(char * 2 for char in value)
    channels = []
    for index in range(0, 6, 2):
        channel = int(value[index:index + 2], 16) / 255
        channels.append(channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ink_for(colour: str) -> str:
    try:
        luminance = _luminance(colour)
    except ValueError:
        return "#000000"
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


class RuleKind(models.TextChoices):
    WEEKLY = "weekly", _("毎週（曜日）")
    NTH = "nth", _("毎月の第n曜日")
    BIWEEKLY = "biweekly", _("隔週（基準日から2週間ごと）")
    DATES = "dates", _("日付の指定")


class OnHoliday(models.TextChoices):
    COLLECT = "collect", _("祝日も収集する")
    SKIP = "skip", _("祝日は休み")
    NEXT_WEEK = "next_week", _("祝日は1週間後に")


class OnClosure(models.TextChoices):
    SKIP = "skip", _("休止期間は休み")
    NEXT_WEEK = "next_week", _("休止期間は1週間後に")


class Rule(models.Model):
    """When one district collects one category in one fiscal year.

    weekly:   every `weekdays` (e.g. "03" = Monday and Thursday; Monday is 0)
    nth:      the `weeks`-th (e.g. "13" = 1st and 3rd) of each of `weekdays` in the month
    biweekly: every other week on the anchor's weekday, counted from `anchor`
    dates:    the listed `dates` exactly (holidays and closures do not apply)
    `months` ("4 6 8", empty = every month) limits the first three.
    """

    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    district = models.ForeignKey(CollectionDistrict, verbose_name=_("収集地区"), on_delete=models.CASCADE,
                                 related_name="rules")
    category = models.ForeignKey(Category, verbose_name=_("分別区分"), on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("種類"), max_length=10, choices=RuleKind.choices)
    weekdays = models.CharField(_("曜日"), max_length=7, blank=True, validators=[DigitsValidator("0123456")],
                                help_text=_("0=月 1=火 2=水 3=木 4=金 5=土 6=日（例: 03 は月と木）"))
    weeks = models.CharField(_("第n週"), max_length=5, blank=True, validators=[DigitsValidator("12345")],
                             help_text=_("毎月の第n曜日のとき（例: 13 は第1・第3）"))
    anchor = models.DateField(_("隔週の基準日"), null=True, blank=True)
    months = models.CharField(_("対象の月"), max_length=40, blank=True, help_text=_("空欄: 毎月。例: 4 6 8 10 12 2"))
    dates = models.JSONField(_("収集日（日付の指定）"), default=list, blank=True,
                             help_text=_('["2023-04-15", "2023-05-20"] の形'))
    on_holiday = models.CharField(_("祝日のとき"), max_length=10, choices=OnHoliday.choices, default=OnHoliday.COLLECT)
    on_closure = models.CharField(_("休止期間のとき"), max_length=10, choices=OnClosure.choices, default=OnClosure.SKIP)
    remark = models.CharField(_("注意事項"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["fiscal_year", "district", "category", "position", "pk"]
        verbose_name = _("収集ルール")
        verbose_name_plural = _("収集ルール")
        indexes = [models.Index(fields=["district", "fiscal_year"], name="garbage_rule_district_year")]
        constraints = [
            models.CheckConstraint(condition=Q(fiscal_year__gte=MIN_YEAR, fiscal_year__lte=MAX_YEAR),
                                   name="garbage_rule_year_range"),
            models.CheckConstraint(condition=~Q(kind="weekly") | ~Q(weekdays=""), name="garbage_rule_weekly_days"),
            models.CheckConstraint(condition=~Q(kind="nth") | (~Q(weekdays="") & ~Q(weeks="")),
                                   name="garbage_rule_nth_params"),
            models.CheckConstraint(condition=~Q(kind="biweekly") | Q(anchor__isnull=False),
                                   name="garbage_rule_biweekly_anchor"),
        ]

    def __str__(self):
        return f"{self.district} {self.category} {self.describe()}"

    def month_set(self) -> frozenset:
        return frozenset(int(value) for value in self.months.replace(",", " ").split() if value.isdigit())

    def date_list(self) -> list:
        import datetime

        return sorted({datetime.date.fromisoformat(value) for value in self.dates or []})

    def describe(self) -> str:
        from .format5374 import rule_tokens

        return " ".join(rule_tokens(self))

    def clean(self):
        errors = {}
        if self.kind == RuleKind.WEEKLY and not self.weekdays:
            errors["weekdays"] = _("毎週のルールには曜日が必要です。")
        if self.kind == RuleKind.NTH:
            if not self.weekdays:
                errors["weekdays"] = _("第n曜日のルールには曜日が必要です。")
            if not self.weeks:
                errors["weeks"] = _("第n曜日のルールには第何週かが必要です。")
        if self.kind == RuleKind.BIWEEKLY and not self.anchor:
            errors["anchor"] = _("隔週のルールには基準日が必要です。")
        for month in self.months.replace(",", " ").split():
            if not (month.isdigit() and 1 <= int(month) <= 12):
                errors["months"] = _("月は1〜12の数字を空白で区切って入力してください。")
                break
        if self.kind == RuleKind.DATES:
            try:
                days = self.date_list()
            except (TypeError, ValueError):
                errors["dates"] = _("日付は YYYY-MM-DD の形で入力してください。")
            else:
                if not days:
                    errors["dates"] = _("日付を1つ以上入力してください。")
                elif self.fiscal_year and any(fiscal_year_of(day) != self.fiscal_year for day in days):
                    errors["dates"] = _("日付はすべてこの年度（4月〜翌年3月）の中にしてください。")
        if errors:
            raise ValidationError(errors)


class Closure(models.Model):
    """Days without collection (e.g. Dec 29 - Jan 4), data per fiscal year."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    center = models.CharField(_("収集センター"), max_length=64, blank=True, help_text=_("空欄: 全市"))
    starts = models.DateField(_("休止開始日"))
    ends = models.DateField(_("休止終了日"))
    reason = models.CharField(_("理由"), max_length=200, blank=True, help_text=_("例: 年末年始"))
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["starts"]
        verbose_name = _("収集の休止期間")
        verbose_name_plural = _("収集の休止期間")
        constraints = [models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="garbage_closure_period")]

    def __str__(self):
        return f"{self.starts}〜{self.ends} {self.center}".strip()

    def clean(self):
        if self.starts and self.ends:
            if self.ends < self.starts:
                raise ValidationError({"ends": _("終了日は開始日以降にしてください。")})
            if (self.ends - self.starts).days > 62:
                raise ValidationError({"ends": _("休止期間は2か月以内にしてください。")})


class ChangeKind(models.TextChoices):
    ADD = "add", _("臨時の収集日を追加")
    SKIP = "skip", _("この日の収集は休み")
    MOVE = "move", _("収集日を変更")


class Change(models.Model):
    """A one-off change of one district's calendar for one category, with the reason residents see."""

    district = models.ForeignKey(CollectionDistrict, verbose_name=_("収集地区"), on_delete=models.CASCADE,
                                 related_name="changes")
    category = models.ForeignKey(Category, verbose_name=_("分別区分"), on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("種類"), max_length=8, choices=ChangeKind.choices)
    day = models.DateField(_("日付"), help_text=_("追加する日、休みにする日、または変更前の収集日"))
    new_day = models.DateField(_("変更後の日付"), null=True, blank=True)
    reason = models.CharField(_("理由（住民に表示）"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["day"]
        verbose_name = _("収集日の臨時変更")
        verbose_name_plural = _("収集日の臨時変更")
        constraints = [
            models.UniqueConstraint(fields=["district", "category", "day"], name="garbage_change_once_per_day"),
            models.CheckConstraint(condition=Q(kind="move", new_day__isnull=False) | (~Q(kind="move") & Q(new_day__isnull=True)),
                                   name="garbage_change_move_has_new_day"),
            models.CheckConstraint(condition=~Q(new_day=models.F("day")), name="garbage_change_moves_somewhere"),
        ]
        indexes = [models.Index(fields=["district", "fiscal_year"], name="garbage_change_district_year")]

    def __str__(self):
        return f"{self.district} {self.category} {self.day} {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if self.kind == ChangeKind.MOVE:
            if not self.new_day:
                errors["new_day"] = _("変更後の日付を入力してください。")
            elif self.day and self.new_day == self.day:
                errors["new_day"] = _("変更後の日付は変更前と違う日にしてください。")
            elif self.day and fiscal_year_of(self.new_day) != fiscal_year_of(self.day):
                errors["new_day"] = _("変更後の日付は同じ年度（4月〜翌年3月）の中にしてください。")
        elif self.new_day:
            errors["new_day"] = _("変更後の日付は「収集日を変更」のときだけ入力します。")
        if not (self.reason or "").strip():
            errors["reason"] = _("住民に表示する理由を入力してください。")
        if errors:
            raise ValidationError(errors)


class Item(models.Model):
    """An item of the sorting search: its category and how to put it out."""

    name = models.CharField(_("品目"), max_length=128)
    furigana = models.CharField(_("ふりがな"), max_length=128, blank=True)
    category = models.ForeignKey(Category, verbose_name=_("分別区分"), on_delete=models.CASCADE, related_name="items")
    notice = models.CharField(_("出し方の注意"), max_length=300, blank=True)
    # fold(name), fold(furigana) and fold(reading(name)) on separate lines (services.item_search_key).
    search_key = models.TextField(editable=False, default="")
    position = models.PositiveIntegerField(default=0)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("品目（分別）")
        verbose_name_plural = _("品目（分別）")

    def __str__(self):
        return self.name


class ResidentDistrict(models.Model):
    """The collection district a signed-in resident chose (without one: their profile district's)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="garbage_choice")
    district = models.ForeignKey(CollectionDistrict, on_delete=models.CASCADE, related_name="residents")
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("住民が選んだ収集地区")
        verbose_name_plural = _("住民が選んだ収集地区")
