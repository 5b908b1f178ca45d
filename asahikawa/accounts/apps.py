from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from asahikawa.areas import Kind, PortalAppConfig


class AccountsConfig(PortalAppConfig):
    """Accounts, profiles, roles and the organizations every area shares (districts, associations,
    helper agencies). The departments that keep those organizations are granted them here."""

    name = "asahikawa.accounts"
    label = "accounts"
    verbose_name = _("アカウント・組織")
    permissions = {
        "community": ["accounts.district", "accounts.association"],
        "child_welfare": ["accounts.helperagency"],
    }
    notification_kinds = {"account": Kind(_("アカウントに関するお知らせ"))}
    hooks = {
        "load_demo": "demo.load",
    }

    def ready(self):
        super().ready()
        from . import roles

        post_migrate.connect(roles.sync_department_permissions, dispatch_uid="sync_department_permissions")
