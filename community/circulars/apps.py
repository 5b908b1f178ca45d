"""Electronic circular board (電子回覧板), member board (町内会員の掲示板) and safety check (安否確認)."""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Kind, Service, StaffPage
from community import AREA


class CircularsConfig(AreaConfig):
    name = "community.circulars"
    label = "circulars"
    verbose_name = _("電子回覧板・町内会員の掲示板")
    area = AREA
    department = "community"
    services = [
        Service("circulars:index", _("電子回覧板"), _("町内会の回覧板をオンラインで")),
        Service("circulars:board", _("町内会員の掲示板"), _("町内会の会員どうしの掲示板")),
    ]
    staff_pages = [StaffPage("circulars:staff_safety", _("地区への安否確認（町内会ごとの回答状況）"))]
    notification_kinds = {
        "circular": Kind(_("回覧板")),
        "safety_check": Kind(_("安否確認")),
        "board": Kind(_("町内会員の掲示板")),
    }
    periodic_tasks = {
        "circulars-publish-due": {  # circulars set to publish at a time
            "task": "community.circulars.tasks.publish_due",
            "schedule": crontab(),  # every minute
        },
        "circulars-reminders": {
            "task": "community.circulars.tasks.send_reminders",
            "schedule": crontab(minute=5),  # hourly
        },
        "circulars-erase-safety-answers": {
            "task": "community.circulars.tasks.erase_safety_answers",
            "schedule": crontab(hour=4, minute=10),
        },
    }
    url_prefix = "community/circulars/"
    api_prefix = "circulars/"
    hooks = {
        "dashboard_panel": "dashboard.panel",
        "banners": "dashboard.banners",
        "load_demo": "demo.load",
        "access_rows": "tests.access.rows",
        "export": "selectors.export_data",
        "erase": "services.circulars_data_erase",
    }
