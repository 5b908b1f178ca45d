"""The staff console of the wellness area. Health records are deliberately not here: staff read a
resident's records only through the counter page, which writes an access-log entry each time."""
from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asahikawa.admin import ReadOnlyModelAdmin
from asahikawa.errors import ApplicationError

from . import services
from .models import PointRule, Redemption, Reward, SettlementRun


class PointRuleForm(forms.ModelForm):
    class Meta:
        model = PointRule
        fields = "__all__"

    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        if valid_from <= timezone.localdate():
            # A change never rewrites history: a new version starts tomorrow at the earliest.
            raise forms.ValidationError(_("適用開始日は明日以降にしてください（過去のポイントは変わりません）。"))
        return valid_from


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    form = PointRuleForm
    list_display = ["code", "name", "kind", "valid_from", "enabled", "points", "step_unit", "daily_cap", "is_sample"]
    list_filter = ["kind", "enabled", "is_sample"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        # Versions already in force are history; change by adding a new version.
        if obj is not None and obj.valid_from <= timezone.localdate():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.valid_from <= timezone.localdate():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Reward)
class RewardAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "cost", "stock", "valid_from", "valid_until", "is_sample"]
    list_filter = ["is_sample"]
    search_fields = ["name", "partner"]


@admin.action(description=_("選択した交換を取り消す（ポイントを返還）"), permissions=["change"])
def cancel_redemptions(modeladmin, request, queryset):
    done = 0
    for redemption in queryset.filter(cancelled_at=None):
        try:
            services.redemption_cancel(redemption_id=redemption.pk, actor=request.user)
            done += 1
        except ApplicationError as error:
            modeladmin.message_user(request, f"{redemption.code}: {error.message}", messages.WARNING)
    modeladmin.message_user(request, _("%(n)s件の交換を取り消しました。") % {"n": done}, messages.SUCCESS)


@admin.register(Redemption)
class RedemptionAdmin(admin.ModelAdmin):
    list_display = ["code", "reward", "points", "created_at", "cancelled_at"]
    list_filter = ["reward"]
    search_fields = ["code"]
    actions = [cancel_redemptions]
    readonly_fields = ["user", "reward", "code", "points", "created_at", "cancelled_at", "cancelled_by"]
    list_select_related = ["reward"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SettlementRun)
class SettlementRunAdmin(ReadOnlyModelAdmin):
    list_display = ["started_at", "first_day", "last_day", "credited_entries", "credited_points"]
