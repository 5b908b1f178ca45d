from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "asahikawa.accounts"
    label = "accounts"
    verbose_name = _("アカウント・組織")

    def ready(self):
        from . import roles

        post_migrate.connect(roles.sync_department_permissions, dispatch_uid="sync_department_permissions")
