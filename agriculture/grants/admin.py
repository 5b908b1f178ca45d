"""The admin console of the subsidy engine: staff configure their programs here (questions and
documents inline). Agriculture and child welfare both hold the engine's permissions (apps.py); these
querysets limit each to the programs of their own department. Applications are reviewed in the
staff console (staff.py), not here: this list only finds them (read-only, each read logged)."""
from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from asahikawa.accounts.services import access_log_record
from asahikawa.admin import ReadOnlyModelAdmin
from asahikawa.departments import DEPARTMENTS

from .models import Application, DocumentRequirement, EligibilityQuestion, LotteryDraw, Program, Status
from .selectors import staff_departments


class EligibilityQuestionInline(admin.TabularInline):
    model = EligibilityQuestion
    extra = 0
    fields = ["order", "text", "text_en", "disqualifying_answer", "reason", "reason_en"]


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 0
    fields = ["order", "stage", "name", "name_en", "required"]


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = "__all__"

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(code, label) for code, label in DEPARTMENTS.items() if code in departments]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    form = ProgramForm
    list_display = ["fiscal_year", "code", "name", "department", "opens_on", "closes_on", "selection", "max_grants",
                    "budget", "published", "is_sample", "console"]
    list_filter = ["fiscal_year", "department", "selection", "published"]
    search_fields = ["code", "name"]
    inlines = [EligibilityQuestionInline, DocumentRequirementInline]
    fieldsets = [
        (None, {"fields": ["fiscal_year", "code", "department", "name", "name_en", "description", "description_en",
                           "published"]}),
        (_("受付"), {"fields": ["opens_on", "closes_on", "allow_individual", "allow_farm", "allow_corporation",
                              "completion_due", "staff_reminder_days"]}),
        (_("補助額の計算"), {"fields": ["rate_numerator", "rate_denominator", "cap", "rounding_unit",
                                   "combined_numerator", "combined_denominator"]}),
        (_("件数・予算と選び方"), {"fields": ["max_grants", "budget", "selection"]}),
        (_("デモ"), {"fields": ["sample_values", "is_sample"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(department__in=staff_departments(request.user))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        departments = staff_departments(request.user)

        class DepartmentLimited(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, departments=departments, **inner)

        return DepartmentLimited

    @admin.display(description=_("審査"))
    def console(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("grants:staff_program", args=[obj.pk]), _("状況を見る"))


@admin.register(Application)
class ApplicationAdmin(ReadOnlyModelAdmin):
    list_display = ["receipt_number", "program", "status", "display_name", "requested_amount", "approved_amount",
                    "submitted_at", "is_sample", "console"]
    list_filter = ["status", "program__fiscal_year", "program"]
    search_fields = ["receipt_number"]
    list_select_related = ["program"]
    exclude = ["eligibility"]

    def get_queryset(self, request):
        return (super().get_queryset(request).filter(program__department__in=staff_departments(request.user))
                .exclude(status=Status.DRAFT))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        if application is not None:
            access_log_record(actor=request.user, action="view", obj=application, detail="admin: application")
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("審査"))
    def console(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("grants:staff_application", args=[obj.pk]), _("審査の画面へ"))


@admin.register(LotteryDraw)
class LotteryDrawAdmin(ReadOnlyModelAdmin):
    list_display = ["program", "drawn_at", "drawn_by", "seed"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(program__department__in=staff_departments(request.user))
