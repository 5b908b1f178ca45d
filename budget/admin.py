"""The finance department's console for the budget: the figures, and an import page that runs the
same checks as `manage.py import_budget` (nothing is written when the file has an error)."""
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from asahikawa.accounts.roles import in_department, require
from asahikawa.spreadsheets import SpreadsheetError

from . import caching
from .models import Account, AccountBudget, BudgetItem, FiscalYear, FundBalance
from .services import budget_import, fiscal_year_show_first

MAX_UPLOAD = 20 * 1024 * 1024
MAX_ERRORS_SHOWN = 200


class ImportForm(forms.Form):
    file = forms.FileField(label=_("予算ファイル（CSV・Excel）"),
                           help_text=_("ポータルの形式、またはspending.jpの形式。形式は見出し行で判定します。"))
    dry_run = forms.BooleanField(label=_("確認だけして書き込まない（--dry-run）"), required=False, initial=True)
    replace = forms.BooleanField(label=_("取り込み済みの年度・表を置き換える（--replace）"), required=False)
    unit = forms.TypedChoiceField(label=_("金額の単位"), coerce=int, initial=1, required=False, empty_value=1,
                                  choices=[(1, _("円")), (1000, _("千円（値を1000倍して取り込む）"))])
    sample = forms.BooleanField(label=_("すべての値をサンプル（架空データ）として取り込む"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
            raise forms.ValidationError(_("CSV（.csv）かExcel（.xlsx）のファイルを選んでください。"))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("ファイルが大きすぎます（20MBまで）。"))
        return upload


class InvalidatesPages:
    """A staff edit of budget figures: the cached pages and API answers (budget/caching.py) are
    recomputed, so nothing shown is stale after it."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        caching.changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        caching.changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        caching.changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        caching.changed()


class AccountBudgetInline(admin.TabularInline):
    model = AccountBudget
    extra = 0
    autocomplete_fields = ["account"]


@admin.register(FiscalYear)
class FiscalYearAdmin(InvalidatesPages, admin.ModelAdmin):
    list_display = ["year", "era_label", "shown_first", "totals_is_sample", "source", "imported_at", "updated_at"]
    search_fields = ["=year", "source"]
    readonly_fields = ["imported_at", "shown_first"]
    inlines = [AccountBudgetInline]
    actions = ["show_first", "show_latest_first"]

    @admin.action(description=_("選んだ年度を /budget/ で最初に表示する（1つだけ選んでください）"))
    def show_first(self, request, queryset):
        require(in_department(request.user, "finance"))
        if queryset.count() != 1:
            self.message_user(request, _("年度を1つだけ選んでください。"), messages.ERROR)
            return
        fiscal_year = queryset.get()
        fiscal_year_show_first(fiscal_year=fiscal_year)
        self.message_user(request, _("/budget/ で最初に %(year)s を表示します。") % {"year": fiscal_year.label})

    @admin.action(description=_("最初に表示する年度の指定をやめる（翌年度までで最新の年度を表示）"))
    def show_latest_first(self, request, queryset):
        require(in_department(request.user, "finance"))
        fiscal_year_show_first(fiscal_year=None)
        self.message_user(request, _("/budget/ は翌年度までで最新の年度を表示します。"))
    change_list_template = "admin/budget/fiscalyear/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": in_department(request.user, "finance")}
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="budget_import")] + super().get_urls()

    def import_view(self, request):
        # The finance department (or a superuser), asked through roles.py like every page; the
        # admin site in front of this view already requires staff with TOTP.
        require(in_department(request.user, "finance"))
        form = ImportForm(request.POST or None, request.FILES or None)
        errors, plan_lines, warnings = [], [], []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                plan = budget_import(file=upload, replace=form.cleaned_data["replace"],
                                     dry_run=form.cleaned_data["dry_run"], sample=form.cleaned_data["sample"],
                                     unit=form.cleaned_data["unit"])
            except SpreadsheetError as exc:
                errors = [str(error) for error in exc.errors[:MAX_ERRORS_SHOWN]]
            else:
                plan_lines, warnings = plan.describe(), plan.warnings
                if not form.cleaned_data["dry_run"]:
                    messages.success(request, _("取り込みました: %(lines)s") % {"lines": " / ".join(plan_lines)})
                    for warning in warnings:
                        messages.warning(request, warning)
                    return redirect("admin:budget_fiscalyear_changelist")
        context = {
            **self.admin_site.each_context(request), "title": _("予算ファイルの取り込み"), "form": form,
            "errors": errors, "plan_lines": plan_lines, "warnings": warnings, "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/budget/import.html", context, status=400 if errors else 200)


@admin.register(Account)
class AccountAdmin(InvalidatesPages, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "order", "is_sample"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(BudgetItem)
class BudgetItemAdmin(InvalidatesPages, admin.ModelAdmin):
    list_display = ["fiscal_year", "account", "breakdown", "code", "name", "amount", "is_sample"]
    list_filter = ["breakdown", "fiscal_year", "account"]
    list_select_related = ["fiscal_year", "account"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(FundBalance)
class FundBalanceAdmin(InvalidatesPages, admin.ModelAdmin):
    list_display = ["year", "amount", "is_sample", "note"]
