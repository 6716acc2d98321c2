"""A small 政研 world: the director, the deputy in charge of the 政研室, a second deputy (not in charge),
the 政研室 with its chief and a researcher, an office clerk of 综合科, and a township with its liaison."""

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
    zhengyan = UnitFactory(code="zhengyan", name="市委政策研究室", kind=UnitKind.SECTION, parent=root)
    general = UnitFactory(code="general", name="综合科", kind=UnitKind.SECTION, parent=root)
    town = UnitFactory(code="town1", name="甲镇人民政府", kind=UnitKind.TOWNSHIP)
    town2 = UnitFactory(code="town2", name="乙镇人民政府", kind=UnitKind.TOWNSHIP)
    w = SimpleNamespace(root=root, zhengyan=zhengyan, general=general, town=town, town2=town2)
    w.director = make_user(Role.DIRECTOR, unit=root, name="周主任")
    w.deputy = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="吴副主任")
    w.deputy.staff.sections_in_charge.set([zhengyan])
    w.other_deputy = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="郑副主任")
    w.chief = make_user(Role.SECTION_CHIEF, Role.RESEARCHER, unit=zhengyan, name="王主任")
    w.researcher = make_user(Role.RESEARCHER, unit=zhengyan, name="李研究员")
    w.clerk = make_user(Role.STAFF, unit=general, name="张科员")
    w.outsider = make_user(Role.STAFF, unit=general, name="赵科员")
    w.liaison = make_user(Role.EXTERNAL_UNIT, unit=town, name="甲镇联络员")
    w.liaison2 = make_user(Role.EXTERNAL_UNIT, unit=town2, name="乙镇联络员")
    return w


@pytest.fixture
def approved_topic(office):
    """An approved plan with one major topic led by the researcher (started 2026-03-02)."""
    from research.services.plans import plan_approve, plan_create, plan_submit, topic_add

    w = office
    plan = plan_create(actor=w.chief, year=2026)
    topic = topic_add(
        actor=w.chief,
        plan=plan,
        title="关于县域经济高质量发展的调研",
        kind="major",
        lead=w.researcher,
        team=[w.clerk],
        external_members="某大学刘教授",
        commissioned_by=w.director,
        started_on=dt.date(2026, 3, 2),
    )
    plan_submit(actor=w.chief, plan=plan)
    plan_approve(actor=w.director, plan=plan)
    topic.refresh_from_db()
    return topic
