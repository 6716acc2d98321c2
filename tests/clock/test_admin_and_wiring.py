import pytest
from django.template import Context, Template

from office.celery import _office_beat_schedule
from office.clock.models import Timer
from office.clock.services import clock_tick, ladder_start, timer_schedule
from office.org.models import Role
from tests.factories import make_user

from .conftest import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    user = make_user(Role.DIRECTOR)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_ladder_templates_are_editable_in_admin_with_the_registered_choices(
    client, superuser, ladder_template
):
    client.force_login(superuser)
    resp = client.get(f"/admin/clock/laddertemplate/{ladder_template.pk}/change/")
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "clock.notify" in body and "deputy_directors" in body


def test_timer_admin_filters_failing_timers_and_retries_them(
    client, superuser, subject, poison, no_fast_path
):
    timer = timer_schedule(subject=subject, kind="test.poison", due_at=soon(-1))
    clock_tick()
    client.force_login(superuser)
    resp = client.get("/admin/clock/timer/?state=retrying")
    assert resp.status_code == 200 and "test.poison" in resp.content.decode()
    resp = client.post("/admin/clock/timer/", {"action": "retry_now", "_selected_action": [timer.pk]})
    assert resp.status_code == 302
    timer.refresh_from_db()
    assert timer.attempts == 0


def test_the_ladder_plan_tag_shows_the_whole_plan_and_marks_the_next_step(
    subject, ladder_template, no_fast_path
):
    ladder_start(subject=subject, template_code="test-ladder")
    html = Template("{% load clock_tags %}{% ladder_plan_table subject %}").render(
        Context({"subject": subject})
    )
    assert html.count("<tr") == 4  # header and three steps
    assert "测试督促流程" in html and "table-warning" in html and "分管领导督促" in html


def test_the_clock_sweep_is_not_a_beat_message_and_clock_tasks_route_to_critical(settings):
    """The sweep runs in manage.py clock_sweeper on its own timer; beat carries no tick that a flushed
    broker could lose."""

    class Conf:
        beat_schedule: dict = {}
        task_routes = None

    class Sender:
        conf = Conf()

    _office_beat_schedule(sender=Sender)
    assert not [e for e in Sender.conf.beat_schedule.values() if e["task"] == "office.clock.tick"]
    assert Sender.conf.task_routes["office.clock.*"] == {"queue": "critical"}


def test_timer_string_and_state_labels(subject, no_fast_path):
    timer = timer_schedule(subject=subject, kind="clock.probe", due_at=soon(60))
    assert "clock.probe" in str(timer)
    assert Timer.objects.get().get_state_display() == "待触发"


def test_an_administrator_creates_a_ladder_template_with_steps_in_admin(client, superuser):
    client.force_login(superuser)
    form = {
        "code": "new-ladder",
        "name": "新督促流程",
        "description": "",
        "is_active": "on",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-order": "1",
        "steps-0-name": "提醒",
        "steps-0-wait_hours": "4",
        "steps-0-wait_working_days": "",
        "steps-0-recipients": "role:section_chief",
        "steps-0-action": "clock.notify",
        "steps-1-order": "2",
        "steps-1-name": "报主任",
        "steps-1-wait_hours": "",
        "steps-1-wait_working_days": "1",
        "steps-1-recipients": "director,deputy_directors",
        "steps-1-action": "clock.notify",
    }
    resp = client.post("/admin/clock/laddertemplate/add/", form)
    assert resp.status_code == 302, resp.content.decode()[:2000]
    from office.clock.models import LadderTemplate

    template = LadderTemplate.objects.get(code="new-ladder")
    assert [s.name for s in template.steps.order_by("order")] == ["提醒", "报主任"]

    form.update({"code": "bad-ladder", "steps-1-recipients": "nobody"})
    resp = client.post("/admin/clock/laddertemplate/add/", form)
    assert resp.status_code == 200 and "未登记的接收人规则" in resp.content.decode()
    assert not LadderTemplate.objects.filter(code="bad-ladder").exists()
