"""The circulars panel of the resident's dashboard, and the banner of an unanswered safety check."""
from . import selectors


def panel(request):
    if not request.user.is_authenticated:
        return None
    memberships = list(selectors.memberships_for(request.user))
    return {"template": "circulars/_dashboard_panel.html", "memberships": memberships,
            "unread": selectors.unread_count(request.user) if memberships else 0}


def banners(request):
    if not request.user.is_authenticated:
        return []
    return [{"template": "circulars/_safety_banner.html", "receipt": receipt}
            for receipt in selectors.open_safety_checks(request.user)[:3]]
