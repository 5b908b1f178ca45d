"""Helpers every app's tests share (the fixtures are in the root conftest.py).

- Time: FIXED_NOW, TODAY and days_ago() are constants; the `fixed_now` fixture moves the clock there
  (time-machine), so that a test about days cannot fail because a run crosses midnight.
- Queries: count_queries() and assert_queries_do_not_grow(), the one way to test that a list does
  not run a query per row.
- Responses: body_text() and assert_not_shown(), so that an absence is checked on a page that
  answered, in every way the page could write the value.
"""
from __future__ import annotations

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.db import connection

TOKYO = ZoneInfo("Asia/Tokyo")
# A Wednesday morning in Asahikawa: far from midnight, mid-month, mid-week, in the middle of a fiscal year.
FIXED_NOW = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=TOKYO)
TODAY = FIXED_NOW.date()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def days_ago(n: int) -> datetime.date:
    """A day before TODAY (negative n: after it)."""
    return TODAY - datetime.timedelta(days=n)


def this_morning() -> datetime.datetime:
    """10:00 in Asahikawa on the real day: for tests with a real browser, whose cookies expire by the
    browser's own clock, so the test clock must not be moved to another day."""
    now = datetime.datetime.now(TOKYO)
    return now.replace(hour=10, minute=0, second=0, microsecond=0)


# --- queries -----------------------------------------------------------------------------------

@contextmanager
def count_queries():
    """The SQL statements run inside the block (a list: its len is the count). Counted by an
    execute wrapper, so the reset_queries that each test-client request triggers loses none."""
    counted = []

    def wrapper(execute, sql, params, many, context):
        counted.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counted


def queries_of(action) -> int:
    """How many queries action() runs."""
    with count_queries() as counted:
        action()
    return len(counted)


def counted_get(client, url) -> tuple[int, object]:
    """(queries, response) of a page once warm: it is asked for once (the session, the permissions
    and the cached parts are then read as a running server has them), then again with its queries
    counted. The page must answer 200."""
    client.get(url)
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(counted), response


def assert_queries_do_not_grow(action, grow) -> int:
    """action() runs as many queries after grow() has added rows as before (no query per row).
    Returns that number."""
    before = queries_of(action)
    grow()
    after = queries_of(action)
    assert after == before, f"{before} queries before the rows were added, {after} after"
    return before


# --- responses ---------------------------------------------------------------------------------

def body_text(response, encoding="utf-8-sig") -> str:
    """The body of any response as text: a page, JSON, or a streamed CSV (whose BOM is dropped)."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(encoding)


def written_forms(value) -> set[str]:
    """The ways a page may write a value: 15000 as "15000" and "15,000"."""
    if isinstance(value, int):
        return {str(value), f"{value:,}"}
    return {str(value)}


def assert_not_shown(response, *values, status: int = 200) -> str:
    """The response answered `status` (an error page does not pass for an absence) and shows none of
    the values in any form (written_forms). Returns its text."""
    assert response.status_code == status, f"answered {response.status_code}, not {status}"
    text = body_text(response)
    shown = sorted(form for value in values for form in written_forms(value) if form in text)
    assert not shown, f"shown: {shown}"
    return text
