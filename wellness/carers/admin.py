"""The admin console of the young-carer support: the hourly rates of the agencies and the
settings (retention period, default rate). Cases are not here: staff read them on the staff
pages, where every read is written to the access log."""

from django.contrib import admin

from .models import AgencyRate, Settings


@admin.register(AgencyRate)
class AgencyRateAdmin(admin.ModelAdmin):
    list_display = ["agency", "yen_per_hour"]


@admin.register(Settings)
class SettingsAdmin(admin.ModelAdmin):
    list_display = ["retention_days", "default_yen_per_hour"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Settings.objects.exists()
