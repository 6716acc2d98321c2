import pytest

from office.org.models import Role, UnitKind
from tests.factories import UnitFactory, make_user

PASSWORD = "pass-word-123"


@pytest.fixture(autouse=True)
def _fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _admin(role):
    user = make_user(role, unit=UnitFactory(kind=UnitKind.SECTION))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def system_admin(db):
    return _admin(Role.SYSTEM_ADMIN)


@pytest.fixture
def security_admin(db):
    return _admin(Role.SECURITY_ADMIN)


@pytest.fixture
def audit_admin(db):
    return _admin(Role.AUDIT_ADMIN)


@pytest.fixture
def liaison(db):
    return make_user(Role.EXTERNAL_UNIT)


def sign_in(client, user, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": user.get_username(), "password": password}, **extra)
