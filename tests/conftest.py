"""Shared fixtures. The whole suite runs on SQLite by default and on PostgreSQL + Redis when
DATABASE_URL / CELERY_BROKER_URL are set (CI runs both)."""

import os
import uuid

import pytest
from django.conf import settings

from office.org.models import Role
from tests.factories import UnitFactory, make_user

_SERVICE_MISSING = pytest.StashKey[str]()

# The suite makes thousands of users and signs them in: a fast hasher keeps each test from spending a
# second in PBKDF2. tests/security/test_passwords.py checks that production keeps PBKDF2.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    on_pg = connection.vendor == "postgresql"
    # CI's PostgreSQL + Redis pass sets OFFICE_REQUIRE_SERVICES=1: there a missing service fails the test.
    require = os.environ.get("OFFICE_REQUIRE_SERVICES") == "1"
    for item in items:
        missing = []
        if "postgres" in item.keywords and not on_pg:
            missing.append("needs PostgreSQL: set DATABASE_URL (CI runs it)")
        if "realworker" in item.keywords and not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
            missing.append("needs Redis: set CELERY_BROKER_URL (CI runs it)")
        if missing and require:
            item.stash[_SERVICE_MISSING] = "; ".join(missing)
        elif missing:
            item.add_marker(pytest.mark.skip(reason="; ".join(missing)))


def pytest_runtest_setup(item):
    if _SERVICE_MISSING in item.stash:
        pytest.fail(f"OFFICE_REQUIRE_SERVICES=1 but {item.stash[_SERVICE_MISSING]}", pytrace=False)


@pytest.fixture(autouse=True)
def _office_settings(settings, tmp_path):
    settings.LANGUAGE_CODE = "zh-hans"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The suite sends far more requests a minute than any rate allows: the counts stay in memory and
    # throttling is off unless a test sets a rate (tests/api/test_throttling.py).
    # Each test its own default cache (the dashboard keeps rendered fragments there, keyed by a stamp that
    # a frozen clock and reused ids could repeat from one test to the next).
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"t-{uuid.uuid4().hex}",
        },
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }
    settings.OFFICE_API_RATE_KEY = settings.OFFICE_API_RATE_USER = settings.OFFICE_API_RATE_ANON = "off"


@pytest.fixture
def director(db):
    return make_user(Role.DIRECTOR)


@pytest.fixture
def staff_user(db):
    return make_user(Role.STAFF)


@pytest.fixture
def unit_a(db):
    return UnitFactory(name="甲镇", code="town-a")


@pytest.fixture
def unit_b(db):
    return UnitFactory(name="乙镇", code="town-b")
