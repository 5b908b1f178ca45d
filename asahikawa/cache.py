"""The cache when Redis is configured: Redis, and a per-process memory cache while Redis does not answer.

What the cache holds is either a cache (pages and figures are recomputed) or allauth's sign-in
attempt counters. So a Redis outage must not turn sign-in into a 500: we chose to keep sign-in
working on a local fallback limit rather than refuse it with a 503. During the outage each web
process counts attempts in its own memory, so the limits still hold per process (with 4 gunicorn
workers, an attacker gets at most 4x the configured attempts); Redis is tried again every
RETRY_AFTER seconds and used as soon as it answers. Every switch is logged as a warning."""
import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        self.retry_after = float(params["OPTIONS"].pop("RETRY_AFTER", 5))
        # Fail fast: a Redis that does not answer must not hold a request for long.
        params["OPTIONS"].setdefault("socket_connect_timeout", 1)
        params["OPTIONS"].setdefault("socket_timeout", 1)
        super().__init__(server, params)
        self._fallback = LocMemCache(f"fallback-{server}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, name, *args, **kwargs):
        if not self.redis_down:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as exc:
                with self._lock:
                    self._down_until = time.monotonic() + self.retry_after
                logger.warning("cache: Redis unreachable, using the per-process fallback", extra={"error": repr(exc)})
            else:
                if self._down_until:
                    with self._lock:
                        self._down_until = 0.0
                    logger.warning("cache: Redis answers again")
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")
