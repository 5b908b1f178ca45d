"""Young-carer support (ヤングケアラーへの支援): a household's case, its plan, the helper visits.

Sensitive fields (要配慮個人情報) are the case's own: the guardian's name, address and phone, the
children, the reason and its free text, the notes. They never appear in a URL, a log line or a
notification; the agency sees only what a visit needs (Visit + the case's address, contact and
tasks, through selectors.agency_visits). After a closed case's retention period they are erased
(services.cases_erase_expired), keeping only the figures the monthly reports need."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asahikawa.accounts.models import HelperAgency


class Reason(models.TextChoices):
    ILLNESS = "illness", _("保護者の病気")
    DISABILITY = "disability", _("保護者の障がい")
    CARING = "caring", _("ほかの家族の介護・看護")
    OTHER = "other", _("その他")


class Task(models.TextChoices):
    COOKING = "cooking", _("調理")
    CLEANING = "cleaning", _("掃除")
    LAUNDRY = "laundry", _("洗濯")
    SHOPPING = "shopping", _("買い物")
    SIBLINGS = "siblings", _("きょうだいの世話")


class Weekday(models.IntegerChoices):
    MON = 0, pgettext_lazy("weekday", "月")
    TUE = 1, pgettext_lazy("weekday", "火")
    WED = 2, pgettext_lazy("weekday", "水")
    THU = 3, pgettext_lazy("weekday", "木")
    FRI = 4, pgettext_lazy("weekday", "金")
    SAT = 5, pgettext_lazy("weekday", "土")
    SUN = 6, pgettext_lazy("weekday", "日")


def weekday_mask(days) -> int:
    """Weekdays (0 = Monday) as a bit mask: set-based generation tests a bit in SQL."""
    mask = 0
    for day in days:
        mask |= 1 << int(day)
    return mask


def mask_weekdays(mask: int) -> list[int]:
    return [day for day in range(7) if mask & (1 << day)]


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("審査待ち")
    INFO_REQUESTED = "info_requested", _("追加の情報を依頼中")
    DECLINED = "declined", _("見送り")
    ACTIVE = "active", _("支援中")
    CLOSED = "closed", _("終了")


class Case(models.Model):
    """One household's application and, once approved, its plan."""

    class AppliedBy(models.TextChoices):
        GUARDIAN = "guardian", _("保護者")
        CASEWORKER = "caseworker", _("ケースワーカー")

    status = models.CharField(
        _("現在の状況"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    household = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("世帯のアカウント"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carer_cases",
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申請した人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_as = models.CharField(_("申請の経路"), max_length=16, choices=AppliedBy.choices)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当ケースワーカー"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carer_caseload",
    )
    # Sensitive (erased after the retention period).
    guardian_name = models.CharField(_("保護者の氏名"), max_length=64)
    address = models.CharField(_("住所"), max_length=200)
    phone = models.CharField(_("連絡先の電話番号"), max_length=32)
    children = models.JSONField(_("子ども（年齢・学校）"), default=list, blank=True)
    reason = models.CharField(_("理由"), max_length=16, choices=Reason.choices, blank=True)
    reason_detail = models.TextField(_("理由の詳細"), max_length=1000, blank=True)
    household_note = models.TextField(_("世帯からの追加情報"), max_length=1000, blank=True)
    # The request.
    services_wanted = models.JSONField(_("希望する支援"), default=list)
    preferred_weekdays = models.PositiveSmallIntegerField(_("希望する曜日"), default=0)
    preferred_hours = models.CharField(_("希望する時間帯"), max_length=64, blank=True)
    wanted_from = models.DateField(_("希望する期間（開始）"))
    wanted_to = models.DateField(_("希望する期間（終了）"))
    consent_at = models.DateTimeField(_("要配慮個人情報の取扱いへの同意日時"))
    submitted_at = models.DateTimeField(_("受付日時"), default=timezone.now, db_index=True)
    # The plan (when approved).
    plan_start = models.DateField(_("計画の開始日"), null=True, blank=True)
    plan_end = models.DateField(_("計画の終了日"), null=True, blank=True)
    plan_weekdays = models.PositiveSmallIntegerField(_("訪問する曜日"), default=0)
    minutes_per_visit = models.PositiveSmallIntegerField(_("1回の時間（分）"), null=True, blank=True)
    plan_tasks = models.JSONField(_("支援の内容"), default=list, blank=True)
    agency = models.ForeignKey(
        HelperAgency,
        verbose_name=_("家事支援事業者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carer_cases",
    )
    closed_on = models.DateField(_("終了日"), null=True, blank=True)
    erase_after = models.DateField(_("個人情報を消去する日"), null=True, blank=True, db_index=True)
    erased_at = models.DateTimeField(_("個人情報を消去した日時"), null=True, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("家事支援のケース")
        verbose_name_plural = _("家事支援のケース")
        constraints = [
            models.CheckConstraint(condition=Q(wanted_from__lte=models.F("wanted_to")), name="carers_wanted_period"),
            models.CheckConstraint(
                condition=Q(plan_start__isnull=True) | Q(plan_end__isnull=False, plan_start__lte=models.F("plan_end")),
                name="carers_plan_period",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ACTIVE)
                | Q(plan_start__isnull=False, agency__isnull=False, minutes_per_visit__gt=0, plan_weekdays__gt=0),
                name="carers_active_has_plan",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self) -> str:
        """The case's reference (no personal data: safe in a URL, a log line, a notification)."""
        return f"YC-{self.pk:06d}"

    @property
    def visits_per_week(self) -> int:
        return bin(self.plan_weekdays).count("1")

    def weekday_labels(self, mask=None) -> list[str]:
        return [str(Weekday(day).label) for day in mask_weekdays(self.plan_weekdays if mask is None else mask)]

    def task_labels(self, tasks=None) -> list[str]:
        return [str(Task(code).label) for code in (self.plan_tasks if tasks is None else tasks) if code in Task.values]

    def wanted_labels(self) -> list[str]:
        return self.task_labels(self.services_wanted)

    def preferred_labels(self) -> list[str]:
        return self.weekday_labels(self.preferred_weekdays)


class CaseEvent(models.Model):
    """The history of a case: who did what, when and why (append-only)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("申請")
        INFO_REQUESTED = "info_requested", _("追加の情報を依頼")
        INFO_GIVEN = "info_given", _("追加の情報を提出")
        DECLINED = "declined", _("見送り")
        APPROVED = "approved", _("計画を承認")
        EXTENDED = "extended", _("期間を延長")
        ENDED = "ended", _("期間を短縮して終了")
        CLOSED = "closed", _("終了")
        ERASED = "erased", _("個人情報を消去")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["at", "pk"]


class Visit(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("予定")
        DONE = "done", _("実施済み")
        CANCELLED = "cancelled", _("中止")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    agency = models.ForeignKey(HelperAgency, on_delete=models.PROTECT, related_name="carer_visits")
    date = models.DateField(_("訪問日"))
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    helper_name = models.CharField(_("担当ヘルパー"), max_length=64, blank=True)
    state = models.CharField(_("現在の状況"), max_length=16, choices=State.choices, default=State.SCHEDULED)
    tasks = models.JSONField(_("支援の内容"), default=list, blank=True)  # the plan's, when generated
    tasks_done = models.JSONField(_("実施した支援"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(_("実施した時間（分）"), null=True, blank=True)
    note = models.CharField(_("ひとこと"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("中止の理由"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("ヘルパーの訪問")
        verbose_name_plural = _("ヘルパーの訪問")
        constraints = [
            models.UniqueConstraint(fields=["case", "date"], name="carers_one_visit_a_day"),
            models.CheckConstraint(condition=~Q(state="done") | Q(minutes__gt=0), name="carers_done_has_minutes"),
        ]
        indexes = [models.Index(fields=["date", "state"]), models.Index(fields=["agency", "date"])]

    def task_labels(self) -> list[str]:
        return [str(Task(code).label) for code in self.tasks if code in Task.values]

    def done_labels(self) -> list[str]:
        return [str(Task(code).label) for code in self.tasks_done or [] if code in Task.values]


class AgencyRate(models.Model):
    """What the city pays an agency per hour of helper visits (set by child-welfare staff)."""

    agency = models.OneToOneField(
        HelperAgency, verbose_name=_("家事支援事業者"), on_delete=models.CASCADE, related_name="carer_rate"
    )
    yen_per_hour = models.PositiveIntegerField(_("1時間あたりの単価（円）"))

    class Meta:
        verbose_name = _("家事支援事業者の単価")
        verbose_name_plural = _("家事支援事業者の単価")

    def __str__(self):
        return f"{self.agency}: {self.yen_per_hour}"


class Settings(models.Model):
    """The retention period of closed cases and the default hourly rate (one row, set by staff)."""

    retention_days = models.PositiveSmallIntegerField(
        _("終了したケースの個人情報を保存する日数"),
        default=1825,
        help_text=_(
            "終了（または見送り）からこの日数が過ぎると、氏名・住所・理由などを消去し、訪問の回数と時間だけを残します。"
        ),
    )
    default_yen_per_hour = models.PositiveIntegerField(_("単価の既定値（円／時間）"), default=2500)

    class Meta:
        verbose_name = _("家事支援の設定")
        verbose_name_plural = _("家事支援の設定")
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_days__gte=1, retention_days__lte=3650), name="carers_retention_range"
            )
        ]

    def __str__(self):
        return str(self.retention_days)

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()
