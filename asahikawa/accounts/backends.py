"""The authentication backends: Django's and allauth's, each loading the user of a request with its
profile, its district and association in one query (every page reads the profile: its language;
the dashboard and the areas' panels its district and association)."""
from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class _UserWithProfile:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("profile__district", "profile__association").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_UserWithProfile, DjangoModelBackend):
    """Django's backend (the admin console's sign-in, force_login in tests)."""


class AuthenticationBackend(_UserWithProfile, AllauthBackend):
    """allauth's backend (sign-in by email on the portal's pages and the app's token endpoint)."""
