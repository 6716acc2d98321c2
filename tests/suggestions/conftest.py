"""The office of the speech in miniature: the director, a deputy in charge of 综合科, 综合科's chief
and three clerks, 信息科 with one clerk, and the director's secretary (a clerk of the campaign)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from office.org.models import Role, UnitKind
from tests.factories import UnitFactory, make_user

TZ = timezone.get_default_timezone()


def at(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args), TZ)


@pytest.fixture
def office(db):
    root = UnitFactory(code="office", name="市委办公室", kind=UnitKind.OFFICE)
    general = UnitFactory(code="general", name="综合科", kind=UnitKind.SECTION, parent=root)
    info = UnitFactory(code="info", name="信息科", kind=UnitKind.SECTION, parent=root)
    w = SimpleNamespace(root=root, general=general, info=info)
    w.director = make_user(Role.DIRECTOR, unit=root, name="周主任")
    w.deputy = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="吴副主任")
    w.deputy.staff.sections_in_charge.set([general])
    w.chief = make_user(Role.SECTION_CHIEF, unit=general, name="郑科长")
    general.head = w.chief
    general.save()
    w.one = make_user(Role.STAFF, unit=general, name="王一")
    w.two = make_user(Role.STAFF, unit=general, name="李二")
    w.none = make_user(Role.STAFF, unit=general, name="张三")
    w.info_staff = make_user(Role.STAFF, unit=info, name="赵四")
    w.secretary = make_user(Role.STAFF, unit=root, name="钱秘书")
    return w
