"""The office of the speech in miniature for 办会: the director, the deputy in charge of 综合科 (the
section that runs meetings), its chief, an organizer and a technician; two invited departments with a
liaison each; the 大会议室 and the small room."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from office.meetings.models import MeetingType, Room
from office.meetings.seed import ensure_defaults
from office.org.models import Role, UnitKind
from tests.factories import UnitFactory, make_user

TZ = timezone.get_default_timezone()


def at(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args), TZ)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # a dozen users per test: PBKDF2 would cost seconds on a loaded CI machine
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(db):
    ensure_defaults()
    root = UnitFactory(code="office", name="市委办公室", kind=UnitKind.OFFICE)
    general = UnitFactory(code="zonghe", name="综合科", kind=UnitKind.SECTION, parent=root)
    w = SimpleNamespace(root=root, general=general)
    w.director = make_user(Role.DIRECTOR, unit=root, name="王建国")
    w.deputy = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="陈晓东")
    w.deputy.staff.sections_in_charge.set([general])
    w.other_deputy = make_user(Role.DEPUTY_DIRECTOR, unit=root, name="李志强")
    w.chief = make_user(Role.SECTION_CHIEF, unit=general, name="郑科长")
    general.head = w.chief
    general.save()
    w.organizer = make_user(Role.STAFF, unit=general, name="王会务")
    w.technician = make_user(Role.STAFF, unit=general, name="刘技术")
    w.clerk = make_user(Role.STAFF, unit=general, name="张科员")
    w.dept_a = UnitFactory(
        code="fgw", name="市发展和改革委员会", short_name="市发改委", kind=UnitKind.DEPARTMENT, sort_order=1
    )
    w.dept_b = UnitFactory(
        code="zjj", name="市住房和城乡建设局", short_name="市住建局", kind=UnitKind.DEPARTMENT, sort_order=2
    )
    w.dept_c = UnitFactory(
        code="jyj", name="市教育局", short_name="市教育局", kind=UnitKind.DEPARTMENT, sort_order=3
    )
    w.liaison_a = make_user(Role.EXTERNAL_UNIT, unit=w.dept_a, name="发改联络员")
    w.liaison_b = make_user(Role.EXTERNAL_UNIT, unit=w.dept_b, name="住建联络员")
    w.liaison_c = make_user(Role.EXTERNAL_UNIT, unit=w.dept_c, name="教育联络员")
    w.big_room = Room.objects.create(
        name="一号会议室", capacity=80, equipment="话筒 12 支\n投影 1 台\n视频会议终端"
    )
    w.small_room = Room.objects.create(name="三号会议室", capacity=4)
    w.training = MeetingType.objects.get(code="training")
    w.standing = MeetingType.objects.get(code="standing-committee")
    return w


def make_meeting(
    w,
    *,
    starts_at,
    title="市级领导公共管理核心课程培训会",
    mtype=None,
    room=None,
    hours=2,
    units=None,
    leaders=None,
    **kw,
):
    from office.meetings.services.meetings import meeting_create

    return meeting_create(
        actor=w.director,
        meeting_type=mtype or w.training,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        room=room if room is not None else w.big_room,
        section=w.general,
        presiding=kw.pop("presiding", w.director),
        organizer=w.organizer,
        technician=w.technician,
        leaders=leaders if leaders is not None else [w.deputy],
        units=units if units is not None else [w.dept_a, w.dept_b],
        **kw,
    )
