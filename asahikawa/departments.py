"""The city's departments: the one list. Each is a Django group of staff users; the permissions
each group holds are declared by the apps (asahikawa.areas: `permissions` of each AppConfig)."""
from django.utils.translation import gettext_lazy as _

DEPARTMENTS = {
    "wellness": _("健幸福祉部"),
    "child_welfare": _("子育て支援部"),
    "agriculture": _("農政・ゼロカーボン推進部"),
    "community": _("地域振興・DX推進部"),
    "finance": _("財政部"),
}
