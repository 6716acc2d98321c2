"""The office in miniature for the post risk review: the director, a deputy, 综合科 (its chief, the
meeting-service clerk 王一 and the duty clerk 李二) and 机要科 (one clerk), and a register of three posts."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from office.org.models import Role, UnitKind
from office.risks.models import Area
from office.risks.services.register import post_create, risk_create
from tests.factories import UnitFactory, make_user

TZ = timezone.get_default_timezone()


def at(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args), TZ)


@pytest.fixture
def office(db):
    root = UnitFactory(code="office", name="市委办公室", kind=UnitKind.OFFICE)
    general = UnitFactory(code="general", name="综合科", kind=UnitKind.SECTION, parent=root)
    secret = UnitFactory(code="secret", name="机要科", kind=UnitKind.SECTION, parent=root)
    w = SimpleNamespace(root=root, general=general, secret=secret)
    w.director = make_user(Role.DIRECTOR, unit=root, name="周主任")
    w.deputy = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="吴副主任")
    w.chief = make_user(Role.SECTION_CHIEF, unit=general, name="郑科长")
    w.meeting_clerk = make_user(Role.STAFF, unit=general, name="王一")
    w.duty_clerk = make_user(Role.STAFF, unit=general, name="李二")
    w.secret_clerk = make_user(Role.STAFF, unit=secret, name="赵四")
    w.unit_user = make_user(Role.EXTERNAL_UNIT, name="甲镇联络员")
    w.meeting_post = post_create(
        actor=None, code="meeting-service", name="会务保障岗", section=general, holders=[w.meeting_clerk]
    )
    w.duty_post = post_create(
        actor=None, code="duty-desk", name="值班值守岗", section=general, holders=[w.duty_clerk]
    )
    w.secret_post = post_create(
        actor=None, code="confidential", name="机要文件管理岗", section=secret, holders=[w.secret_clerk]
    )
    w.av = risk_create(
        actor=None,
        post=w.meeting_post,
        code="av-failure",
        area=Area.MEETINGS,
        title="视频音响未按实际课件和视频链路测试",
        likelihood=3,
        impact=4,  # 12 中
        owner=w.meeting_clerk,
        controls=[("会前 2 小时由技术人员按实际课件和视频链路逐项测试", w.meeting_clerk)],
    )
    w.late = risk_create(
        actor=None,
        post=w.duty_post,
        code="late-report",
        area=Area.DUTY,
        title="紧急信息迟报漏报",
        likelihood=2,
        impact=5,  # 10 中
        owner=w.duty_clerk,
        controls=[("接报后 30 分钟内电话报告，1 小时内书面报告", w.duty_clerk)],
    )
    w.leak = risk_create(
        actor=None,
        post=w.secret_post,
        code="leak",
        area=Area.CONFIDENTIAL,
        title="涉密文件传阅范围失控",
        likelihood=1,
        impact=5,  # 5 低
        controls=[("按密级登记传阅，专人收回", w.secret_clerk)],
    )
    return w
