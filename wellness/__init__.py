"""健康・福祉 (health and welfare): step points (points/), young-carer support (carers/)."""
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import Area

AREA = Area("wellness", _("健康・福祉"), order=10)
