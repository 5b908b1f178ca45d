from . import unread


def inbox(request):
    """Unread count for the header: only for signed-in users, only when a template asks, from the
    cache until the user's notifications change (unread.py; a view that already has it, e.g. the
    inbox, puts `inbox_unread` in its own context instead)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": lambda: unread.count(user)}
