"""The circulars panel of the resident's dashboard, and the banner of an unanswered safety check."""
from . import selectors


def _memberships(request) -> list:
    """The user's current memberships, read once per request (the panel and the banner both ask)."""
    if not hasattr(request, "_circulars_memberships"):
        request._circulars_memberships = list(selectors.memberships_for(request.user))
    return request._circulars_memberships


def _receipts(request) -> tuple[list, int]:
    """(open safety checks, unread count) of the user's households, read once per request."""
    if not hasattr(request, "_circulars_receipts"):
        memberships = _memberships(request)  # safety checks reach households through their members
        request._circulars_receipts = selectors.dashboard_receipts(memberships) if memberships else ([], 0)
    return request._circulars_receipts


def panel(request):
    if not request.user.is_authenticated:
        return None
    return {"template": "circulars/_dashboard_panel.html", "memberships": _memberships(request),
            "unread": _receipts(request)[1]}


def banners(request):
    if not request.user.is_authenticated:
        return []
    return [{"template": "circulars/_safety_banner.html", "receipt": receipt} for receipt in _receipts(request)[0]]
