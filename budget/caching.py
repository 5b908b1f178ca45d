"""The budget's rendered pages and API answers, cached (asahikawa/caching.py, scope "budget"): a
year changes only when it is imported, replaced or edited by staff, and each of those calls
changed()."""

from __future__ import annotations

from asahikawa import caching

SCOPE = "budget"


def changed() -> None:
    """The budget's figures changed (or will when the current transaction commits)."""
    caching.changed(SCOPE)


def cached(name: str, *parts, compute):
    """compute()'s value for (name, parts) in the request's language, computed once per version."""
    return caching.cached(SCOPE, name, *parts, compute=compute)
