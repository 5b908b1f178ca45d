"""The staff console of the garbage calendar (community department). Every save and delete goes
through services.calendar_object_save / calendar_objects_delete, which validate and bump the
districts' cache token: the public pages and feeds never show a stale day."""
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from asahikawa.errors import ApplicationError

from . import services
from .models import Area, Category, Change, Closure, CollectionDistrict, Item, Rule


class ThroughServices(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        services.calendar_object_save(obj=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.calendar_objects_delete(objects=[obj])

    def delete_queryset(self, request, queryset):
        services.calendar_objects_delete(objects=queryset)


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["name", "position", "is_sample"]


@admin.register(CollectionDistrict)
class CollectionDistrictAdmin(ThroughServices):
    list_display = ["code", "name", "center", "platform_district", "revision", "is_sample"]
    search_fields = ["code", "name", "areas__name"]
    list_filter = ["is_sample", "center"]
    readonly_fields = ["revision", "changed_at"]
    inlines = [AreaInline]


@admin.register(Category)
class CategoryAdmin(ThroughServices):
    list_display = ["name", "code", "letter", "shape", "colour", "position", "is_sample"]
    search_fields = ["name", "code"]


@admin.register(Rule)
class RuleAdmin(ThroughServices):
    list_display = ["district", "category", "fiscal_year", "kind", "describe", "on_holiday", "on_closure"]
    list_filter = ["fiscal_year", "kind", "category", "on_holiday", "on_closure"]
    search_fields = ["district__name", "district__code"]
    list_select_related = ["district", "category"]

    @admin.display(description=_("5374形式"))
    def describe(self, obj):
        return obj.describe()


@admin.register(Closure)
class ClosureAdmin(ThroughServices):
    list_display = ["starts", "ends", "center", "reason", "fiscal_year", "is_sample"]
    list_filter = ["fiscal_year", "is_sample"]


class ChangeForm(forms.ModelForm):
    class Meta:
        model = Change
        fields = ["district", "category", "kind", "day", "new_day", "reason", "is_sample"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            candidate = Change(pk=self.instance.pk, **{name: cleaned.get(name) for name in self.Meta.fields})
            try:
                services.change_check(change=candidate)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from exc
        return cleaned


@admin.register(Change)
class ChangeAdmin(ThroughServices):
    form = ChangeForm
    list_display = ["day", "district", "category", "kind", "new_day", "reason", "created_by"]
    list_filter = ["kind", "fiscal_year", "category"]
    search_fields = ["district__name", "district__code", "reason"]
    list_select_related = ["district", "category", "created_by"]


@admin.register(Item)
class ItemAdmin(ThroughServices):
    list_display = ["name", "furigana", "category", "notice", "is_sample"]
    list_filter = ["category", "is_sample"]
    search_fields = ["name", "furigana", "search_key"]
    list_select_related = ["category"]
