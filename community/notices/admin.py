from django.contrib import admin

from .models import Notice, Reading


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "urgent", "public", "publish_at", "published_at", "expires_at", "is_sample"]
    list_filter = ["category", "urgent", "public", "is_sample"]
    search_fields = ["title"]
    readonly_fields = ["published_at", "author", "created_at"]
    filter_horizontal = ["districts", "associations"]

    def get_queryset(self, request):
        from .selectors import categories_for

        query = super().get_queryset(request)
        return query.filter(category__in=categories_for(request.user))


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["word", "reading"]
    search_fields = ["word", "reading"]
