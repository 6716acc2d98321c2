import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from office.org.models import Role, UnitKind
from tests.factories import UnitFactory, make_user

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def clock():
    """Travel to Monday 9 March 2026, 09:00 Beijing time; ``clock.move_to(at(...))`` moves on."""
    with time_machine.travel(at(2026, 3, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def commissioner(db):
    return make_user(Role.SUPERVISION_COMMISSIONER, unit=UnitFactory(code="duban", kind=UnitKind.SECTION))


@pytest.fixture
def user_a(unit_a):
    return make_user(Role.EXTERNAL_UNIT, unit=unit_a)


@pytest.fixture
def user_b(unit_b):
    return make_user(Role.EXTERNAL_UNIT, unit=unit_b)


def pending_signer(document):
    """The person the document's chain will have sign it (its 签发 step's assignee)."""
    from documents.models import ReviewStep, StepKind, StepStatus

    step = ReviewStep.objects.get(
        document=document, kind=StepKind.SIGN_OFF, status__in=[StepStatus.WAITING, StepStatus.PENDING]
    )
    return step.assignee


def sign_chain(document, *, signer, reviewer=None, opinion="同意。"):
    """Walk the document's review chain as its people would: each pending step approved by its assignee;
    the 签发 step must be the ``signer``'s (and a 核稿 step the ``reviewer``'s, when given)."""
    from documents.models import ReviewStep, StepKind, StepStatus
    from documents.services import step_approve

    for _ in range(20):
        step = (
            ReviewStep.objects.filter(document=document, status=StepStatus.PENDING)
            .order_by("stage", "id")
            .first()
        )
        if step is None:
            break
        if step.kind == StepKind.SIGN_OFF:
            assert step.assignee == signer
        elif reviewer is not None and step.kind == StepKind.REVIEW:
            assert step.assignee == reviewer
        step_approve(actor=step.assignee, step=step, opinion=opinion)
