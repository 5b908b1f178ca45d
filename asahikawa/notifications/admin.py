from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "title", "urgent", "delivery", "emailed_at", "read_at"]
    list_select_related = ["user"]
    list_filter = ["kind", "urgent", "delivery"]
    search_fields = ["title", "user__email"]
    readonly_fields = ["created_at", "emailed_at", "read_at"]
