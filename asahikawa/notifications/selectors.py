"""Reads of a user's inbox that pages share with the header's unread count (context_processors)."""
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce

from .models import Notification


def with_inbox_unread(users):
    """The users, each with `inbox_unread`: how many of their notifications are unread (a subquery
    of the users' query: the request's user is loaded with it, accounts.backends)."""
    unread = (Notification.objects.filter(user=OuterRef("pk"), read_at=None).order_by()
              .values("user").annotate(count=Count("pk")).values("count"))
    return users.annotate(inbox_unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)))


def unread_changed(user) -> None:
    """The user's notifications were read or received in this request, after the user was loaded
    with their unread count: a page rendered next counts again (context_processors.inbox)."""
    try:
        del user.inbox_unread
    except AttributeError:
        pass


def unread_count(user) -> int:
    """The header's count: the one loaded with the user, else counted now."""
    loaded = getattr(user, "inbox_unread", None)
    return loaded if loaded is not None else user.notifications.filter(read_at=None).count()


def latest_with_unread(user, limit: int = 5) -> tuple[list, int]:
    """The user's latest notifications and how many of all theirs are unread, in one query (the
    count is a window over all the user's notifications, taken before the limit)."""
    rows = list(user.notifications.annotate(unread_total=Window(Count("pk", filter=Q(read_at=None))))[:limit])
    return rows, rows[0].unread_total if rows else 0


def inbox_counts(user) -> dict:
    """{"total": ..., "unread": ...} of the user's notifications, in one query."""
    return user.notifications.aggregate(total=Count("pk"), unread=Count("pk", filter=Q(read_at=None)))


def inbox_rows(user, number: int, per_page: int) -> list:
    """Page `number` of the user's notifications, each row carrying the counts of all of them
    (`total`, `unread_total`: windows taken before the slice), in one query; [] past the end."""
    start = (number - 1) * per_page
    return list(user.notifications.annotate(total=Window(Count("pk")), unread_total=Window(Count("pk", filter=Q(read_at=None))))
                [start:start + per_page])
