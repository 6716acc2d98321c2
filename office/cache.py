"""Redis as the cache, where a Redis restart is a few misses, not errors.

Everything the office keeps in its cache can be read again from the database (the dashboard's parts, the
ranking, the proofreader's version) or is a count that may start afresh (the API's throttling), so a
Redis that is restarting or unreachable must not turn a report, a follow-up or a page into a 500: while
Redis does not answer, a read is a miss, a write is skipped, a throttle count starts again (the request is
let through), and each failure is logged as a warning. ``office/settings.py`` uses this backend wherever
CACHE_URL names Redis. Measured by bench/typhoon.py (Redis killed and restarted mid-run) and asserted by
``tests/office/test_cache.py``.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("office.cache")
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
    def _or(self, operation: str, fallback, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except UNREACHABLE as exc:
            logger.warning("cache %s skipped: Redis unreachable (%s)", operation, exc)
            return fallback

    def get(self, key, default=None, version=None):
        return self._or("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._or("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._or("has_key", False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or("set_many", list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # not added: a caller using add as a lock takes the safe side (someone else may hold it)
        return self._or("add", False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._or("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._or("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            # as for a key that is not there: callers already handle ValueError by setting it afresh
            logger.warning("cache incr skipped: Redis unreachable (%s)", exc)
            raise ValueError(f"Key {key!r} not found (Redis unreachable)") from exc

    def clear(self):
        return self._or("clear", False, super().clear)
