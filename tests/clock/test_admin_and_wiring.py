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


def test_beat_schedules_the_tick_every_configured_interval_on_the_critical_queue(settings):
    class Conf:
        beat_schedule: dict = {}
        task_routes = None

    class Sender:
        conf = Conf()

    settings.OFFICE_CLOCK_TICK_SECONDS = 7
    _office_beat_schedule(sender=Sender)
    entry = Sender.conf.beat_schedule["office-clock-tick"]
    assert entry["task"] == "office.clock.tick" and entry["schedule"] == 7.0
    assert entry["options"]["queue"] == "critical"
    assert Sender.conf.task_routes["office.clock.*"] == {"queue": "critical"}


def test_timer_string_and_state_labels(subject, no_fast_path):
    timer = timer_schedule(subject=subject, kind="clock.probe", due_at=soon(60))
    assert "clock.probe" in str(timer)
    assert Timer.objects.get().get_state_display() == "待触发"
