import pytest

from office.org.models import Role
from tests.factories import make_user


@pytest.fixture
def leader(db):
    return make_user(Role.DUTY_LEADER, Role.DEPUTY_DIRECTOR)


@pytest.fixture
def officer(db):
    return make_user(Role.DUTY_OFFICER)


@pytest.fixture
def deputy(db):
    return make_user(Role.DUTY_OFFICER)


@pytest.fixture
def colleague(db):
    return make_user(Role.DUTY_OFFICER)
