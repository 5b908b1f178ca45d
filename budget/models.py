"""The city's budget: fiscal years, accounts (会計), items by purpose / nature / revenue source,
and the fiscal adjustment fund (財政調整基金) balance. Money is an integer number of yen.

Invariants that the database holds: one row per (year, account), per (year, account, breakdown,
code) and per fund year; amounts are never negative. That parts add up to their totals is checked
by the import service before any write (it spans rows, so it cannot be a CHECK constraint).
"""
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asahikawa.dates import fiscal_year_label, wareki_label

GENERAL_ACCOUNT_CODE = "general"


# The years a fiscal year can be (its CHECK constraint): from the first Meiji year to 2200.
MIN_YEAR, MAX_YEAR = 1868, 2200
# An import takes years up to this many after the current fiscal year: a later year is a typo.
FUTURE_YEARS = 10
UNITS = (1, 1000)  # yen, thousands of yen: what a file's amounts can be in


def latest_importable_year() -> int:
    from django.utils import timezone

    from asahikawa.dates import fiscal_year_of

    return fiscal_year_of(timezone.localdate()) + FUTURE_YEARS


class FiscalYear(models.Model):
    """A fiscal year, written as the calendar year it starts in (2023 = 令和5年度, April to March)."""

    year = models.PositiveSmallIntegerField(_("年度（西暦）"), unique=True)
    totals_is_sample = models.BooleanField(
        _("総額はサンプル"), default=False, help_text=_("年度の総額そのものがデモ用の架空データであるとき")
    )
    source = models.CharField(_("出典"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("取り込み日時"), null=True, blank=True,
                                       help_text=_("最後にファイルから取り込んだ日時（出典とともに表示）"))
    shown_first = models.BooleanField(
        _("最初に表示する年度"), default=False,
        help_text=_("/budget/ が最初に表示する年度。どの年度にもないときは、翌年度までで最新の年度を表示します。"))
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度")
        verbose_name_plural = _("年度")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR), name="budget_year_in_range"),
            models.UniqueConstraint(fields=["shown_first"], condition=Q(shown_first=True), name="budget_one_year_shown_first"),
        ]

    def __str__(self):
        return fiscal_year_label(self.year)

    @property
    def era_label(self):
        return wareki_label(self.year)

    @property
    def label(self):
        return fiscal_year_label(self.year)


class Account(models.Model):
    """A budget account (会計): the general account or one of the special accounts."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("一般会計")
        SPECIAL = "special", _("特別会計")

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("会計名"), max_length=100)
    kind = models.CharField(_("区分"), max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("表示順"), default=100)
    is_sample = models.BooleanField(_("サンプル"), default=False, help_text=_("会計名がデモ用の架空データであるとき"))

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("会計")
        verbose_name_plural = _("会計")
        constraints = [
            # The general account is the one with code "general"; there is exactly one.
            models.CheckConstraint(
                condition=Q(kind="general", code=GENERAL_ACCOUNT_CODE) | (Q(kind="special") & ~Q(code=GENERAL_ACCOUNT_CODE)),
                name="budget_account_general_code",
            ),
        ]

    def __str__(self):
        return self.name


class AccountBudget(models.Model):
    """The budget of one account in one year (歳出予算額 = 歳入予算額)."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="account_budgets",
                                    verbose_name=_("年度"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("会計"))
    amount = models.BigIntegerField(_("予算額（円）"))
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["fiscal_year", "account__order", "account__code"]
        verbose_name = _("会計別予算額")
        verbose_name_plural = _("会計別予算額")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "account"], name="budget_one_amount_per_account_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_account_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.account}"


class BudgetItem(models.Model):
    """One line of a breakdown of an account's budget in one year.

    Expenditure by purpose (目的別: 款, with its 項 as children), expenditure by nature (性質別:
    personnel, social assistance, debt service...) and revenue by source (歳入: city tax, local
    allocation tax...). The top-level lines of one breakdown add up to the account's amount; the
    children of a line add up to that line.
    """

    class Breakdown(models.TextChoices):
        PURPOSE = "purpose", _("目的別歳出")
        NATURE = "nature", _("性質別歳出")
        REVENUE = "revenue", _("歳入")

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="items", verbose_name=_("年度"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="items", verbose_name=_("会計"))
    breakdown = models.CharField(_("内訳の種類"), max_length=10, choices=Breakdown.choices)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("上位の区分"))
    code = models.CharField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    amount = models.BigIntegerField(_("金額（円）"))
    order = models.PositiveIntegerField(_("表示順"), default=0)
    is_sample = models.BooleanField(_("サンプル"), default=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("予算の内訳")
        verbose_name_plural = _("予算の内訳")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "account", "breakdown", "code"], name="budget_item_code_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_item_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "breakdown", "parent"], name="budget_item_year_breakdown")]

    def __str__(self):
        return f"{self.fiscal_year} {self.name}"

    @property
    def level_label(self):
        if self.breakdown == self.Breakdown.PURPOSE:
            return _("款") if self.parent_id is None else _("項")
        return _("区分") if self.parent_id is None else _("細区分")


class FundBalance(models.Model):
    """The balance of the fiscal adjustment fund (財政調整基金) at the end of a fiscal year."""

    year = models.PositiveSmallIntegerField(_("年度（西暦）"), unique=True)
    amount = models.BigIntegerField(_("年度末残高（円）"))
    is_sample = models.BooleanField(_("サンプル"), default=False)
    note = models.CharField(_("注記"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("財政調整基金残高")
        verbose_name_plural = _("財政調整基金残高")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_fund_amount_not_negative"),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.year)} {self.amount}"

    @property
    def label(self):
        return fiscal_year_label(self.year)
