"""Electronic circular board, member board and safety check (issue 11). In preparation."""
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Kind, Service
from community import AREA


class CircularsConfig(AreaConfig):
    name = "community.circulars"
    label = "circulars"
    verbose_name = _("電子回覧板・町内会員の掲示板")
    area = AREA
    department = "community"
    services = [
        Service("circulars:index", _("電子回覧板"), _("町内会の回覧板をオンラインで"), live=False),
        Service("circulars:board", _("町内会員の掲示板"), _("町内会の会員どうしの掲示板"), live=False),
    ]
    notification_kinds = {"circular": Kind(_("回覧板"))}
