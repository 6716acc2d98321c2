"""A small office for 信息报送: the director, a deputy in charge of 信息科, 信息科's chief and an editor,
a 综合科 clerk (office staff but no editor), two townships each with its liaison (the unit's head) and
a drafter, and each township's API key."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from office.org.models import Role, UnitAPIKey, UnitKind
from tests.factories import UnitFactory, make_user

TZ = timezone.get_default_timezone()


def at(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args), TZ)


@pytest.fixture
def office(db, settings):
    settings.INFORMATION_SECTION_UNITS = ["xinxi"]
    root = UnitFactory(code="office", name="市委办公室", kind=UnitKind.OFFICE)
    info = UnitFactory(code="xinxi", name="信息科", kind=UnitKind.SECTION, parent=root)
    general = UnitFactory(code="zonghe", name="综合科", kind=UnitKind.SECTION, parent=root)
    town_a = UnitFactory(code="town-a", name="城关镇人民政府", short_name="城关镇", kind=UnitKind.TOWNSHIP)
    town_b = UnitFactory(code="town-b", name="石门乡人民政府", short_name="石门乡", kind=UnitKind.TOWNSHIP)
    w = SimpleNamespace(root=root, info=info, general=general, town_a=town_a, town_b=town_b)
    w.director = make_user(Role.DIRECTOR, unit=root, name="周主任")
    w.deputy = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="吴副主任")
    w.deputy.staff.sections_in_charge.set([info])
    w.chief = make_user(Role.SECTION_CHIEF, unit=info, name="郑科长")
    info.head = w.chief
    info.save()
    w.editor = make_user(Role.STAFF, unit=info, name="赵编辑")
    w.clerk = make_user(Role.STAFF, unit=general, name="综合科王一")
    w.head_a = make_user(Role.EXTERNAL_UNIT, unit=town_a, name="城关镇联络员")
    town_a.head = w.head_a
    town_a.save()
    w.drafter_a = make_user(Role.EXTERNAL_UNIT, unit=town_a, name="城关镇信息员")
    w.head_b = make_user(Role.EXTERNAL_UNIT, unit=town_b, name="石门乡联络员")
    town_b.head = w.head_b
    town_b.save()
    _k, w.key_a = UnitAPIKey.objects.create_key(unit=town_a, name="城关镇系统")
    _k, w.key_b = UnitAPIKey.objects.create_key(unit=town_b, name="石门乡系统")
    return w
