from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user sees the portal in the language chosen in their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            from .selectors import profile_for

            language = profile_for(user).language
            if language and language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
