"""City notices targeted by district and age band (issue 12). In preparation."""
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Kind, Service
from community import AREA


class NoticesConfig(AreaConfig):
    name = "community.notices"
    label = "notices"
    verbose_name = _("暮らしのお知らせ")
    area = AREA
    department = "community"
    services = [Service("notices:index", _("暮らしのお知らせ"), _("除雪・防災・防犯などのお知らせ"), live=False)]
    notification_kinds = {"city_notice": Kind(_("市からのお知らせ"))}
