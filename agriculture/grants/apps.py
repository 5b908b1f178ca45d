"""The subsidy engine: the city's grant programs, including child welfare's newborn hearing-test claim (issue 15)."""
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from agriculture import AREA
from asahikawa.areas import AreaConfig, Kind, Service, StaffPage
from wellness import AREA as WELLNESS


class GrantsConfig(AreaConfig):
    name = "agriculture.grants"
    label = "grants"
    verbose_name = _("補助金の申請")
    area = AREA
    # Each program names its own department; both run programs on this one engine. Their staff may
    # change the engine's models in the admin console; the admin's querysets limit each to the
    # programs (and applications) of their own department.
    department = "agriculture"
    permissions = {"agriculture": ["grants"], "child_welfare": ["grants"]}
    # The program lists (views._program_list) show the programs and their grant counts.
    cached_models = ["Program", "Application"]
    services = [
        Service("grants:programs", _("補助金の申請"), _("スマート農業・再エネ設備・道産木材住宅など")),
        Service("grants:hearing_test", _("新生児聴覚検査費用の助成"), _("検査費用の一部を助成します"), area=WELLNESS),
    ]
    staff_pages = [
        StaffPage("grants:staff_queue", _("補助金の審査（農政・ゼロカーボン推進部）"), department="agriculture"),
        StaffPage("grants:staff_queue", _("新生児聴覚検査費用の助成の審査（子育て支援部）"), department="child_welfare"),
    ]
    notification_kinds = {
        "subsidy": Kind(_("補助金申請の状況")),
        "subsidy_due": Kind(_("補助金申請の期限（下書き・実績報告）")),
        "subsidy_staff": Kind(_("審査を待っている補助金申請（職員向け）")),
    }
    periodic_tasks = {
        "grants-draft-reminders": {
            "task": "agriculture.grants.tasks.send_draft_reminders",
            "schedule": crontab(hour=9, minute=0),
        },
        "grants-completion-reminders": {
            "task": "agriculture.grants.tasks.send_completion_reminders",
            "schedule": crontab(hour=9, minute=10),
        },
        "grants-staff-reminders": {
            "task": "agriculture.grants.tasks.send_staff_reminders",
            "schedule": crontab(hour=8, minute=30, day_of_week="mon-fri"),
        },
    }
    url_prefix = "grants/"
    api_prefix = "grants/"
    hooks = {
        "dashboard_panel": "dashboard.panel",
        "load_demo": "demo.load",
        "access_rows": "tests.access.rows",
        "export": "selectors.export_data",
        "erase": "services.applicant_data_erase",
    }
