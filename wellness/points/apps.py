from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from asahikawa.areas import AreaConfig, Kind, NavLink, Service, StaffPage
from wellness import AREA


class PointsConfig(AreaConfig):
    """Smart wellness step points (スマートウエルネス). The app label stays "wellness" (its tables)."""

    name = "wellness.points"
    label = "wellness"
    verbose_name = _("スマートウエルネス（歩数ポイント）")
    area = AREA
    department = "wellness"
    services = [
        Service("wellness:dashboard", _("スマートウエルネス（歩数ポイント）"), _("歩数・体重・血圧を記録してポイントをためる")),
    ]
    staff_pages = [
        StaffPage("wellness:counter", _("窓口での健康記録の入力（スマートフォンをお持ちでない方）")),
        StaffPage("wellness:staff_stats", _("スマートウエルネスの参加状況（地区・年代・月別の統計）")),
    ]
    area_nav = [
        NavLink("wellness:dashboard", _("ホーム"), "dashboard"),
        NavLink("wellness:record", _("記録する"), "record"),
        NavLink("wellness:trends", _("グラフ"), "trends"),
        NavLink("wellness:ledger", _("ポイント履歴"), "ledger"),
        NavLink("wellness:rewards", pgettext_lazy("page name", "特典"), "rewards"),
        NavLink("wellness:vouchers", _("引換券"), "vouchers"),
    ]
    notification_kinds = {
        "wellness_reminder": Kind(_("記録忘れのリマインダー（夕方）"), reminder=True),
        "wellness_summary": Kind(_("健康ポイントの週間まとめ"), reminder=True),
    }
    periodic_tasks = {
        "wellness-settle-points": {  # nightly settlement of yesterday and the 7-day grace window
            "task": "wellness.points.tasks.settle_points",
            "schedule": crontab(hour=3, minute=0),
        },
        "wellness-evening-reminders": {
            "task": "wellness.points.tasks.send_evening_reminders",
            "schedule": crontab(hour=19, minute=0),
        },
        "wellness-weekly-summaries": {
            "task": "wellness.points.tasks.send_weekly_summaries",
            "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
        },
    }
    url_prefix = "wellness/"
    api_prefix = "wellness/"
    hooks = {
        "dashboard_panel": "dashboard.panel",
        "load_demo": "demo.load",
        "access_rows": "tests.access.rows",
        "export": "selectors.export_data",
        "erase": "services.wellness_data_delete",
    }
