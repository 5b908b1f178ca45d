"""How the API knows who calls: a device token (the app), or the browser session (the portal's
own pages), where staff need TOTP exactly as on the staff pages."""
from allauth.mfa.utils import is_mfa_enabled
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from asahikawa.accounts.devices import device_authenticate


class DeviceTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, the key of one signed-in device (asahikawa/accounts/devices.py)."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        device = device_authenticate(key=key)
        if device is None:
            raise exceptions.AuthenticationFailed(_("トークンが無効か、期限が切れています。もう一度ログインしてください。"))
        return device.user, device


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication, except that a staff user without TOTP is not signed in to the
    API: public endpoints answer them as anyone, the others 403 (asahikawa.api.permissions)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and result[0].is_staff and not is_mfa_enabled(result[0]):
            request._request.staff_without_mfa = True
            return None
        return result
