"""Garbage collection calendar (ごみカレンダー, issue 13)."""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Kind, Service
from community import AREA


class GarbageConfig(AreaConfig):
    name = "community.garbage"
    label = "garbage"
    verbose_name = _("ごみカレンダー")
    area = AREA
    department = "community"
    cached_models = ["Category", "CollectionDistrict"]  # selectors.categories_by_id, district_options
    services = [Service("garbage:home", _("ごみカレンダー"), _("収集日と分別の検索"))]
    notification_kinds = {"garbage_reminder": Kind(_("ごみ出しの前日リマインダー"), reminder=True)}
    periodic_tasks = {
        "garbage-evening-reminders": {  # 19:00 Asia/Tokyo (CELERY_TIMEZONE)
            "task": "community.garbage.tasks.send_reminders",
            "schedule": crontab(hour=19, minute=0),
        },
    }
    url_prefix = "community/garbage/"
    api_prefix = "garbage/"
    hooks = {
        "dashboard_panel": "dashboard.panel",
        "load_demo": "demo.load",
        "access_rows": "tests.access.rows",
    }

    def export(self, user):
        from .models import ResidentDistrict

        choice = ResidentDistrict.objects.filter(user=user).select_related("district").first()
        return {"collection_district": choice.district.code if choice else None}
