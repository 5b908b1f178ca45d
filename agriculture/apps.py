from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgricultureConfig(AppConfig):
    name = "agriculture"
    verbose_name = _("農業・ゼロカーボン")
