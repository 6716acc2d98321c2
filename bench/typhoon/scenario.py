"""The typhoon night's scenario, independent of the load tool: what each township's system sends and when,
what the duty officers do, the ledger of everything the server acknowledged, the clock monitor, and the
final accounting against the database.

The load clients (Locust users in ``locustfile``, plain threads in tests/clock/test_typhoon.py) call the
server through a ``call(method, path, **kwargs) -> (status, body)`` function of their own; status 0 means
the connection failed.
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2048

# The alarm steps of a limit (duty/docs: step 0 warning before the limit, 1 at the limit, 2 the director).
STEPS = (0, 1, 2)
KINDS = ("phone", "written")


@dataclass
class Timing:
    """The test settings of the night (minutes, as the duty room reads them; fractions allowed)."""

    phone_minutes: float = 1.0  # the phone report's limit: 60 s, so that alarms fire during the run
    written_minutes: float = 2.0
    lead_minutes: float = 0.25  # the warning 15 s before a limit
    director_after_minutes: float = 1.0  # still unreported a minute after the limit: the director
    late_upward_s: float = 30.0  # a late upward report comes this long after the phone limit

    def env(self) -> dict[str, str]:
        out = {}
        for level in ("ESPECIALLY_MAJOR", "MAJOR"):
            out[f"OFFICE_DUTY_LIMIT_{level}_PHONE"] = str(self.phone_minutes)
            out[f"OFFICE_DUTY_LIMIT_{level}_WRITTEN"] = str(self.written_minutes)
        out["OFFICE_DUTY_WARNING_LEAD_MINUTES"] = str(self.lead_minutes)
        out["OFFICE_DUTY_DIRECTOR_AFTER_MINUTES"] = str(self.director_after_minutes)
        return out

    def step_due(self, limit_due: datetime, step: int) -> datetime:
        if step == 0:
            return limit_due - timedelta(minutes=self.lead_minutes)
        if step == 2:
            return limit_due + timedelta(minutes=self.director_after_minutes)
        return limit_due

    @property
    def last_alarm_after_receipt_s(self) -> float:
        return (max(self.phone_minutes, self.written_minutes) + self.director_after_minutes) * 60


@dataclass
class Incident:
    """One event a unit reports: a first report, 3–5 follow-ups and a final one, at offsets (s) from the
    start of the load; ``attach`` lists the submissions (0 = first report) carrying an attachment."""

    number: int
    unit: int
    level: str
    start: float
    followups: list[float]
    final: float
    attach: list[int] = field(default_factory=list)
    upward: str = "none"  # what the duty officers do about its phone limit: on_time, late or none

    def as_dict(self) -> dict:
        return asdict(self)


def plan_incidents(*, units: int, per_unit: int, window_s: float, seed: int = 16) -> list[Incident]:
    """The arrival curve of a typhoon night: 60 % of the first reports in the first 30 % of the window
    (the surge, densest at its start), the rest spread to 75 % of it; each incident's follow-ups follow
    over the rest of the window, its final report before the window ends. 10 % carry attachments. A third
    are reported upward on time, a third late, a third not at all (so some alarms must fire)."""
    rng = random.Random(seed)
    incidents = []
    n = units * per_unit
    for i in range(n):
        if rng.random() < 0.6:
            start = window_s * 0.3 * rng.random() ** 1.5  # surge, front-loaded
        else:
            start = window_s * (0.3 + 0.45 * rng.random())
        end = window_s * 0.95
        k = rng.randint(3, 5)
        span = max(end - start, 5.0)
        times = sorted(start + span * rng.uniform(0.05, 0.9) for _ in range(k))
        final = start + span * rng.uniform(0.92, 1.0)
        attach = []
        if rng.random() < 0.1:
            attach = [0, rng.randint(1, k)]
        incidents.append(
            Incident(
                number=i,
                unit=i % units,
                level="major" if rng.random() < 0.8 else "especially_major",
                start=round(start, 2),
                followups=[round(t, 2) for t in times],
                final=round(final, 2),
                attach=attach,
                upward=("on_time", "late", "none")[i % 3],
            )
        )
    return sorted(incidents, key=lambda x: x.start)


ELEMENTS_FIRST = {
    "time": "11月30日凌晨",
    "place": "沿海村",
    "source": "镇应急办",
    "nature_cause": "台风引发山洪，部分房屋进水",
    "measures": "已转移群众",
}
FOLLOWUP_ELEMENTS = [
    {"casualties": "暂无人员伤亡"},
    {"losses": "农田受淹约200亩"},
    {"scope": "涉及3个村"},
    {"trend": "雨势减弱"},
    {"leaders_on_site": "镇党委书记在现场"},
]


class Ledger:
    """Everything the server acknowledged (and every failed request), one JSON line each. Thread- and
    greenlet-safe for appends (one write per line under a lock)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def add(self, **row) -> None:
        row.setdefault("at", time.time())
        line = json.dumps(row, ensure_ascii=False) + "\n"
        with self._lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line)

    def rows(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(x) for x in self.path.read_text(encoding="utf-8").splitlines() if x.strip()]


def send(call, ledger: Ledger, method: str, path: str, *, what: str, retries: int = 4, **kwargs):
    """One request with the retries a well-behaved client makes: after a 429 it waits Retry-After and
    tries again (a 429 retried successfully is not an error); after a 5xx or a failed connection it tries
    again after a second (the failed attempt IS an error). Returns (status, body) of the last attempt."""
    status, body = 0, None
    for attempt in range(retries + 1):
        status, body, retry_after = call(method, path, **kwargs)
        if 200 <= status < 400:
            return status, body
        if status == 429:
            ledger.add(t="throttled", what=what, path=path)
            time.sleep(min(float(retry_after or 1), 5.0))
            continue
        ledger.add(t="error", what=what, path=path, status=status, attempt=attempt, body=str(body)[:300])
        if status == 0 or status >= 500:
            time.sleep(1.0)
            continue
        return status, body  # 4xx: retrying will not help
    if status == 429:
        ledger.add(t="error", what=what, path=path, status=429, attempt=retries, body="throttled, gave up")
    return status, body


def _files(incident: Incident, submission: int) -> list[tuple[str, bytes, str]]:
    if submission not in incident.attach:
        return []
    if submission == 0:
        return [(f"现场照片{incident.number}.jpg", JPEG_BYTES, "image/jpeg")]
    return [(f"灾情统计{incident.number}-{submission}.pdf", PDF_BYTES, "application/pdf")]


def run_incident(
    call, ledger: Ledger, incident: Incident, *, key: str, t0: float, sleep=time.sleep, on_report=None
):
    """A unit's system reporting one incident: the first report at its start, follow-ups, the final report.
    Every acknowledged submission (and attachment) goes into the ledger; ``on_report(row)`` is told of a
    received first report (the duty officers' queue, the naive alarms)."""

    def wait_until(offset: float) -> None:
        delay = t0 + offset - time.time()
        if delay > 0:
            sleep(delay)

    headers = {"X-Api-Key": key}
    wait_until(incident.start)
    title = f"台风灾情{incident.number:04d}"
    elements = dict(ELEMENTS_FIRST)
    files = _files(incident, 0)
    body: dict = {"title": title, "level": incident.level, "text": "首报：台风过境，情况如下。"}
    if files:
        kwargs = {"data": {**body, "elements": json.dumps(elements, ensure_ascii=False)}, "files": files}
    else:
        kwargs = {"json": {**body, "elements": elements}}
    # one Idempotency-Key per submission, the same on every retry of it: a retry after a lost answer
    # replays the first one's instead of writing a second report (and the server may run it again itself)
    status, resp = send(
        call,
        ledger,
        "POST",
        "/api/v1/duty/reports",
        what="report",
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
        name="intake",
        **kwargs,
    )
    if status != 201 or not isinstance(resp, dict):
        return
    rid = resp["id"]
    row = {
        "t": "report",
        "incident": incident.number,
        "unit": resp.get("source_unit"),
        "id": rid,
        "title": title,
        "received_at": resp["received_at"],
        "phone_due_at": resp["phone_due_at"],
        "written_due_at": resp["written_due_at"],
        "upward": incident.upward,
    }
    ledger.add(**row)
    for name, data, _ctype in files:
        ledger.add(t="attachment", report=rid, seq=0, name=name, size=len(data))
    if on_report:
        on_report(row)
    schedule = [(t, "followup", i + 1) for i, t in enumerate(incident.followups)]
    schedule.append((incident.final, "final", len(incident.followups) + 1))
    for offset, kind, submission in schedule:
        wait_until(offset)
        files = _files(incident, submission)
        new = FOLLOWUP_ELEMENTS[(submission - 1) % len(FOLLOWUP_ELEMENTS)] if kind == "followup" else {}
        text = "终报：处置完毕。" if kind == "final" else f"续报：最新情况{submission}。"
        if files:
            kwargs = {
                "data": {"kind": kind, "text": text, "elements": json.dumps(new, ensure_ascii=False)},
                "files": files,
            }
        else:
            kwargs = {"json": {"kind": kind, "text": text, "elements": new}}
        status, resp = send(
            call,
            ledger,
            "POST",
            f"/api/v1/duty/reports/{rid}/updates",
            what=kind,
            headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            name="intake",
            **kwargs,
        )
        if status == 201 and isinstance(resp, dict):
            ledger.add(t="update", report=rid, seq=resp["seq"], kind=kind)
            for name, data, _ctype in files:
                ledger.add(t="attachment", report=rid, seq=resp["seq"], name=name, size=len(data))


def upward_time(row: dict, timing: Timing) -> float | None:
    """When a duty officer records the phone report upward (unix time), by the incident's plan: on time is
    at 30 % of the limit, late is ``late_upward_s`` after it; None: never (the alarms must fire)."""
    due = datetime.fromisoformat(row["phone_due_at"]).timestamp()
    received = datetime.fromisoformat(row["received_at"]).timestamp()
    if row["upward"] == "on_time":
        return received + 0.3 * (due - received)
    if row["upward"] == "late":
        return due + timing.late_upward_s
    return None


def record_upward(call, ledger: Ledger, row: dict, *, csrftoken: str) -> None:
    """A duty officer opens the report and records the phone report made upward (the web form)."""
    rid = row["id"]
    call("GET", f"/duty/reports/{rid}/", name="officer: report detail")
    status, _body = send(
        call,
        ledger,
        "POST",
        f"/duty/reports/{rid}/upward/",
        what="upward",
        retries=2,
        name="officer: record upward",
        data={
            "kind": "phone",
            "channel": "phone",
            "recipients": "市委总值班室",
            "csrfmiddlewaretoken": csrftoken,
        },
        headers={"X-CSRFToken": csrftoken, "Referer": "/duty/"},
        follow=False,
    )
    if status in (200, 302):
        ledger.add(t="upward", report=rid, kind="phone", plan=row["upward"])


def naive_schedule(send_task, row: dict, timing: Timing) -> int:
    """The naive alarms of a received report: one Celery ETA task per alarm step, nothing in the
    database. ``send_task(key, due)`` sends one. Returns how many were sent."""
    n = 0
    for kind in KINDS:
        limit_due = datetime.fromisoformat(row[f"{kind}_due_at"])
        for step in STEPS:
            send_task(f"report:{row['id']}:{kind}:{step}", timing.step_due(limit_due, step))
            n += 1
    return n


def httpx_call(base_url: str, cookies: dict | None = None):
    """A ``call`` for plain threads (the short scenario of tests/clock/test_typhoon.py): one httpx client."""
    import httpx

    client = httpx.Client(base_url=base_url, cookies=cookies or {}, timeout=60)

    def call(method, path, *, name=None, headers=None, json=None, data=None, files=None, follow=True):
        try:
            r = client.request(
                method,
                path,
                headers=headers,
                json=json,
                data=data,
                files=[("attachments", f) for f in files] if files else None,
                follow_redirects=follow,
            )
        except httpx.HTTPError:
            return 0, None, None
        body = r.json() if "json" in r.headers.get("content-type", "") else None
        return r.status_code, body, r.headers.get("Retry-After")

    return call


def stable_fraction(text: str) -> float:
    return int(hashlib.sha1(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


# --- the clock monitor -------------------------------------------------------------------------------


class ClockMonitor(threading.Thread):
    """Samples the clock twice a second from outside the app (its own connection, spared by the
    connection storm): the last sweep's time and the lag of the oldest due, unfired timer."""

    def __init__(self, connect, every: float = 0.5):
        super().__init__(daemon=True)
        self.connect, self.every = connect, every
        self.samples: list[tuple[float, float | None, float]] = []  # (time, last tick, lag s)
        self._halt = threading.Event()

    def run(self) -> None:
        conn = None
        while not self._halt.is_set():
            try:
                if conn is None:
                    conn = self.connect()
                with conn.cursor() as cur:
                    cur.execute("SELECT extract(epoch from max(last_tick_at)) FROM clock_clockstate")
                    last = cur.fetchone()[0]
                    cur.execute(
                        "SELECT extract(epoch from now() - min(due_at)) FROM clock_timer WHERE fired_at IS NULL"
                        " AND cancelled_at IS NULL AND failed_at IS NULL AND due_at <= now()"
                    )
                    lag = cur.fetchone()[0]
                self.samples.append((time.time(), float(last) if last else None, float(lag or 0.0)))
            except Exception:
                conn = None
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)

    def recovery(self, at: float, window: float = 60.0) -> dict:
        """After a disturbance at ``at``: seconds to the first sweep that finished after it, and the
        largest lag of a due timer seen in the following ``window`` seconds."""
        after = [s for s in self.samples if at <= s[0] <= at + window]
        first_tick = next((s[1] for s in after if s[1] and s[1] > at), None)
        return {
            "next_sweep_s": round(first_tick - at, 1) if first_tick else None,
            "max_lag_s": round(max((s[2] for s in after), default=0.0), 1),
        }


# --- the accounting ----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def account(
    ledger_rows: list[dict], *, horizon: datetime, grace_s: float = 0.0, naive_table: str | None = None
) -> dict:
    """Checks every acknowledged item against the database and every alarm that should have fired by
    ``horizon``; needs Django. Returns the figures (see bench/typhoon.py for their meaning).

    An alarm is due when its limit was not met before the alarm's time. A limit met within ``grace_s``
    after it (the clock may be that late by its own bound) is a race either outcome of which is right:
    such alarms are counted apart (``alarms_raced``), neither expected nor missed."""
    from django.db import connection
    from django.db.models import Count

    from duty.models import DutyAlert, ReportAttachment, ReportUpdate, UpwardReport, UrgentReport
    from office.clock.models import Timer
    from office.notifications.models import AttemptOutcome, DeliveryAttempt, Notification
    from office.notifications.models import Status as NotificationStatus

    reports = [r for r in ledger_rows if r["t"] == "report"]
    ids = [r["id"] for r in reports]
    out: dict = {"reports": len(reports)}

    # Lost: each acknowledged report, update and attachment must be in the database.
    present = {
        (pk, code, title)
        for pk, code, title in UrgentReport.objects.filter(pk__in=ids).values_list(
            "pk", "source_unit__code", "title"
        )
    }
    lost_reports = [r for r in reports if (r["id"], r["unit"], r["title"]) not in present]
    updates = [r for r in ledger_rows if r["t"] == "update"]
    have_updates = set(ReportUpdate.objects.filter(report_id__in=ids).values_list("report_id", "seq"))
    lost_updates = [u for u in updates if (u["report"], u["seq"]) not in have_updates]
    attachments = [r for r in ledger_rows if r["t"] == "attachment"]
    have_att = {
        (rid, seq if seq is not None else 0, name, size)
        for rid, seq, name, size in ReportAttachment.objects.filter(report_id__in=ids).values_list(
            "report_id", "update__seq", "name", "size"
        )
    }
    lost_att = [a for a in attachments if (a["report"], a["seq"], a["name"], a["size"]) not in have_att]
    # Doubled: more follow-ups in the database than acknowledged (a retried request written twice).
    extra_updates = ReportUpdate.objects.filter(report_id__in=ids).count() - len(updates) - len(reports)
    out.update(
        updates=len(updates),
        attachments=len(attachments),
        lost_reports=len(lost_reports),
        lost_updates=len(lost_updates),
        lost_attachments=len(lost_att),
        lost=len(lost_reports) + len(lost_updates) + len(lost_att),
        extra_items=max(0, extra_updates),
    )

    # Alarms that should have fired: each timer of these reports due by the horizon whose limit was not
    # met (no upward report of that kind recorded before the timer's due time).
    first_upward: dict[tuple[int, str], datetime] = {}
    for rid, kind, created in UpwardReport.objects.filter(report_id__in=ids).values_list(
        "report_id", "kind", "reported_at"
    ):
        key = (rid, kind)
        if key not in first_upward or created < first_upward[key]:
            first_upward[key] = created
    timers = Timer.objects.filter(
        subject_type__app_label="duty",
        subject_type__model="urgentreport",
        subject_id__in=[str(i) for i in ids],
        kind__in=["duty.report_phone", "duty.report_written"],
        due_at__lte=horizon,
    ).values_list("subject_id", "kind", "step", "due_at")
    expected: dict[str, datetime] = {}
    raced = 0
    for sid, kind, step, due in timers:
        k = kind.split("_")[-1]
        met = first_upward.get((int(sid), k))
        if met is not None and due < met <= due + timedelta(seconds=grace_s):
            raced += 1
        elif met is None or met > due:
            expected[f"report:{sid}:{k}:{step}"] = due
    alerts = dict(DutyAlert.objects.filter(key__in=list(expected)).values_list("key", "fired_at"))
    late_ms = [(alerts[k] - due).total_seconds() * 1000 for k, due in expected.items() if k in alerts]
    missed = [k for k in expected if k not in alerts]
    # Doubled: an alarm raised twice (DutyAlert rows per key) or a notification of it delivered twice.
    doubled_alerts = (
        DutyAlert.objects.filter(key__in=list(expected)).values("key").annotate(n=Count("id")).filter(n__gt=1)
    )
    notes = Notification.objects.filter(subject_id__in=[str(i) for i in ids], step__startswith="report:")
    doubled_notes = (
        DeliveryAttempt.objects.filter(notification__in=notes, outcome=AttemptOutcome.SENT)
        .values("notification_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    doubled_note_steps = set(
        Notification.objects.filter(pk__in=[d["notification_id"] for d in doubled_notes]).values_list(
            "step", flat=True
        )
    )
    doubled_keys = {d["key"] for d in doubled_alerts} | (doubled_note_steps & set(expected))
    out.update(
        alarms_expected=len(expected),
        alarms_raced=raced,
        alarms_fired=len(late_ms),
        alarm_late_p50_ms=round(percentile(late_ms, 50)),
        alarm_late_p99_ms=round(percentile(late_ms, 99)),
        alarm_late_max_ms=round(max(late_ms, default=0)),
        alarms_missed=len(missed),
        alarms_duplicated=len(doubled_keys),
        notifications=notes.count(),
        notifications_delivered=notes.filter(status=NotificationStatus.SENT).count(),
        notifications_duplicated=len(doubled_notes),
        missed_keys=missed[:10],
    )
    out["alarm_late"] = {k: (alerts[k] - due).total_seconds() for k, due in expected.items() if k in alerts}
    out["alarm_due"] = {k: due.timestamp() for k, due in expected.items()}

    # The naive way, counted the same way over the same alarms.
    if naive_table:
        with connection.cursor() as cur:
            cur.execute(f"SELECT alarm_key, due_at, fired_at FROM {naive_table}")
            fires: dict[str, list[tuple[datetime, datetime]]] = {}
            for key, due, fired in cur.fetchall():
                fires.setdefault(key, []).append((due, fired))
        n_late = [
            (min(f[1] for f in fires[k]) - fires[k][0][0]).total_seconds() * 1000
            for k in expected
            if k in fires
        ]
        out.update(
            naive_fired=len(n_late),
            naive_missed=sum(1 for k in expected if k not in fires),
            naive_duplicated=sum(1 for k in expected if len(fires.get(k, [])) > 1),
            naive_late_p50_ms=round(percentile(n_late, 50)),
            naive_late_p99_ms=round(percentile(n_late, 99)),
            naive_late_max_ms=round(max(n_late, default=0)),
        )
    out["errors"] = sum(1 for r in ledger_rows if r["t"] == "error")
    out["throttled"] = sum(1 for r in ledger_rows if r["t"] == "throttled")
    out["upward"] = sum(1 for r in ledger_rows if r["t"] == "upward")
    return out


def lateness_near(result: dict, at: float, window: float = 30.0) -> float | None:
    """The largest lateness (s) of the alarms due within ``window`` seconds after a disturbance."""
    lates = [
        result["alarm_late"][k]
        for k, due in result["alarm_due"].items()
        if at <= due <= at + window and k in result["alarm_late"]
    ]
    return round(max(lates), 1) if lates else None


def summary(values: list[float]) -> str:
    if not values:
        return "-"
    return f"p50 {statistics.median(values):.0f}"
