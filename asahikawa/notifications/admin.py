from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import notification_kinds

from .models import Notification


class KindFilter(admin.SimpleListFilter):
    title = _("種類")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(code, kind.label) for code, kind in notification_kinds().items()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "get_kind_display", "title", "urgent", "delivery", "emailed_at", "read_at"]
    list_select_related = ["user"]
    list_filter = [KindFilter, "urgent", "delivery"]
    search_fields = ["title", "user__email"]
    readonly_fields = ["created_at", "emailed_at", "read_at"]
