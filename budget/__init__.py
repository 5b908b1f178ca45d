"""市の財政 (the city's finances): budget disclosure. One feature, so the area is itself the app."""
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import Area

AREA = Area("budget", _("市の財政"), order=40)
