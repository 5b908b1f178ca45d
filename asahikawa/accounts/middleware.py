from django.conf import settings
from django.utils import translation


def activate_user_language(request, user):
    """Speak the user's profile language for the rest of this request."""
    from .selectors import profile_for

    language = profile_for(user).language
    if language and language != translation.get_language():
        translation.activate(language)
    if language:
        request.LANGUAGE_CODE = language
    return language


def set_language_cookie(response, language):
    """The language cookie, with the same flags wherever it is set (Secure in production)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    """A signed-in user sees the portal in the language chosen in their profile; the browser's
    language cookie follows it, so that the pages after signing out (and the message that says so)
    stay in that language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_language(request, user)
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the view may have signed someone in or out
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            from .selectors import profile_for

            language = profile_for(user).language
            if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
                set_language_cookie(response, language)
        return response
