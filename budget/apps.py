from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, NavLink, Service, StaffPage

from . import AREA


class BudgetConfig(AreaConfig):
    name = "budget"
    verbose_name = _("予算の見える化")
    area = AREA
    department = "finance"
    services = [Service("budget:overview", _("予算の見える化"), _("旭川市の予算をグラフとオープンデータで"))]
    staff_pages = [StaffPage("admin:budget_import", _("予算データの取り込み（CSV・Excel）"))]
    area_nav = [
        NavLink("budget:overview", _("予算の概要"), "overview"),
        NavLink("budget:years", _("年度比較・基金残高"), "years"),
        NavLink("budget:calculator", _("私の税金の使いみち"), "calculator"),
        NavLink("budget:data", _("オープンデータ"), "data"),
    ]
    url_prefix = "budget/"
    api_prefix = "budget/"
    hooks = {
        "load_demo": "demo.load",
        "access_rows": "tests.access.rows",
    }
