from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from asahikawa.admin import ReadOnlyModelAdmin

from .models import AccessLog, Association, District, HelperAgency, Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["district", "association", "officer_of", "agency"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "profile__display_name"]
    inlines = [ProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("権限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("日時"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_sample"]
    search_fields = ["code", "name"]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "is_sample"]
    list_select_related = ["district"]
    list_filter = ["district"]
    search_fields = ["name", "search_key"]  # by reading too, as residents search


@admin.register(HelperAgency)
class HelperAgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "is_sample"]
    search_fields = ["name"]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyModelAdmin):
    """Read-only: the audit trail is never edited."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "detail"]
    list_select_related = ["actor"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor__email"]
