from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellnessConfig(AppConfig):
    name = "wellness"
    verbose_name = _("健康・福祉")
