"""The community department's console for the circular board: associations' groups, households
and officer titles, and the retention of safety-check answers. Circulars themselves are written
by the associations' officers on their own pages; here they are read only (no answers shown)."""
from django.contrib import admin

from asahikawa.admin import ReadOnlyModelAdmin

from . import services
from .models import Circular, DistrictCheck, Group, Household, OfficerRole, RetentionPolicy


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "association", "position"]
    list_filter = ["association__district"]
    search_fields = ["name", "association__name"]
    autocomplete_fields = ["association"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "association", "group", "paper_only", "left_at", "is_sample"]
    list_filter = ["paper_only", "is_sample", "association__district"]
    search_fields = ["name", "association__name"]
    list_select_related = ["association", "group"]
    autocomplete_fields = ["association", "group"]
    readonly_fields = ["left_at"]


@admin.register(OfficerRole)
class OfficerRoleAdmin(admin.ModelAdmin):
    """Titles. Saving goes through services.officer_role_assign, so an association-wide title also
    makes the user the association's officer (Profile.officer_of), and removing the last one ends it."""

    list_display = ["association", "title", "group", "user"]
    list_filter = ["title"]
    search_fields = ["association__name", "user__email"]
    autocomplete_fields = ["association", "user", "group"]
    list_select_related = ["association", "group", "user"]

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        role = services.officer_role_assign(association=obj.association, user=obj.user, title=obj.title, group=obj.group)
        obj.pk = role.pk

    def delete_model(self, request, obj):
        services.officer_role_remove(role=obj)

    def delete_queryset(self, request, queryset):
        for role in queryset:
            services.officer_role_remove(role=role)


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ["safety_answer_days", "updated_at"]

    def has_add_permission(self, request):
        return not RetentionPolicy.objects.exists() and super().has_add_permission(request)


@admin.register(Circular)
class CircularAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "association", "kind", "published_at", "is_sample"]
    list_filter = ["kind", "is_sample"]
    search_fields = ["title", "association__name"]
    list_select_related = ["association"]
    fields = ["association", "kind", "title", "published_at", "due_date", "answers_erased_at", "is_sample"]


@admin.register(DistrictCheck)
class DistrictCheckAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "district", "created_at", "is_sample"]
