from django.shortcuts import render

from .errors import ApplicationError


class ApplicationErrorMiddleware:
    """A page whose service said no (ApplicationError) and did not handle it itself answers with
    the message in the portal's layout and the error's status, never a 500. (The API has its own
    handler, asahikawa.api.errors.exception_handler.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApplicationError) and not request.path.startswith("/api/"):
            return render(request, "error.html", {"message": exception.message}, status=exception.status_code)
        return None
