from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin, as the city's staff console: staff reach it only with TOTP enabled."""

    default_site = "asahikawa.admin.PortalAdminSite"
