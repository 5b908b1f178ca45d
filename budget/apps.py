from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Service, StaffPage

from . import AREA


class BudgetConfig(AreaConfig):
    name = "budget"
    verbose_name = _("予算の見える化")
    area = AREA
    department = "finance"
    services = [Service("budget:overview", _("予算の見える化"), _("旭川市の予算をグラフとオープンデータで"))]
    staff_pages = [StaffPage("admin:budget_import", _("予算データの取り込み（CSV・Excel）"))]
    url_prefix = "budget/"
    api_prefix = "budget/"

    def load_demo(self, stdout):
        from .demo import load

        load(stdout)

    def access_rows(self, world):
        from .tests.access import rows

        return rows(world)
