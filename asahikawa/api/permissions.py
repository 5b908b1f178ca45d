from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions


class IsAuthenticated(permissions.IsAuthenticated):
    """The API's default: signed in. A staff session without TOTP is refused with 403 and says why,
    as the staff pages send such a user to set TOTP up (asahikawa.accounts.roles.department_required)."""

    def has_permission(self, request, view):
        if getattr(request._request, "staff_without_mfa", False):
            raise exceptions.PermissionDenied(_("職員のアカウントでは、二要素認証（TOTP）を設定するまでAPIを使えません。"))
        return super().has_permission(request, view)
