"""Liveness and readiness. Apps add readiness checks with ``register_check`` (the clock adds its own)."""

from collections.abc import Callable

from django.conf import settings
from django.db import connection

_CHECKS: dict[str, Callable[[], tuple[bool, str]]] = {}


def register_check(name: str, check: Callable[[], tuple[bool, str]]) -> None:
    _CHECKS[name] = check


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # any failure means not ready
        return False, f"{type(exc).__name__}: {exc}"


def check_broker() -> tuple[bool, str]:
    from kombu import Connection

    # A fresh connection each time: a pooled one could answer for a broker that has since gone away.
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, conn.as_uri()
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"


register_check("database", check_database)
register_check("broker", check_broker)


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in _CHECKS.items():
        ok, detail = check()
        results[name] = {"ok": ok, "detail": detail}
    return results
