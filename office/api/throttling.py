"""Throttling of the API: one rate per unit API key, per signed-in person and per anonymous address.

The counts live in the cache named ``throttle`` (office/settings.py): Redis when CACHE_URL is Redis, else
a file cache under OFFICE_VAR_DIR, so that every gunicorn worker on the machine counts together. The
rates are read on each request:

- ``OFFICE_API_RATE_KEY`` (default 120/min), counted by the key's prefix: all requests of one key;
- ``OFFICE_API_RATE_USER`` (default 300/min), counted by the user's id: all sessions of one person;
- ``OFFICE_API_RATE_ANON`` (default 30/min), counted by the client address (REST_FRAMEWORK NUM_PROXIES
  says how many proxies' X-Forwarded-For entries to trust).

A rate is ``<number>/<s|min|h|day>``; ``off`` switches that kind of throttling off. A throttled request
answers 429 ``throttled`` with ``Retry-After``. DRF keeps a list of recent request times per caller; with
the file cache two workers writing the same caller's list at the same instant may lose one count, which
only makes the limit a little more lenient under bursts.
"""

import logging

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from office.conf import office_setting
from office.org.principals import UnitPrincipal

logger = logging.getLogger("office.api")

DEFAULT_RATES = {"key": "120/min", "user": "300/min", "anon": "30/min"}


def configured_rate(scope: str) -> tuple[str, str]:
    """(setting name, rate) for a kind of caller, read on every request."""
    if scope == "key":
        return "OFFICE_API_RATE_KEY", str(office_setting("OFFICE_API_RATE_KEY", DEFAULT_RATES["key"]))
    if scope == "user":
        return "OFFICE_API_RATE_USER", str(office_setting("OFFICE_API_RATE_USER", DEFAULT_RATES["user"]))
    return "OFFICE_API_RATE_ANON", str(office_setting("OFFICE_API_RATE_ANON", DEFAULT_RATES["anon"]))


OFF = {"", "off", "none", "0"}


class OfficeApiThrottle(SimpleRateThrottle):
    cache_format = "throttle_%(scope)s_%(ident)s"

    def __init__(self):  # the rate depends on who calls: chosen in allow_request
        self.rate = None

    @property
    def cache(self):
        return caches["throttle"]

    def _caller(self, request) -> tuple[str, str]:
        user = request.user
        if isinstance(user, UnitPrincipal):
            return "key", user.api_key.prefix
        if user is not None and user.is_authenticated:
            return "user", str(user.pk)
        return "anon", self.get_ident(request)

    def allow_request(self, request, view):
        self.scope, self.ident = self._caller(request)
        name, rate = configured_rate(self.scope)
        rate, default = rate.strip(), DEFAULT_RATES[self.scope]
        if rate.lower() in OFF:
            return True
        try:
            self.num_requests, self.duration = self.parse_rate(rate)
        except (ValueError, KeyError, IndexError):
            logger.warning("%s=%r is not a rate such as 120/min; using %s", name, rate, default)
            rate = default
            self.num_requests, self.duration = self.parse_rate(rate)
        self.rate = rate
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
