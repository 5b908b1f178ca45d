"""Young-carer support: housework-helper dispatch, from application to monthly report (issue 14)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Kind, Service, StaffPage
from wellness import AREA


class CarersConfig(AreaConfig):
    name = "wellness.carers"
    label = "carers"
    verbose_name = _("家事支援ヘルパーの派遣")
    area = AREA
    department = "child_welfare"
    # Staff change the rates and the retention period in the admin console; cases are read only on
    # the staff pages, which write every read to the access log.
    permissions = {"child_welfare": ["carers.agencyrate", "carers.settings"]}
    services = [
        Service("carers:index", _("家事支援ヘルパーの派遣"), _("保護者の病気などで家事が難しい子育て世帯へ")),
    ]
    staff_pages = [
        StaffPage("carers:staff_queue", _("家事支援ヘルパーの派遣：審査")),
        StaffPage("carers:staff_report", _("家事支援ヘルパーの派遣：月次報告")),
        StaffPage("carers:staff_access_log", _("家事支援ヘルパーの派遣：アクセス記録")),
    ]
    notification_kinds = {
        "young_carer": Kind(_("家事支援ヘルパー派遣")),
        "visit_reminder": Kind(_("ヘルパー訪問のリマインダー"), reminder=True),
    }
    periodic_tasks = {
        "carers-day-before": {
            "task": "wellness.carers.tasks.send_day_before_reminders",
            "schedule": crontab(hour=17, minute=0),
        },
        "carers-plan-ending": {
            "task": "wellness.carers.tasks.send_plan_ending_reminders",
            "schedule": crontab(hour=8, minute=40),
        },
        "carers-unrecorded": {
            "task": "wellness.carers.tasks.send_unrecorded_reminders",
            "schedule": crontab(hour=9, minute=20),
        },
        "carers-generate-next-month": {
            "task": "wellness.carers.tasks.generate_next_month",
            "schedule": crontab(hour=2, minute=30, day_of_month=20),
        },
        "carers-close-and-erase": {
            "task": "wellness.carers.tasks.close_and_erase",
            "schedule": crontab(hour=3, minute=40),
        },
    }
    url_prefix = "wellness/carers/"
    hooks = {
        "load_demo": "demo.load",
        "access_rows": "tests.access.rows",
        "export": "selectors.export_data",
        "erase": "services.household_data_erase",
    }
