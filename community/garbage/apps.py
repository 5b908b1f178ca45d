"""Garbage collection calendar (issue 13). In preparation."""
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import AreaConfig, Kind, Service
from community import AREA


class GarbageConfig(AreaConfig):
    name = "community.garbage"
    label = "garbage"
    verbose_name = _("ごみカレンダー")
    area = AREA
    department = "community"
    services = [Service("garbage:home", _("ごみカレンダー"), _("収集日と分別の検索"), live=False)]
    notification_kinds = {"garbage_reminder": Kind(_("ごみ出しの前日リマインダー"), reminder=True)}
