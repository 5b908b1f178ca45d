"""The subsidy engine (補助金の申請): programs that staff configure, applications that residents and
businesses make online, and the workflow between them (the table of allowed steps is in workflow.py).

One engine for every department: each Program names the department whose staff run it (agriculture
for the farm, energy and house programs; child_welfare for the newborn hearing-test claim).

Money is an integer of yen everywhere (formula.py computes it). Subsidy documents are sensitive
personal information: they live in the private storage (asahikawa.uploads), every staff read of an
application or one of its documents is written to the access log, and a resident sees only their own.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from asahikawa.dates import wareki
from asahikawa.departments import DEPARTMENTS
from asahikawa.uploads import document_path, private_storage

from .formula import MAX_COST, Formula

MAX_LINE_ITEMS = 20


def _english() -> bool:
    return (get_language() or "").split("-")[0] == "en"


def localized(obj, field: str) -> str:
    """obj.<field>_en in English when it is filled in, else the Japanese obj.<field>."""
    if _english():
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class ApplicantType(models.TextChoices):
    INDIVIDUAL = "individual", _("個人")
    FARM = "farm", _("農業経営体（個人事業）")
    CORPORATION = "corporation", _("法人")


class Selection(models.TextChoices):
    FIRST_COME = "first_come", _("先着順（受付順に審査）")
    LOTTERY = "lottery", _("抽選（受付期間の終了後）")


class Stage(models.TextChoices):
    APPLICATION = "application", _("申請時")
    COMPLETION = "completion", _("実績報告時")


class Status(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("受付済み")
    UNDER_REVIEW = "under_review", _("審査中")
    RETURNED = "returned", _("差戻し（修正が必要）")
    RESUBMITTED = "resubmitted", _("再提出済み")
    APPROVED = "approved", _("交付決定")
    COMPLETION_REPORTED = "completion_reported", _("実績報告済み")
    CONFIRMED = "confirmed", _("交付確定")
    PAID = "paid", _("支払済み")
    REJECTED = "rejected", _("不交付")
    WITHDRAWN = "withdrawn", _("取下げ")


# Applications that hold a grant (they count against the program's quota).
GRANTED = (Status.APPROVED, Status.COMPLETION_REPORTED, Status.CONFIRMED, Status.PAID)
# The applicant may change these.
EDITABLE = (Status.DRAFT, Status.RETURNED)
# Waiting for staff.
WAITING = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.RESUBMITTED)
# Still competing for a grant (the lottery draws among them).
PENDING = (*WAITING, Status.RETURNED)

PROGRAM_CODE = RegexValidator(r"^[A-Z][A-Z0-9]{1,11}$", _("英大文字で始まる2〜12文字の英大文字・数字にしてください。"))


class Program(models.Model):
    """A grant program of one fiscal year, as staff configure it."""

    code = models.CharField(
        _("制度コード"), max_length=12, validators=[PROGRAM_CODE],
        help_text=_("受付番号に使います（例: SMART → R5-SMART-000123）"),
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2019), MaxValueValidator(2100)], help_text=_("西暦（2023 = 令和5年度）")
    )
    department = models.CharField(_("担当部"), max_length=32, choices=list(DEPARTMENTS.items()))
    name = models.CharField(_("制度名"), max_length=120)
    name_en = models.CharField(_("制度名（英語）"), max_length=120, blank=True)
    description = models.TextField(_("説明"), blank=True)
    description_en = models.TextField(_("説明（英語）"), blank=True)
    opens_on = models.DateField(_("受付開始日"))
    closes_on = models.DateField(_("受付終了日"))
    allow_individual = models.BooleanField(_("個人が申請できる"), default=False)
    allow_farm = models.BooleanField(_("農業経営体が申請できる"), default=False)
    allow_corporation = models.BooleanField(_("法人が申請できる"), default=False)
    # The formula (formula.py).
    rate_numerator = models.PositiveIntegerField(_("補助率（分子）"))
    rate_denominator = models.PositiveIntegerField(_("補助率（分母）"), help_text=_("例: 2/10 なら分子2・分母10"))
    cap = models.PositiveBigIntegerField(_("1件あたりの上限額（円）"), null=True, blank=True)
    rounding_unit = models.PositiveIntegerField(
        _("端数処理の単位（円）"), default=1000, validators=[MinValueValidator(1)],
        help_text=_("この単位未満を切り捨てます（1000 なら千円未満切り捨て）"),
    )
    combined_numerator = models.PositiveIntegerField(_("国の補助との合計の上限（分子）"), null=True, blank=True)
    combined_denominator = models.PositiveIntegerField(
        _("国の補助との合計の上限（分母）"), null=True, blank=True,
        help_text=_("国の補助と併用する制度だけ。例: 市と国で対象経費の5/10まで"),
    )
    # The quota and how an oversubscribed program selects.
    max_grants = models.PositiveIntegerField(_("交付予定件数"), null=True, blank=True)
    budget = models.PositiveBigIntegerField(_("予算額（円）"), null=True, blank=True)
    selection = models.CharField(_("選び方"), max_length=16, choices=Selection.choices, default=Selection.FIRST_COME)
    completion_due = models.DateField(_("実績報告の期限"), null=True, blank=True)
    staff_reminder_days = models.PositiveSmallIntegerField(
        _("職員へのリマインダー（日数）"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("この日数より長く審査を待っている申請を担当部の職員に知らせます"),
    )
    published = models.BooleanField(_("公開"), default=True)
    # Which values are invented for the demo (shown with a サンプル label): keys of SAMPLE_KEYS.
    sample_values = models.JSONField(_("サンプルの値"), default=list, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    SAMPLE_KEYS = ("window", "applicants", "rate", "cap", "unit", "max_grants", "budget", "selection",
                   "completion_due", "questions", "documents", "description")

    class Meta:
        ordering = ["-fiscal_year", "department", "code"]
        verbose_name = _("補助金の制度")
        verbose_name_plural = _("補助金の制度")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "code"], name="grants_program_code_per_year"),
            models.CheckConstraint(condition=Q(rate_denominator__gte=1, rate_numerator__lte=F("rate_denominator")),
                                   name="grants_program_rate_fraction"),
            models.CheckConstraint(
                condition=Q(combined_numerator__isnull=True, combined_denominator__isnull=True)
                | Q(combined_denominator__gte=1, combined_numerator__lte=F("combined_denominator")),
                name="grants_program_combined_fraction",
            ),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="grants_program_window"),
            models.CheckConstraint(condition=Q(rounding_unit__gte=1), name="grants_program_unit"),
            models.CheckConstraint(condition=Q(allow_individual=True) | Q(allow_farm=True) | Q(allow_corporation=True),
                                   name="grants_program_someone_may_apply"),
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.code} {self.name}"

    def clean(self):
        errors = {}
        if self.rate_denominator is not None and self.rate_numerator is not None:
            if self.rate_denominator < 1 or self.rate_numerator > self.rate_denominator:
                errors["rate_numerator"] = _("補助率は0〜1の分数にしてください（分子は分母以下）。")
        if (self.combined_numerator is None) != (self.combined_denominator is None):
            errors["combined_denominator"] = _("国の補助との合計の上限は、分子と分母の両方を入れてください。")
        elif self.combined_denominator is not None and (
            self.combined_denominator < 1 or self.combined_numerator > self.combined_denominator
        ):
            errors["combined_numerator"] = _("合計の上限は0〜1の分数にしてください（分子は分母以下）。")
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("受付終了日は受付開始日以降にしてください。")
        if not (self.allow_individual or self.allow_farm or self.allow_corporation):
            errors["allow_individual"] = _("申請できる人を1つ以上選んでください。")
        if self.cap is not None and self.rounding_unit and self.cap % self.rounding_unit:
            errors["cap"] = _("上限額は端数処理の単位の倍数にしてください。")
        unknown = [key for key in self.sample_values or [] if key not in self.SAMPLE_KEYS]
        if unknown:
            errors["sample_values"] = _("サンプルの値に使えるキーは次のとおりです: %(keys)s") % {"keys": ", ".join(self.SAMPLE_KEYS)}
        if errors:
            raise ValidationError(errors)

    @property
    def title(self) -> str:
        return localized(self, "name")

    @property
    def text(self) -> str:
        return localized(self, "description")

    @property
    def formula(self) -> Formula:
        return Formula(
            rate_numerator=self.rate_numerator, rate_denominator=self.rate_denominator, cap=self.cap,
            unit=self.rounding_unit, combined_numerator=self.combined_numerator,
            combined_denominator=self.combined_denominator,
        )

    @property
    def combines(self) -> bool:
        return self.combined_numerator is not None

    @property
    def applicant_types(self) -> list[str]:
        allowed = {ApplicantType.INDIVIDUAL: self.allow_individual, ApplicantType.FARM: self.allow_farm,
                   ApplicantType.CORPORATION: self.allow_corporation}
        return [kind for kind, ok in allowed.items() if ok]

    def applicant_type_labels(self) -> list[str]:
        return [ApplicantType(kind).label for kind in self.applicant_types]

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.published and self.opens_on <= day <= self.closes_on

    def phase(self, day=None) -> str:
        day = day or timezone.localdate()
        if day < self.opens_on:
            return "before"
        return "open" if day <= self.closes_on else "closed"

    def is_sample_value(self, key: str) -> bool:
        return self.is_sample or key in (self.sample_values or [])

    @property
    def era_prefix(self) -> str:
        """R5 for FY2023 (令和5年度): the receipt numbers' first part."""
        era, number = wareki(self.fiscal_year)
        return f"{ERA_LETTERS[era]}{number}"


ERA_LETTERS = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}


class EligibilityQuestion(models.Model):
    """A yes/no question asked before an application starts; the disqualifying answer stops it
    with the reason."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    text = models.CharField(_("質問"), max_length=300)
    text_en = models.CharField(_("質問（英語）"), max_length=300, blank=True)
    disqualifying_answer = models.BooleanField(
        _("対象外となる回答"), default=False, help_text=_("チェックあり: 「はい」で対象外。なし: 「いいえ」で対象外")
    )
    reason = models.CharField(_("対象外の理由"), max_length=300)
    reason_en = models.CharField(_("対象外の理由（英語）"), max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("対象要件の質問")
        verbose_name_plural = _("対象要件の質問")

    def __str__(self):
        return self.text

    @property
    def label(self) -> str:
        return localized(self, "text")

    @property
    def reason_text(self) -> str:
        return localized(self, "reason")


class DocumentRequirement(models.Model):
    """A document the applicant uploads, at application or with the completion report."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="requirements")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    stage = models.CharField(_("提出の時期"), max_length=16, choices=Stage.choices, default=Stage.APPLICATION)
    name = models.CharField(_("書類名"), max_length=120)
    name_en = models.CharField(_("書類名（英語）"), max_length=120, blank=True)
    required = models.BooleanField(_("必須"), default=True)

    class Meta:
        ordering = ["stage", "order", "id"]
        verbose_name = _("提出書類")
        verbose_name_plural = _("提出書類")

    def __str__(self):
        return self.name

    @property
    def title(self) -> str:
        return localized(self, "name")

    @property
    def stage_label(self):
        """get_stage_display without rebuilding the choices dict of lazy labels on every row."""
        return Stage(self.stage).label


class Application(models.Model):
    """One application to one program. Its status changes only through the workflow's services
    (services.py, with the table of workflow.py); every change is a StatusChange row."""

    program = models.ForeignKey(Program, verbose_name=_("制度"), on_delete=models.PROTECT, related_name="applications")
    # Kept, detached, when the account is deleted after a grant decision (the city's record of a
    # public payment); every other application goes with the account.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申請者"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="grant_applications",
    )
    status = models.CharField(_("状況"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    receipt_number = models.CharField(_("受付番号"), max_length=32, unique=True, null=True, blank=True)
    applicant_type = models.CharField(_("申請者の区分"), max_length=16, choices=ApplicantType.choices,
                                      default=ApplicantType.INDIVIDUAL)
    applicant_name = models.CharField(_("氏名（法人は代表者名）"), max_length=100, blank=True)
    business_name = models.CharField(_("事業者名・法人名"), max_length=150, blank=True)
    applicant_address = models.CharField(_("住所"), max_length=200, blank=True)
    applicant_phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    eligibility = models.JSONField(_("対象要件への回答"), default=dict, blank=True)
    national_subsidy = models.PositiveBigIntegerField(
        _("国の補助の額（円）"), default=0, validators=[MaxValueValidator(MAX_COST)]
    )
    eligible_cost = models.PositiveBigIntegerField(_("対象経費（税抜・円）"), default=0)
    requested_amount = models.PositiveBigIntegerField(_("申請額（円）"), default=0)
    approved_amount = models.PositiveBigIntegerField(_("交付決定額（円）"), null=True, blank=True)
    actual_cost = models.PositiveBigIntegerField(_("実績の経費（税抜・円）"), null=True, blank=True)
    confirmed_amount = models.PositiveBigIntegerField(_("交付確定額（円）"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("受付日時"), null=True, blank=True)
    decided_at = models.DateTimeField(_("交付決定日時"), null=True, blank=True)
    completion_reported_at = models.DateTimeField(_("実績報告日時"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("交付確定日時"), null=True, blank=True)
    paid_at = models.DateTimeField(_("支払日時"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("状況の更新日時"), default=timezone.now)
    lottery_rank = models.PositiveIntegerField(_("抽選の順位"), null=True, blank=True)
    lottery_won = models.BooleanField(_("抽選の結果"), null=True, blank=True)
    is_sample = models.BooleanField(_("サンプル"), default=False)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("補助金の申請")
        verbose_name_plural = _("補助金の申請")
        constraints = [
            models.CheckConstraint(condition=Q(status=Status.DRAFT) | Q(receipt_number__isnull=False),
                                   name="grants_application_receipt_once_submitted"),
            models.CheckConstraint(condition=~Q(status__in=GRANTED) | Q(approved_amount__isnull=False),
                                   name="grants_application_granted_has_amount"),
            models.CheckConstraint(
                condition=Q(confirmed_amount__isnull=True) | Q(confirmed_amount__lte=F("approved_amount")),
                name="grants_application_confirmed_within_approved",
            ),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]), name="grants_application_status"),
        ]
        indexes = [
            models.Index(fields=["program", "status"], name="grants_app_program_status"),
            models.Index(fields=["status", "submitted_at"], name="grants_app_status_submitted"),
            models.Index(fields=["submitted_at", "id"], name="grants_app_queue_order"),
            models.Index(fields=["program", "submitted_at", "id"], name="grants_app_program_queue"),
        ]

    def __str__(self):
        return self.receipt_number or f"{self.program.code} #{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def display_name(self) -> str:
        return self.business_name or self.applicant_name

    @property
    def return_reason(self) -> str:
        """Why staff returned it (the comment of the last step to "returned"), for the applicant."""
        returns = [change for change in self.history.all() if change.to_status == Status.RETURNED]
        return returns[-1].comment if returns else ""

    @property
    def committed_amount(self) -> int | None:
        return self.confirmed_amount if self.confirmed_amount is not None else self.approved_amount


class LineItem(models.Model):
    """Equipment or work the application asks a subsidy for, with its cost in yen excluding tax."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    name = models.CharField(_("設備・内容"), max_length=200)
    cost = models.PositiveBigIntegerField(_("経費（税抜・円）"), validators=[MinValueValidator(1), MaxValueValidator(MAX_COST)])

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("対象経費の明細")
        verbose_name_plural = _("対象経費の明細")
        constraints = [models.CheckConstraint(condition=Q(cost__gte=1, cost__lte=MAX_COST), name="grants_item_cost_range")]

    def __str__(self):
        return self.name


_document_path = document_path("grants")


def document_upload_to(instance, filename):
    """grants/<yyyy>/<mm>/<random>.<ext> (asahikawa.uploads.document_path, named at module level so
    that migrations can refer to it)."""
    return _document_path(instance, filename)


class Document(models.Model):
    """A document of an application (checked by content, kept in the private storage)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(DocumentRequirement, verbose_name=_("書類の種類"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    stage = models.CharField(_("提出の時期"), max_length=16, choices=Stage.choices, default=Stage.APPLICATION)
    file = models.FileField(_("ファイル"), storage=private_storage, upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("ファイル名"), max_length=200)
    content_type = models.CharField(_("種類"), max_length=40)
    size = models.PositiveIntegerField(_("サイズ（バイト）"))
    uploaded_at = models.DateTimeField(_("提出日時"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["stage", "uploaded_at", "id"]
        verbose_name = _("提出書類のファイル")
        verbose_name_plural = _("提出書類のファイル")

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")


class StatusChange(models.Model):
    """The history of an application: who moved it from which status to which, when and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(_("変更前"), max_length=24, choices=Status.choices)
    to_status = models.CharField(_("変更後"), max_length=24, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作した人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    by_applicant = models.BooleanField(_("申請者による操作"), default=False)
    at = models.DateTimeField(_("日時"), default=timezone.now)
    comment = models.TextField(_("コメント"), blank=True)
    amount = models.PositiveBigIntegerField(_("金額（円）"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("申請の履歴")
        verbose_name_plural = _("申請の履歴")
        indexes = [models.Index(fields=["application", "at"], name="grants_history_app_at")]

    def __str__(self):
        return f"{self.application_id}: {self.from_status} -> {self.to_status}"


class LotteryDraw(models.Model):
    """The one lottery of an oversubscribed program, drawn after its window closed. The ranking is
    reproducible from the recorded seed and the candidates' receipt numbers (services.lottery_ranking)."""

    program = models.OneToOneField(Program, on_delete=models.PROTECT, related_name="lottery")
    seed = models.CharField(_("シード"), max_length=64)
    drawn_at = models.DateTimeField(_("抽選日時"), default=timezone.now)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽選した職員"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    candidates = models.JSONField(_("対象の受付番号"), default=list)
    ranking = models.JSONField(_("抽選の順位（受付番号）"), default=list)
    winners = models.JSONField(_("当選（受付番号）"), default=list)

    class Meta:
        verbose_name = _("抽選")
        verbose_name_plural = _("抽選")

    def __str__(self):
        return f"{self.program} {self.drawn_at:%Y-%m-%d}"


class ReceiptCounter(models.Model):
    """The last receipt number given per prefix (R5-SMART): incremented by one atomic upsert."""

    prefix = models.CharField(max_length=24, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("受付番号の採番")
        verbose_name_plural = _("受付番号の採番")
