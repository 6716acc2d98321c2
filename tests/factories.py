"""Factories for the shared core (organisation). App factories live in tests/<app>/factories.py."""

import factory
from django.contrib.auth import get_user_model

from office.org.models import Role, Staff, Unit, UnitKind
from office.org.roles import assign_roles


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试单位{n}")
    code = factory.Sequence(lambda n: f"unit-{n}")
    kind = UnitKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"张{n}")
    unit = factory.SubFactory(UnitFactory, kind=UnitKind.SECTION)
    position = "科员"
    phone = factory.Sequence(lambda n: f"1380000{n:04d}")

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create and extracted:
            assign_roles(obj.user, extracted)


def make_user(*roles: str, unit: Unit | None = None, **kwargs):
    """A signed-in-able user with a staff profile and the given roles."""
    if unit is None:
        external = roles == (Role.EXTERNAL_UNIT,)
        unit = UnitFactory(kind=UnitKind.DEPARTMENT if external else UnitKind.SECTION)
    return StaffFactory(unit=unit, roles=list(roles), **kwargs).user
