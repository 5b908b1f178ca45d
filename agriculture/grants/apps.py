"""The subsidy engine: the city's grant programs, including child welfare's newborn hearing-test claim (issue 15). In preparation."""
from django.utils.translation import gettext_lazy as _

from agriculture import AREA
from asahikawa.areas import AreaConfig, Kind, Service
from wellness import AREA as WELLNESS


class GrantsConfig(AreaConfig):
    name = "agriculture.grants"
    label = "grants"
    verbose_name = _("補助金の申請")
    area = AREA
    department = "agriculture"  # each program names its own department (the hearing test: child_welfare)
    services = [
        Service("grants:programs", _("補助金の申請"), _("スマート農業・再エネ設備・道産木材住宅など"), live=False),
        Service("grants:hearing_test", _("新生児聴覚検査費用の助成"), _("検査費用の一部を助成します"), live=False,
                area=WELLNESS),
    ]
    notification_kinds = {"subsidy": Kind(_("補助金申請の状況"))}
