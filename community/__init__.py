"""地域・暮らし (life in the neighborhood): circulars and the member board (circulars/), city
notices (notices/), the garbage calendar (garbage/)."""
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import Area

AREA = Area("community", _("地域・暮らし"), order=20)
