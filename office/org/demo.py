"""The demo office of the director's speech: sections, leaders, staff, departments and townships."""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Role, Staff, Unit, UnitAPIKey, UnitKind
from .roles import assign_roles

DEMO_PASSWORD = "Office@2026"

SECTIONS = [
    ("mishu", "秘书科"),
    ("zonghe", "综合科"),
    ("xinxi", "信息科"),
    ("duban", "市委市政府督办室"),
    ("zhengyan", "市委政策研究室"),
    ("zhiban", "总值班室"),
    ("jiyao", "机要科"),
    ("fagui", "法规科"),
    ("wenshu", "文书科"),
]
DEPARTMENTS = [
    ("fgw", "市发展和改革委员会", "市发改委"),
    ("zjj", "市住房和城乡建设局", "市住建局"),
    ("zsj", "市投资促进局", "市投促局"),
    ("jtj", "市交通运输局", "市交通局"),
    ("sthj", "市生态环境局", "市生态环境局"),
    ("jyj", "市教育局", "市教育局"),
    ("wjw", "市卫生健康委员会", "市卫健委"),
    ("yjj", "市应急管理局", "市应急局"),
    ("czj", "市财政局", "市财政局"),
    ("gaj", "市公安局", "市公安局"),
]
TOWNSHIPS = ["城关镇", "东城镇", "西河镇", "南山镇", "北坪乡", "青石镇", "柳湾乡", "桃源镇"]

# username, name, unit code, position, roles, phone
LEADERS = [
    ("director", "王建国", "office", "主任", [Role.DIRECTOR, Role.DUTY_LEADER]),
    ("deputy1", "李志强", "office", "副主任", [Role.DEPUTY_DIRECTOR, Role.DUTY_LEADER]),
    ("deputy2", "陈晓东", "office", "副主任", [Role.DEPUTY_DIRECTOR, Role.DUTY_LEADER]),
    ("deputy3", "刘海燕", "office", "副主任", [Role.DEPUTY_DIRECTOR, Role.DUTY_LEADER]),
    ("deputy4", "赵明", "office", "副主任、督办室主任", [Role.DEPUTY_DIRECTOR, Role.DUTY_LEADER]),
]
DEPUTY_SECTIONS = {
    "deputy1": ["mishu", "wenshu", "jiyao"],
    "deputy2": ["zonghe", "xinxi", "zhiban"],
    "deputy3": ["zhengyan", "fagui"],
    "deputy4": ["duban"],
}
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "华",
    "鑫",
    "波",
    "斌",
    "宇",
    "浩",
    "凯",
    "健",
]
# section code, how many staff, roles of the first (chief) and of the others
SECTION_STAFF = [
    ("mishu", 3, [Role.SECTION_CHIEF, Role.STAFF], [Role.STAFF]),
    ("zonghe", 3, [Role.SECTION_CHIEF, Role.STAFF], [Role.STAFF]),
    ("xinxi", 3, [Role.SECTION_CHIEF, Role.STAFF], [Role.STAFF]),
    ("zhengyan", 3, [Role.SECTION_CHIEF, Role.RESEARCHER], [Role.RESEARCHER]),
    ("jiyao", 2, [Role.SECTION_CHIEF, Role.STAFF], [Role.STAFF]),
    ("fagui", 2, [Role.SECTION_CHIEF, Role.STAFF], [Role.STAFF]),
    ("wenshu", 3, [Role.SECTION_CHIEF, Role.STAFF], [Role.STAFF]),
]


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _user(username, name, unit, position, roles, phone, email=""):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": name, "email": email}
    )
    if created:
        user.password = _demo_password_hash()  # hashed once: PBKDF2 per user would take seconds each run
        user.save(update_fields=["password"])
    staff, _ = Staff.objects.update_or_create(
        user=user, defaults={"name": name, "unit": unit, "position": position, "phone": phone}
    )
    assign_roles(user, roles)
    return staff


@transaction.atomic
def build_organisation(stdout=None) -> dict:
    office, _ = Unit.objects.update_or_create(
        code="office",
        defaults={
            "name": settings.OFFICE_NAME,
            "short_name": "市委办",
            "kind": UnitKind.OFFICE,
            "sort_order": 0,
        },
    )
    units = {"office": office}
    for i, (code, name) in enumerate(SECTIONS, start=1):
        units[code], _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": name,
                "kind": UnitKind.SECTION,
                "parent": office,
                "sort_order": 10 + i,
                "phone": f"0999-62{i:02d}000",
            },
        )
    for i, (code, name, short) in enumerate(DEPARTMENTS, start=1):
        units[code], _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": UnitKind.DEPARTMENT,
                "sort_order": 100 + i,
                "phone": f"0999-63{i:02d}000",
            },
        )
    for i, name in enumerate(TOWNSHIPS, start=1):
        code = f"town{i}"
        units[code], _ = Unit.objects.update_or_create(
            code=code,
            defaults={
                "name": f"{name}人民政府",
                "short_name": name,
                "kind": UnitKind.TOWNSHIP,
                "sort_order": 200 + i,
                "phone": f"0999-64{i:02d}000",
            },
        )

    staff = {}
    for n, (username, name, unit_code, position, roles) in enumerate(LEADERS):
        staff[username] = _user(
            username, name, units[unit_code], position, roles, f"1390999{n:04d}", f"{username}@office.local"
        )
    for deputy, codes in DEPUTY_SECTIONS.items():
        staff[deputy].sections_in_charge.set([units[c] for c in codes])
    office.head = staff["director"].user
    office.save(update_fields=["head"])
    director_user = staff["director"].user
    if not director_user.is_staff:  # the director may open the admin (with the director role's permissions)
        director_user.is_staff = True
        director_user.save(update_fields=["is_staff"])
    from office.security.conf import mlps

    if not mlps():  # the all-powerful admin only in demo mode; 三员分立's three administrators: security.demo
        admin = _user("admin", "系统管理员", units["mishu"], "系统管理员", [Role.STAFF], "13809990000")
        if not admin.user.is_superuser:
            admin.user.is_staff = admin.user.is_superuser = True
            admin.user.save(update_fields=["is_staff", "is_superuser"])

    seq = 0

    def next_name():
        nonlocal seq
        name = SURNAMES[seq % len(SURNAMES)] + GIVEN[(seq * 7) % len(GIVEN)]
        seq += 1
        return name

    for code, count, chief_roles, other_roles in SECTION_STAFF:
        for k in range(count):
            username = f"staff{seq + 1:02d}"
            s = _user(
                username,
                next_name(),
                units[code],
                "科长" if k == 0 else "科员",
                chief_roles if k == 0 else other_roles,
                f"1380999{seq:04d}",
            )
            staff[username] = s
            if k == 0:
                units[code].head = s.user
                units[code].save(update_fields=["head"])
    # the duty room: a chief and six duty officers
    for k in range(7):
        username = f"duty{k + 1:02d}"
        roles = [Role.SECTION_CHIEF, Role.DUTY_OFFICER] if k == 0 else [Role.DUTY_OFFICER, Role.STAFF]
        staff[username] = _user(
            username, next_name(), units["zhiban"], "主任" if k == 0 else "值班员", roles, f"1370999{k:04d}"
        )
        if k == 0:
            units["zhiban"].head = staff[username].user
            units["zhiban"].save(update_fields=["head"])
    # the supervision office: commissioners
    for k in range(4):
        username = f"duban{k + 1:02d}"
        staff[username] = _user(
            username,
            next_name(),
            units["duban"],
            "督查专员",
            [Role.SUPERVISION_COMMISSIONER, Role.STAFF],
            f"1360999{k:04d}",
        )
    units["duban"].head = staff["deputy4"].user
    units["duban"].save(update_fields=["head"])
    # one account per external unit
    for code, unit in units.items():
        if unit.kind in (UnitKind.DEPARTMENT, UnitKind.TOWNSHIP):
            s = _user(
                f"u-{code}",
                f"{unit.short_name}联络员",
                unit,
                "办公室主任",
                [Role.EXTERNAL_UNIT],
                unit.phone.replace("000", "001"),
            )
            unit.head = s.user
            unit.save(update_fields=["head"])
    return {"units": units, "staff": staff}


def demo_api_key(unit: Unit) -> str:
    """The demo township's key. Keys are stored hashed, so the clear key is kept in var/ to print it again;
    if that file is lost, the old key is revoked and a new one issued."""
    from .services import api_key_issue

    path = settings.VAR_DIR / f"demo_api_key_{unit.code}.txt"
    existing = UnitAPIKey.objects.filter(unit=unit, name="演示密钥", revoked=False)
    if path.exists():
        key = path.read_text().strip()
        if UnitAPIKey.objects.is_valid(key):
            return key
    with transaction.atomic():
        for old in existing:
            old.revoked = True
            old.save(update_fields=["revoked"])
        _, key = api_key_issue(actor=None, unit=unit, name="演示密钥")
    path.write_text(key)
    return key
