"""Young-carer support: housework-helper dispatch (issue 14). In preparation."""
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Kind, Service
from wellness import AREA


class CarersConfig(AreaConfig):
    name = "wellness.carers"
    label = "carers"
    verbose_name = _("家事支援ヘルパーの派遣")
    area = AREA
    department = "child_welfare"
    services = [
        Service("carers:index", _("家事支援ヘルパーの派遣"), _("保護者の病気などで家事が難しい子育て世帯へ"), live=False),
    ]
    notification_kinds = {
        "young_carer": Kind(_("家事支援ヘルパー派遣")),
        "visit_reminder": Kind(_("ヘルパー訪問のリマインダー"), reminder=True),
    }
