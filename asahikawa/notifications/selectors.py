"""Reads of a user's inbox that pages share with the header's unread count (context_processors)."""
from django.db.models import Count, Q, Window


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
