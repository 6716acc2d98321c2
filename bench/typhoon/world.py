"""The people of the typhoon night: townships and departments with API keys, staff who watch the board,
duty officers, a duty leader and the director, and a published roster so that alarms reach whoever is on
duty now. Needs Django set up; returns plain data (keys, session cookies) for the load clients."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class World:
    units: list[dict] = field(default_factory=list)  # {"code", "key"}
    staff: list[dict] = field(default_factory=list)  # {"username", "sessionid"}
    officers: list[dict] = field(default_factory=list)  # {"username", "sessionid", "csrftoken"}
    director: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "units": self.units,
            "staff": self.staff,
            "officers": self.officers,
            "director": self.director,
        }


def _session(user) -> tuple[str, str]:
    """A signed-in session for ``user`` (what the login page would create) and a CSRF token for forms."""
    from django.middleware.csrf import _get_new_csrf_string  # type: ignore[attr-defined]
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies["sessionid"].value, _get_new_csrf_string()


def build_world(*, units: int, staff: int = 20, officers: int = 5, roster: bool = True) -> World:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save
    from django.utils import timezone
    from factory.django import mute_signals

    from duty.models import Pool, RotationMember
    from duty.services.roster import roster_generate, roster_publish
    from office.org.models import Role, Staff, Unit, UnitAPIKey, UnitKind
    from office.org.roles import assign_roles

    User = get_user_model()
    office, _ = Unit.objects.get_or_create(
        code="typhoon-office", defaults={"name": "市委办公室（台风演练）", "kind": UnitKind.OFFICE}
    )

    def person(username: str, name: str, *roles: str):
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if created:
            user.email = f"{username}@typhoon.invalid"
            user.set_unusable_password()
            user.save()
            Staff.objects.create(user=user, name=name, unit=office, phone="13900000000")
        assign_roles(user, roles)
        return user

    world = World()
    director = person("typhoon-director", "主任", Role.DIRECTOR)
    sid, csrf = _session(director)
    world.director = {"username": director.username, "sessionid": sid, "csrftoken": csrf}
    leaders = [person(f"typhoon-leader{i}", f"带班领导{i}", Role.DUTY_LEADER) for i in range(2)]
    duty_officers = [person(f"typhoon-officer{i}", f"值班员{i}", Role.DUTY_OFFICER) for i in range(officers)]
    for pool, people in ((Pool.LEADER, leaders), (Pool.OFFICER, duty_officers)):
        for i, u in enumerate(people):
            RotationMember.objects.get_or_create(user=u, pool=pool, defaults={"order": i})
    if roster:
        today = timezone.localdate()
        # last month, this month and the next: the small hours of the 1st are the night shift of the
        # month before, and a run can cross midnight at a month's end
        y, m = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        for _ in range(3):
            roster_publish(actor=director, roster=roster_generate(actor=director, year=y, month=m))
            y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    for u in duty_officers:
        sid, csrf = _session(u)
        world.officers.append({"username": u.username, "sessionid": sid, "csrftoken": csrf})
    # Staff who watch the board, the supervision list and the dashboard: the leadership of the night.
    # Deputy directors open the director's dashboard; duty leaders (with staff) their home page.
    for i in range(staff):
        deputy = i % 2 == 0
        roles = (Role.DEPUTY_DIRECTOR,) if deputy else (Role.DUTY_LEADER, Role.STAFF)
        u = person(f"typhoon-staff{i}", f"指挥部成员{i}", *roles)
        sid, _csrf = _session(u)
        world.staff.append(
            {"username": u.username, "sessionid": sid, "home": "dashboard" if deputy else "home"}
        )
    for i in range(units):
        kind = UnitKind.TOWNSHIP if i % 5 else UnitKind.DEPARTMENT
        unit, _ = Unit.objects.get_or_create(
            code=f"typhoon-u{i:03d}", defaults={"name": f"台风演练单位{i:03d}", "kind": kind}
        )
        # The security log's receiver of key issuance is muted here: setup bookkeeping, not the measured path
        # (and on PostgreSQL it cannot store the key's 73-character id in its 64-character subject_id).
        with mute_signals(post_save):
            _key_obj, key = UnitAPIKey.objects.create_key(name=f"{unit.name}系统", unit=unit)
        world.units.append({"code": unit.code, "key": key})
    return world
