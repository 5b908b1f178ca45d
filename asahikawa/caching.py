"""Parts of pages that change rarely, cached until they change.

An app caches under a scope (its label: "budget", "grants", "notices"). Every key carries the
scope's version, a random token in the cache: changed(scope) sets a new one, so nothing cached before
a change is read after it, in any process. It sets it at once and again after the transaction commits
(a request that read the old rows between the two cannot leave them cached under the new version).
Without the version in the cache (evicted, Redis restarted) a new one is made: a miss, never a stale
page. Every key also carries the release (a digest of the project's code, templates and compiled
translations): after a deploy that changes how a page renders, nothing rendered by the old code is read. The cache is Redis in production and the file cache locally (settings.CACHES).

What changes the scope:
- an app's `cached_models` (asahikawa/areas.py): every save and delete of those models, from the
  services, the admin console or a task, changes the app's scope (connected in `watch()`);
- a write that sends no signal (QuerySet.update, bulk_create, bulk_update, raw SQL) calls
  changed() itself, in the same function.

What depends on the clock (a notice published at 9:00, a program that opens today) passes `until`:
a function, called when the value is computed, that gives the moment the value may change without a
write (or None). The entry expires then, by the portal's clock: the moment is kept with the value and
checked on every read (the cache's own timeout, in whole seconds, only frees the space), so a clock
moved in a test (time_machine) expires it with Redis as with the memory cache.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

TIMEOUT = 24 * 3600  # entries of older versions expire on their own


RELEASE_FILES = (".py", ".html", ".txt", ".mo")  # what decides how a cached value renders
_NOT_CODE = {"node_modules", "staticfiles", "media", "__pycache__"}  # and every hidden folder (.venv, .var, .git)


def digest(root: Path) -> str:
    """A digest of the files under root that decide how a page renders (their paths and contents)."""
    found = hashlib.blake2b(digest_size=8)
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name not in _NOT_CODE)
        for name in sorted(files):
            if name.endswith(RELEASE_FILES):
                path = Path(folder, name)
                found.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return found.hexdigest()


@functools.cache
def release() -> str:
    """The running code's digest, computed once per process (every web process of a release agrees)."""
    return digest(Path(settings.BASE_DIR))


def _version_key(scope: str) -> str:
    return f"{release()}:{scope}:version"


def _new_versions(scopes) -> None:
    cache.set_many({_version_key(scope): uuid.uuid4().hex for scope in scopes}, timeout=None)


def changed(*scopes: str) -> None:
    """What the scopes' cached values were computed from changed (or will when the current
    transaction commits)."""
    _new_versions(scopes)
    transaction.on_commit(lambda: _new_versions(scopes))


def version(scope: str) -> str:
    return _versions([scope])[0]


def _versions(scopes) -> list[str]:
    """The scopes' current versions, read in one call to the cache (a missing one is made)."""
    keys = [_version_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    if missing := [key for key in keys if found.get(key) is None]:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)
        found.update(cache.get_many(missing))
    return [found.get(key) or "none" for key in keys]


# What is stored: (_ENTRY, the moment the value expires or None, value); builtins only around the value,
# so that any later version of this module reads it (anything else under a key is a miss).
_ENTRY = "entry/1"


def _fresh(entry) -> bool:
    return (isinstance(entry, tuple) and len(entry) == 3 and entry[0] == _ENTRY
            and (entry[1] is None or timezone.now() < entry[1]))


def _timeout(moment: datetime.datetime | None) -> int:
    if moment is None:
        return TIMEOUT
    return max(0, min(TIMEOUT, math.floor((moment - timezone.now()).total_seconds())))


def _key(scope: str | tuple[str, ...], name: str, *parts) -> str:
    """The key of (name, parts) in the scope's current version (each scope's, for several) and the
    request's language."""
    scopes = (scope,) if isinstance(scope, str) else tuple(scope)
    return ":".join([release(), *scopes, *_versions(scopes), get_language() or "", name, *(str(part) for part in parts)])


def cached(scope: str | tuple[str, ...], name: str, *parts, compute, until=None):
    """compute()'s value for (name, parts) in the request's language, computed once per version of
    the scope (and, with `until`, again from the moment it gives). compute() may raise (Http404):
    nothing is cached then. With several scopes (a user's own and a shared one), a change of any
    of them is a change."""
    key = _key(scope, name, *parts)
    entry = cache.get(key)
    if _fresh(entry):
        return entry[2]
    value = compute()
    moment: datetime.datetime | None = until() if until else None
    timeout = _timeout(moment)
    if timeout:
        cache.set(key, (_ENTRY, moment, value), timeout)
    return value


def watch(scope: str, models) -> None:
    """Every save and delete of these models changes the scope."""

    def receiver(sender, **kwargs):
        changed(scope)

    for model in models:
        for event, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=f"caching:{scope}:{model._meta.label}:{event}")
