"""The circulars panel of the resident's dashboard, and the banner of an unanswered safety check."""
from . import selectors


def _memberships(request) -> list:
    """The user's current memberships, read once per request (the panel and the banner both ask)."""
    if not hasattr(request, "_circulars_memberships"):
        request._circulars_memberships = list(selectors.memberships_for(request.user))
    return request._circulars_memberships


def panel(request):
    if not request.user.is_authenticated:
        return None
    memberships = _memberships(request)
    return {"template": "circulars/_dashboard_panel.html", "memberships": memberships,
            "unread": selectors.unread_count(request.user) if memberships else 0}


def banners(request):
    if not request.user.is_authenticated or not _memberships(request):
        return []  # safety checks reach households through their members
    return [{"template": "circulars/_safety_banner.html", "receipt": receipt}
            for receipt in selectors.open_safety_checks(request.user)[:3]]
