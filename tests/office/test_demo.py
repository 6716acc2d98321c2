import pytest
from django.core.management import call_command

from office.org.models import Role, Staff, Unit, UnitKind
from office.org.roles import has_role

pytestmark = pytest.mark.django_db


def test_demo_office_is_idempotent_and_shaped_like_the_speech(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("demo_office")
    counts = (Unit.objects.count(), Staff.objects.count())
    first_out = capsys.readouterr().out
    call_command("demo_office")
    assert (Unit.objects.count(), Staff.objects.count()) == counts
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == 10
    assert Unit.objects.filter(kind=UnitKind.TOWNSHIP).count() == 8
    internal = Staff.objects.filter(unit__kind__in=[UnitKind.OFFICE, UnitKind.SECTION]).count()
    assert internal >= 30
    deputies = Staff.objects.filter(user__groups__name=Role.DEPUTY_DIRECTOR)
    assert deputies.count() == 4 and all(d.sections_in_charge.exists() for d in deputies)
    assert has_role(Staff.objects.get(user__username="director").user, Role.DIRECTOR)
    # the township key printed on both runs is the same and valid
    key = first_out.strip().splitlines()[-1].split("：")[-1]
    assert key in capsys.readouterr().out
