from .selectors import unread_count


def inbox(request):
    """Unread count for the header, only for signed-in users, only when a template asks: the count
    loaded with the request's user (accounts.backends), else one query (a view that already has it,
    e.g. the inbox, puts `inbox_unread` in its own context instead)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": lambda: unread_count(user)}
