"""Idempotency-Key on the API's POSTs (office/api/idempotency.py): a client whose answer was lost sends
the same request again with the same key, and gets the first answer again instead of a second write."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.db import IntegrityError, connection, connections
from django.utils import timezone
from rest_framework.test import APIClient

from duty.api import views as duty_views
from duty.models import ReportUpdate, UrgentReport
from office.api import services as idempotency_services
from office.api.models import IdempotencyKey
from office.api.services import idempotency_purge
from office.api.tasks import idempotency_purge_task
from office.audit.models import AuditEvent
from office.celery import _office_beat_schedule
from office.notifications.models import Notification
from office.org.models import Role, UnitKind
from office.org.services import api_key_issue
from tests.duty.factories import JPEG_BYTES, PDF_BYTES, at, make_shift, upload
from tests.factories import UnitFactory, make_user
from tests.supervision.factories import make_item

REPORTS = "/api/v1/duty/reports"
KEY = "3f1c9a4e-6d2b-4c8e-9f00-6b1d2e3c4a5b"
REPLAYED = "Idempotent-Replayed"
REPORT = {
    "title": "山洪冲毁村道",
    "level": "general",
    "elements": {"place": "石门村"},
    "text": "现场已封闭。",
}


@pytest.fixture
def director(db):
    return make_user(Role.DIRECTOR, Role.DUTY_LEADER)


@pytest.fixture
def town(db):
    return UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP)


@pytest.fixture
def other_town(db):
    return UnitFactory(name="二号镇", code="town2", kind=UnitKind.TOWNSHIP)


def key_client(unit, director) -> APIClient:
    _api_key, raw = api_key_issue(actor=director, unit=unit, name="系统对接")
    client = APIClient()
    client.credentials(HTTP_X_API_KEY=raw)
    return client


@pytest.fixture
def api(town, director) -> APIClient:
    return key_client(town, director)


def post(client, url=REPORTS, data=None, key=KEY, fmt="json", **extra):
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(url, REPORT if data is None else data, format=fmt, **headers, **extra)


def counts() -> dict[str, int]:
    return {
        "reports": UrgentReport.objects.count(),
        "updates": ReportUpdate.objects.count(),
        "audit": AuditEvent.objects.filter(verb__startswith="duty.report").count(),
        "notifications": Notification.objects.count(),
        "keys": IdempotencyKey.objects.count(),
    }


@pytest.fixture
def on_duty(director):
    """A shift on duty now, so that a report notifies people (a second notification would show)."""
    now = timezone.now()
    officer = make_user(Role.DUTY_OFFICER)
    make_shift(now - dt.timedelta(hours=1), now + dt.timedelta(hours=23), leader=director, main=officer)


# --- the rule: a repeat replays, and writes nothing --------------------------------------------------------


def test_a_repeated_report_replays_the_first_answer_and_writes_nothing(api, on_duty):
    first = post(api)
    assert first.status_code == 201, first.content
    assert REPLAYED not in first
    after_first = counts()
    assert after_first["notifications"] >= 2  # the shift's officer and leader are told
    assert after_first == {**after_first, "reports": 1, "updates": 1, "audit": 1, "keys": 1}

    again = post(api)
    assert again.status_code == 201
    assert again[REPLAYED] == "true"
    assert again.content == first.content  # the same bytes
    assert again.json()["id"] == first.json()["id"]
    assert counts() == after_first


def test_a_repeated_follow_up_is_written_once(api, on_duty):
    report_id = post(api, key=None).json()["id"]
    url = f"{REPORTS}/{report_id}/updates"
    body = {"kind": "followup", "elements": {"casualties": "无"}, "text": "抢修队伍已到场。"}
    before = counts()

    first = post(api, url, body, key="followup-1")
    after_first = counts()
    again = post(api, url, body, key="followup-1")

    assert first.status_code == again.status_code == 201
    assert first.json()["label"] == "续报一"
    assert again[REPLAYED] == "true" and again.json() == first.json()
    assert counts() == after_first
    assert after_first["updates"] == before["updates"] + 1
    assert after_first["notifications"] > before["notifications"]
    assert AuditEvent.objects.filter(verb="duty.report_followup").count() == 1
    assert UrgentReport.objects.get(pk=report_id).update_count == 2


def test_a_multipart_report_with_an_attachment_is_replayed(api):
    def form(content=JPEG_BYTES):
        return {
            "title": "火灾",
            "level": "large",
            "elements": '{"place": "二组"}',
            "attachments": [upload("现场.jpg", content, "image/jpeg")],
        }

    first = post(api, data=form(), fmt="multipart")
    assert first.status_code == 201, first.content
    again = post(api, data=form(), fmt="multipart")
    assert again.status_code == 201 and again[REPLAYED] == "true"
    assert again.content == first.content
    report = UrgentReport.objects.get()
    assert report.attachments.count() == 1

    # the same fields with another file are another request
    other_file = post(api, data=form(JPEG_BYTES + b"\x00"), fmt="multipart")
    assert other_file.status_code == 422 and other_file.json()["code"] == "idempotency_key_reused"
    assert UrgentReport.objects.count() == 1 and report.attachments.count() == 1


def test_without_a_key_a_repeat_writes_again(api):
    assert post(api, key=None).status_code == post(api, key=None).status_code == 201
    assert UrgentReport.objects.count() == 2
    assert IdempotencyKey.objects.count() == 0


def test_a_replay_also_spares_a_state_the_first_request_changed(director, town):
    # acknowledging twice is refused (409); a retry of the same acknowledgement gets its 200 again
    item = make_item(actor=director, lead_unit=town, issue=True, due=timezone.localdate() + dt.timedelta(30))
    api = key_client(town, director)
    url = f"/api/v1/supervision/items/{item.pk}/acknowledge"
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="ack-1")
    again = api.post(url, HTTP_IDEMPOTENCY_KEY="ack-1")
    assert first.status_code == again.status_code == 200
    assert again[REPLAYED] == "true" and again.json() == first.json()
    assert AuditEvent.objects.filter(verb="supervision.item_acknowledged").count() == 1
    assert api.post(url).json()["code"] == "conflict"


# --- the same key for another request -----------------------------------------------------------------------


def test_the_same_key_with_another_body_answers_422_and_writes_nothing(api):
    assert post(api).status_code == 201
    before = counts()

    other = post(api, data={**REPORT, "title": "山洪冲毁村道（更正）"})

    assert other.status_code == 422
    body = other.json()
    assert body["code"] == "idempotency_key_reused"
    assert "同一幂等键已用于另一请求" in body["message"]
    assert REPLAYED not in other
    assert counts() == before


def test_the_same_key_on_another_path_answers_422(api):
    report_id = post(api).json()["id"]
    url = f"{REPORTS}/{report_id}/updates"
    resp = post(api, url, {"kind": "followup", "text": "续报"})
    assert resp.status_code == 422 and resp.json()["code"] == "idempotency_key_reused"
    assert ReportUpdate.objects.count() == 1


def test_a_json_body_is_compared_canonically(api):
    assert post(api).status_code == 201
    reordered = dict(reversed(list(REPORT.items())))
    again = api.post(REPORTS, reordered, format="json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert again.status_code == 201 and again[REPLAYED] == "true"


# --- whose keys ------------------------------------------------------------------------------------------------


def test_another_unit_may_use_the_same_key(api, town, other_town, director):
    first = post(api)
    theirs = post(key_client(other_town, director))
    assert theirs.status_code == 201 and REPLAYED not in theirs
    assert theirs.json()["id"] != first.json()["id"]
    assert UrgentReport.objects.count() == 2
    principals = set(IdempotencyKey.objects.values_list("principal", flat=True))
    assert principals == {f"unit:{town.pk}", f"unit:{other_town.pk}"}


def test_the_keys_of_a_unit_are_shared_by_its_api_keys(api, town, director):
    first = post(api)
    second_key = key_client(town, director)  # the unit's second system
    again = post(second_key)
    assert again[REPLAYED] == "true" and again.json() == first.json()
    assert UrgentReport.objects.count() == 1


def test_a_signed_in_person_has_keys_of_their_own(api):
    officer = make_user(Role.DUTY_OFFICER)
    session = APIClient()
    session.force_authenticate(officer)
    post(api)
    mine = post(session)
    assert mine.status_code == 201 and REPLAYED not in mine
    assert post(session)[REPLAYED] == "true"
    assert IdempotencyKey.objects.filter(principal=f"user:{officer.pk}").count() == 1


# --- a malformed key -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["", "x" * 101, "bad\x01key", "tab\tkey", "键", "café", " leading", "trailing ", "line\n"],
    ids=[
        "empty",
        "101-chars",
        "control",
        "tab",
        "chinese",
        "latin-1",
        "leading-space",
        "trailing-space",
        "newline",
    ],
)
def test_a_malformed_key_answers_400_and_runs_nothing(api, key):
    resp = post(api, key=key)
    assert resp.status_code == 400
    assert resp.json()["code"] == "idempotency_key_invalid"
    assert "幂等键" in resp.json()["message"]
    assert UrgentReport.objects.count() == 0 and IdempotencyKey.objects.count() == 0


@pytest.mark.parametrize("key", ["x" * 100, "a", "with inner space", "~!#$%&'*+-.^_`|"])
def test_keys_of_1_to_100_printable_ascii_characters_are_taken(api, key):
    assert post(api, key=key).status_code == 201
    assert IdempotencyKey.objects.get().key == key


# --- which answers are stored ------------------------------------------------------------------------------


def test_a_4xx_business_answer_is_stored_and_replayed(api):
    bad = {"title": "", "level": "huge"}
    first = post(api, data=bad)
    assert first.status_code == 400 and first.json()["code"] == "invalid"
    again = post(api, data=bad)
    assert again.status_code == 400 and again[REPLAYED] == "true"
    assert again.content == first.content
    assert IdempotencyKey.objects.get().status_code == 400


def test_a_5xx_is_not_stored_and_the_retry_runs_again(api, monkeypatch):
    real = duty_views.report_receive
    calls = []

    def fails_once_after_writing(**kwargs):
        calls.append(kwargs["title"])
        report = real(**kwargs)  # the write happens, then the server fails: it must not stay
        if len(calls) == 1:
            raise RuntimeError("the worker died")
        return report

    monkeypatch.setattr(duty_views, "report_receive", fails_once_after_writing)

    failed = post(api)
    assert failed.status_code == 500 and failed.json()["code"] == "server_error"
    assert counts() == {"reports": 0, "updates": 0, "audit": 0, "notifications": 0, "keys": 0}

    retried = post(api)
    assert retried.status_code == 201 and REPLAYED not in retried
    assert post(api)[REPLAYED] == "true"
    assert len(calls) == 2
    assert UrgentReport.objects.count() == 1 and IdempotencyKey.objects.get().status_code == 201


def test_a_lost_race_replays_the_winner_or_answers_409_while_it_cannot_be_read(api, monkeypatch):
    # What the loser of a race at the unique constraint does, on any database: the claim fails, the
    # request's transaction rolls back, and the winner's committed answer is read.
    first = post(api)
    real_claim = idempotency_services.idempotency_claim

    def loses(**kwargs):
        real_claim(**kwargs)  # writes, then fails as the insert racing the winner would
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(idempotency_services, "idempotency_claim", loses)
    replayed = post(api)
    assert replayed.status_code == 201 and replayed[REPLAYED] == "true"
    assert replayed.content == first.content

    monkeypatch.setattr(idempotency_services, "idempotency_stored", lambda **kwargs: None)
    waiting = post(api)
    assert waiting.status_code == 409
    assert waiting.json()["code"] == "idempotency_key_in_progress"
    assert waiting["Retry-After"] == "1"
    assert UrgentReport.objects.count() == 1 and IdempotencyKey.objects.count() == 1


# --- expiry ------------------------------------------------------------------------------------------------------


def test_a_key_expires_after_the_configured_hours_and_is_new_again(api, settings):
    settings.OFFICE_API_IDEMPOTENCY_HOURS = 2
    start = at(2026, 11, 24, 22, 0)
    with time_machine.travel(start, tick=False) as clock:
        first = post(api)
        clock.move_to(start + dt.timedelta(hours=2) - dt.timedelta(seconds=1))
        assert post(api)[REPLAYED] == "true"
        clock.move_to(start + dt.timedelta(hours=2, seconds=1))
        fresh = post(api, data={**REPORT, "title": "另一件事"})  # expired: not "reused", a new key
        assert fresh.status_code == 201 and REPLAYED not in fresh
    assert fresh.json()["id"] != first.json()["id"]
    assert UrgentReport.objects.count() == 2
    assert IdempotencyKey.objects.get().created_at == start + dt.timedelta(hours=2, seconds=1)


def test_keys_are_kept_24_hours_by_default(api):
    start = at(2026, 11, 24, 9, 0)
    with time_machine.travel(start, tick=False) as clock:
        post(api)
        clock.move_to(start + dt.timedelta(hours=23, minutes=59))
        assert post(api)[REPLAYED] == "true"
        clock.move_to(start + dt.timedelta(hours=24, minutes=1))
        assert REPLAYED not in post(api)
    assert UrgentReport.objects.count() == 2


def test_the_purge_deletes_expired_keys_only_and_is_safe_to_run_twice(api, settings):
    start = at(2026, 11, 24, 9, 0)
    with time_machine.travel(start, tick=False) as clock:
        post(api, key="old-1")
        post(api, key="old-2")
        clock.move_to(start + dt.timedelta(hours=20))
        post(api, key="recent")
        clock.move_to(start + dt.timedelta(hours=24, minutes=1))
        assert idempotency_purge() == 2
        assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]
        assert idempotency_purge_task() == 0
        settings.OFFICE_API_IDEMPOTENCY_HOURS = 1
        assert idempotency_purge_task() == 1
    assert IdempotencyKey.objects.count() == 0
    assert UrgentReport.objects.count() == 3  # the purge forgets keys, never the writes


def test_beat_purges_the_keys_every_hour():
    class Conf:
        beat_schedule: dict = {}
        task_routes = None

    class Sender:
        conf = Conf()

    _office_beat_schedule(sender=Sender)
    entry = Sender.conf.beat_schedule["office-api-idempotency-purge"]
    assert entry["task"] == idempotency_purge_task.name == "office.api.idempotency_purge"
    assert entry["schedule"].hour == set(range(24)) and len(entry["schedule"].minute) == 1


# --- the schema and the admin ----------------------------------------------------------------------------------


def test_every_post_of_the_api_takes_the_key_and_documents_422_and_the_replay_header(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    posts = {path: item["post"] for path, item in schema["paths"].items() if "post" in item}
    assert len(posts) >= 12
    for path, operation in posts.items():
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
        assert [p["name"] for p in headers] == ["Idempotency-Key"], path
        assert headers[0]["schema"]["maxLength"] == 100 and not headers[0].get("required"), path
        assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }, path
        for status, response in operation["responses"].items():
            if status.startswith("2") or status in ("400", "404", "409"):
                assert "Idempotent-Replayed" in response.get("headers", {}), (path, status)
    for path, item in schema["paths"].items():  # and nothing else takes it
        for method, operation in item.items():
            if method != "post" and isinstance(operation, dict):
                names = [p["name"] for p in operation.get("parameters", [])]
                assert "Idempotency-Key" not in names, (method, path)
                assert "422" not in operation.get("responses", {}), (method, path)


def test_the_admin_lists_the_keys_read_only(api, client):
    post(api)
    admin = make_user(Role.DIRECTOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    listing = client.get("/admin/api/idempotencykey/")
    assert listing.status_code == 200
    assert KEY in listing.content.decode() and "一号镇" in listing.content.decode()
    assert client.get("/admin/api/idempotencykey/add/").status_code == 403
    row = IdempotencyKey.objects.get()
    page = client.get(f"/admin/api/idempotencykey/{row.pk}/change/")
    assert page.status_code == 200 and 'name="key"' not in page.content.decode()


# --- two identical requests at the same moment (PostgreSQL) ----------------------------------------------------


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cur.fetchone()[0]


@pytest.mark.postgres
def test_a_retry_racing_the_first_request_waits_for_it_and_replays_its_answer(transactional_db, monkeypatch):
    director = make_user(Role.DIRECTOR)
    town = UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP)
    _api_key, raw = api_key_issue(actor=director, unit=town, name="系统对接")
    real = duty_views.report_receive
    in_service, go = threading.Event(), threading.Event()
    calls, results, errors, backends = [], {}, [], set()

    def held_receive(**kwargs):
        calls.append(threading.current_thread().name)
        in_service.set()
        assert go.wait(timeout=30)  # until the retry is waiting on this request's key
        return real(**kwargs)

    monkeypatch.setattr(duty_views, "report_receive", held_receive)

    def send(name):
        try:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                backends.add(cur.fetchone()[0])
            client = APIClient()
            client.credentials(HTTP_X_API_KEY=raw)
            results[name] = post(client)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=send, args=("first",), name="first")
    first.start()
    assert in_service.wait(timeout=30)
    retry = threading.Thread(target=send, args=("retry",), name="retry")
    retry.start()
    deadline = time.monotonic() + 30
    while _waiting_on_a_lock() == 0:  # the retry's INSERT of the key waits on the first's
        assert time.monotonic() < deadline, "the retry never waited on the first request's key"
        time.sleep(0.02)
    go.set()
    first.join(timeout=60)
    retry.join(timeout=60)

    assert not errors
    assert len(backends) == 2  # two connections
    assert calls == ["first"]  # the retry never ran the service
    assert results["first"].status_code == results["retry"].status_code == 201
    assert REPLAYED not in results["first"] and results["retry"][REPLAYED] == "true"
    assert results["retry"].content == results["first"].content
    assert UrgentReport.objects.count() == 1 and ReportUpdate.objects.count() == 1
    assert AuditEvent.objects.filter(verb="duty.report_received").count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.postgres
def test_identical_requests_sent_at_once_write_one_report(transactional_db):
    n = 4
    director = make_user(Role.DIRECTOR)
    town = UnitFactory(name="一号镇", code="town1", kind=UnitKind.TOWNSHIP)
    _api_key, raw = api_key_issue(actor=director, unit=town, name="系统对接")
    barrier = threading.Barrier(n)
    results, errors = [], []

    def send():
        try:
            client = APIClient()
            client.credentials(HTTP_X_API_KEY=raw)
            barrier.wait(timeout=30)
            results.append(post(client))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert not errors
    assert [r.status_code for r in results] == [201] * n
    assert sum(1 for r in results if REPLAYED not in r) == 1
    assert len({r.content for r in results}) == 1
    assert UrgentReport.objects.count() == 1
    assert AuditEvent.objects.filter(verb="duty.report_received").count() == 1


def test_pdf_upload_fingerprint_reads_the_file_and_leaves_it_readable(api):
    # hashing the upload for the fingerprint must not leave the view an empty file
    resp = post(
        api,
        data={
            "title": "报告",
            "level": "general",
            "attachments": [upload("报告.pdf", PDF_BYTES, "application/pdf")],
        },
        fmt="multipart",
    )
    assert resp.status_code == 201, resp.content
    attachment = UrgentReport.objects.get().attachments.get()
    with attachment.file.open("rb") as f:
        assert f.read() == PDF_BYTES
