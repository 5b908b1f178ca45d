from django.contrib import admin

from .models import Notice, Reading


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The console's view of the notices: each department sees and writes only its own categories; a
    notice saved here is sent by the beat at its time (a sent notice is read-only)."""

    list_display = ["title", "category", "urgent", "public", "publish_at", "published_at", "expires_at", "is_sample"]
    list_filter = ["category", "urgent", "public", "is_sample"]
    search_fields = ["title"]
    readonly_fields = ["published_at", "author", "created_at"]
    filter_horizontal = ["districts", "associations"]

    def get_queryset(self, request):
        from .selectors import categories_for

        query = super().get_queryset(request)
        return query.filter(category__in=categories_for(request.user))

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "category":
            from .selectors import categories_for

            kwargs["choices"] = [(c.value, c.label) for c in categories_for(request.user)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return [field.name for field in obj._meta.fields] + ["districts", "associations"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["word", "reading"]
    search_fields = ["word", "reading"]
