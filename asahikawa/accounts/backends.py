"""The authentication backends: Django's and allauth's, each loading the user of a request with what
every page reads of them in one query: the profile (its language), its district and association (the
dashboard and the areas' panels) and the unread count of the inbox (the header's badge)."""
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from asahikawa.notifications.selectors import with_inbox_unread


class _UserWithProfile:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = with_inbox_unread(
                user_model._default_manager.select_related("profile__district", "profile__association")).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_UserWithProfile, DjangoModelBackend):
    """Django's backend (the admin console's sign-in, force_login in tests)."""


class AuthenticationBackend(_UserWithProfile, AllauthBackend):
    """allauth's backend (sign-in by email on the portal's pages and the app's token endpoint)."""
