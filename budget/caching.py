"""The budget's rendered pages and API answers, cached: a year changes only when it is imported,
replaced or edited by staff, and each of those calls changed().

Every key carries the budget's version (a random token in the cache): changed() sets a new one, so
nothing cached before a change is read after it, in any process. It sets it at once and again
after the transaction commits (a request that read the old figures between the two cannot leave
them cached under the new version). Without the version in the cache (evicted, Redis restarted)
a new one is made: a miss, never a stale page. The cache is Redis in production and the file cache
locally (settings.CACHES).
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

VERSION_KEY = "budget:version"
TIMEOUT = 24 * 3600  # entries of older versions expire on their own


def _new_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def changed() -> None:
    """The budget's figures changed (or will when the current transaction commits)."""
    _new_version()
    transaction.on_commit(_new_version)


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = cache.get(VERSION_KEY) or "none"
    return current


def cached(name: str, *parts, compute):
    """compute()'s value for (name, parts) in the request's language, computed once per version.
    compute() may raise (Http404): nothing is cached then."""
    key = ":".join(["budget", version(), get_language() or "", name, *(str(part) for part in parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
