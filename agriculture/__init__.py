"""農業・ゼロカーボン (primary industry and zero carbon): the subsidy engine (grants/)."""
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import Area

AREA = Area("agriculture", _("農業・ゼロカーボン"), order=30)
