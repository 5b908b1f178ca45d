"""City notices targeted by district and age band (暮らしのお知らせ, issue 12): urgent ones first,
reach measured (効果検証), やさしい日本語 and furigana."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Kind, Service, StaffPage
from community import AREA


class NoticesConfig(AreaConfig):
    name = "community.notices"
    label = "notices"
    verbose_name = _("暮らしのお知らせ")
    area = AREA
    department = "community"
    # Other departments write the notices of their own categories on the staff pages
    # (models.CATEGORY_DEPARTMENTS); the admin console's notices are community and DX staff's.
    services = [Service("notices:index", _("暮らしのお知らせ"), _("除雪・防災・防犯などのお知らせ"))]
    staff_pages = [StaffPage("notices:staff", _("暮らしのお知らせ（作成・配信・効果検証）"))]
    notification_kinds = {"city_notice": Kind(_("市からのお知らせ"))}
    periodic_tasks = {
        "notices-publish-due": {"task": "community.notices.tasks.publish_due", "schedule": crontab()},  # every minute
    }
    # The public list is cached (views.index); writes past the signals call caching.changed themselves.
    cached_models = ["Notice"]
    url_prefix = "community/notices/"
    api_prefix = "notices/"
    hooks = {
        "dashboard_panel": "views.dashboard_panel",
        "banners": "views.banners",
        "load_demo": "demo.load",
        "access_rows": "tests.access.rows",
        "export": "selectors.export_data",
        "erase": "services.notices_data_erase",
    }
