"""Locust users of the typhoon night (run headless by bench/typhoon.py, which writes the configuration
file named by TYPHOON_CONFIG: the world's keys and sessions, the planned incidents, the common start time,
the ledger's path, the duty room's test limits and the broker of the naive alarms).

- ``UnitSystem``: one per incident — a township's or department's system sending the first report,
  follow-ups and the final report through the API with its unit's key (the arrival curve is in the plan).
- ``StaffSession``: 20 signed-in people watching the board (its live fragment every 5 s as the page
  polls it), the supervision list and the dashboard.
- ``DutyOfficer``: 5 officers recording the phone report upward for reports as they come in, on time for
  some, late for others, never for the rest (so that alarms must fire).
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import gevent
from gevent.queue import Empty, PriorityQueue
from locust import HttpUser, between, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.typhoon.naive import TASK  # noqa: E402
from bench.typhoon.scenario import (  # noqa: E402
    Incident,
    Ledger,
    Timing,
    naive_schedule,
    record_upward,
    run_incident,
    upward_time,
)

CONFIG = json.loads(Path(os.environ["TYPHOON_CONFIG"]).read_text(encoding="utf-8"))
LEDGER = Ledger(Path(CONFIG["ledger"]))
TIMING = Timing(**CONFIG["timing"])
T0 = float(CONFIG["t0"])
INCIDENTS = [Incident(**x) for x in CONFIG["incidents"]]
_next_incident = itertools.count()
_officer_ids = itertools.count()
_staff_ids = itertools.count()
UPWARD: PriorityQueue = PriorityQueue()
_seq = itertools.count()

_celery = None
_celery_lock = threading.Lock()


def naive_send(key: str, due: datetime) -> None:
    """The naive alarm: a Celery task with an ETA, sent to the workers' default queue."""
    global _celery
    with _celery_lock:
        if _celery is None:
            from celery import Celery

            _celery = Celery("typhoon-naive", broker=CONFIG["broker"])
        _celery.send_task(TASK, args=[key, due.isoformat()], eta=due, queue="default")


def make_call(client):
    def call(method, path, *, name=None, headers=None, json=None, data=None, files=None, follow=True):
        kwargs = {
            "name": name or path,
            "headers": headers or {},
            "catch_response": True,
            "allow_redirects": follow,
        }
        if json is not None:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        if files:
            kwargs["files"] = [("attachments", f) for f in files]
        with client.request(method, path, **kwargs) as r:
            status = r.status_code or 0
            if 200 <= status < 400 or status == 429:
                r.success()  # a 429 is retried by the client (and counted by the scenario if it gives up)
            else:
                r.failure(f"HTTP {status}")
            body = None
            if "json" in (r.headers.get("Content-Type") or ""):
                try:
                    body = r.json()
                except ValueError:
                    body = None
            return status, body, r.headers.get("Retry-After")

    return call


def on_report(row: dict) -> None:
    if CONFIG.get("naive"):
        try:
            naive_schedule(naive_send, row, TIMING)
        except Exception as exc:  # the naive side must not disturb the office's own figures
            LEDGER.add(t="naive_send_error", report=row["id"], error=str(exc)[:200])
    when = upward_time(row, TIMING)
    if when is not None:
        UPWARD.put((when, next(_seq), row))


class UnitSystem(HttpUser):
    fixed_count = len(INCIDENTS)
    wait_time = between(1, 1)

    def on_start(self):
        n = next(_next_incident)
        self.incident = INCIDENTS[n] if n < len(INCIDENTS) else None

    @task
    def report(self):
        if self.incident is not None:
            key = CONFIG["world"]["units"][self.incident.unit]["key"]
            run_incident(
                make_call(self.client),
                LEDGER,
                self.incident,
                key=key,
                t0=T0,
                sleep=gevent.sleep,
                on_report=on_report,
            )
        raise StopUser()


class StaffSession(HttpUser):
    fixed_count = len(CONFIG["world"]["staff"])
    wait_time = between(4, 6)  # the board's fragment is polled every 5 s

    def on_start(self):
        me = CONFIG["world"]["staff"][next(_staff_ids) % len(CONFIG["world"]["staff"])]
        self.home = me["home"]
        self.client.cookies.set("sessionid", me["sessionid"])
        gevent.sleep(max(0.0, T0 - time.time()))

    @task(10)
    def board_live(self):
        self.client.get("/duty/board/live/", name="board (live fragment)")

    @task(2)
    def board_page(self):
        self.client.get("/duty/", name="board (page)")

    @task(2)
    def supervision(self):
        self.client.get("/supervision/", name="supervision list")

    @task(2)
    def dashboard(self):
        if self.home == "dashboard":
            self.client.get(CONFIG["dashboard"], name="dashboard")
        else:
            self.client.get("/", name="home")


class DutyOfficer(HttpUser):
    fixed_count = len(CONFIG["world"]["officers"])
    wait_time = between(0.2, 0.5)

    def on_start(self):
        self.me = CONFIG["world"]["officers"][next(_officer_ids) % len(CONFIG["world"]["officers"])]
        self.client.cookies.set("sessionid", self.me["sessionid"])
        self.client.cookies.set("csrftoken", self.me["csrftoken"])

    @task
    def record(self):
        try:
            when, _n, row = UPWARD.get(timeout=2)
        except Empty:
            return
        gevent.sleep(max(0.0, when - time.time()))
        record_upward(make_call(self.client), LEDGER, row, csrftoken=self.me["csrftoken"])
