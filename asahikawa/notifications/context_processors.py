def inbox(request):
    """Unread count for the header: one query, only for signed-in users, only when a template asks
    (a view that already has it, e.g. the inbox, puts `inbox_unread` in its own context instead)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread():
        return user.notifications.filter(read_at=None).count()

    return {"inbox_unread": unread}
