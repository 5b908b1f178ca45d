"""The header's count of a user's unread notifications, read from the cache until their
notifications change (asahikawa/caching.py; every signed-in page shows it, and counting is a query).

Two scopes make a count's key: the user's own ("notifications:user:<id>") and everyone's
("notifications"). What changes them:
- a notification saved or deleted (signals, connected in apps.py): its user's;
- NotificationQuerySet's update() of read_at (the users it touches), bulk_create() and
  bulk_update() (the rows' users): models.py;
- notify_grouped's INSERT ... SELECT, whose users are not known here: everyone's, as is any change
  that reaches more than PER_USER_LIMIT users (one cache write rather than thousands).
"""
from asahikawa import caching

SCOPE = "notifications"
PER_USER_LIMIT = 100


def _user_scope(user_id) -> str:
    return f"{SCOPE}:user:{user_id}"


def changed(user_ids=None) -> None:
    """The unread counts of these users (None: of everyone) changed, or will when the transaction
    commits."""
    ids = None if user_ids is None else set(user_ids)
    if ids is None or len(ids) > PER_USER_LIMIT:
        caching.changed(SCOPE)
    elif ids:
        caching.changed(*(_user_scope(user_id) for user_id in sorted(ids)))


def count(user) -> int:
    from .models import Notification

    return caching.cached((SCOPE, _user_scope(user.pk)), "unread",
                          compute=lambda: Notification.objects.filter(user_id=user.pk, read_at=None).count())
