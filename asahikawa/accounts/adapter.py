from allauth.account.adapter import DefaultAccountAdapter

from asahikawa.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_staff:
            return "/admin/"
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request):
        """The attempt limits count by the address the deployment's proxies vouch for (asahikawa.clientip)."""
        return client_ip(request) or super().get_client_ip(request)

    def set_password(self, user, password):
        """Every password change and reset through the portal's forms signs out the app on every device."""
        from .devices import devices_sign_out_all

        super().set_password(user, password)
        devices_sign_out_all(user=user, reason="password changed")

    def login(self, request, user):
        """From sign-in on, the request speaks the user's language, so that the "signed in" message
        is written in the language of the page that will show it (UserLanguageMiddleware)."""
        super().login(request, user)
        from .middleware import activate_user_language

        activate_user_language(request, user)
