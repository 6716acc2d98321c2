"""schemathesis against the served schema of a live server, as another office would test the API.

The schema is the one the live server serves at /api/schema/. Every operation in it is tried with all
checks and all phases (examples, coverage, fuzzing, stateful), a fixed seed and a bounded number of
examples: once with a township's API key, once with a signed-in director's session (the session cookie,
and the CSRF token with a same-origin Referer on unsafe methods). Zero failures is the bar.

The run is schemathesis' own command line in a subprocess (so that the live server's thread has a core
of its own); this module is also its hooks module (``SCHEMATHESIS_HOOKS``), which is why it imports
nothing of Django at the top.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = 20260309
MAX_EXAMPLES = 15
PHASES = "examples,coverage,fuzzing,stateful"

# Checks switched off, each with its reason. Nothing else may be excluded.
EXCLUDED_CHECKS: dict[str, str] = {}

# Failures that are not the API's fault: a request that matches the schema but that a rule the schema
# cannot state refuses with a 400 naming the field. Each entry: the failure code, "METHOD /path" (None:
# any operation), the fields the error body may name (None: any; "attachments.2" counts as
# "attachments"), words one of which its messages must contain, and why the schema cannot say it. Any
# other failure fails the run.
UPLOADS = {"attachments", "attachment"}
ACCEPTED_FAILURES: list[tuple[str, str | None, set[str] | None, tuple[str, ...], str]] = [
    (
        "ST202",
        None,
        {"cursor"},
        ("游标",),
        "A cursor is an opaque token that is only valid when copied from a page's `next` or `previous` "
        "link; a made-up string is refused (400 naming `cursor`), which no schema can foresee.",
    ),
    (
        "ST202",
        "POST /api/v1/supervision/items/{id}/extensions",
        {"new_due"},
        ("晚于原时限",),
        "The new deadline must be later than the item's current one: a rule about the stored row.",
    ),
    (
        "ST202",
        "POST /api/v1/supervision/items/{id}/feedback",
        {"milestone_id"},
        ("没有这个节点",),
        "milestone_id must be a milestone of this item: a rule about the stored rows.",
    ),
    (
        "ST202",
        "POST /api/v1/duty/reports/{id}/updates",
        {"text"},
        ("新情况",),
        "A follow-up must carry something new (text or elements); the schema has no way to say "
        "'at least one of' for a multipart form.",
    ),
    (
        "ST202",
        "POST /api/v1/documents/incoming",
        {"their_date"},
        ("不能晚于今天",),
        "An incoming document's date (成文日期) cannot be later than today: a rule about today's date, "
        "which a schema cannot state.",
    ),
    (
        "ST202",
        "POST /api/v1/information/reports",
        {"urgent_report"},
        ("只能关联本单位近期报送的紧急信息",),
        "urgent_report must be one of the unit's own urgent reports of the last "
        "INFORMATION_URGENT_LINK_DAYS days: a rule about the stored rows.",
    ),
    (
        "ST202",
        "POST /api/v1/information/reports",
        {"facts_at"},
        ("不能晚于现在", "天前", "接报时间"),
        "A report's facts happened between a year ago (INFORMATION_FACTS_MAX_AGE_DAYS) and now, and not "
        "after the receipt of the urgent report it links: rules about today's date and the stored rows, "
        "which a schema cannot state.",
    ),
    (
        "ST202",
        None,
        UPLOADS,
        ("文件类型", "空文件"),
        "Uploads are accepted by their content (PDF, Office, images, plain text) and must not be empty; "
        "a generated archive, random bytes or an empty part are refused by name. OpenAPI can only say "
        "'binary'.",
    ),
    (
        "ST202",
        None,
        None,
        ("空字符", "不允许的字符"),
        "A NUL character (which PostgreSQL cannot store in text) or an unpaired surrogate in a string: "
        "JSON Schema has no type for 'text a database can store'; the API refuses it with 400 naming "
        "the field.",
    ),
]

# A request too big or too long to read is refused before validation, with 413 or 414: a rejection all the
# same (schemathesis' negative_data_rejection lists neither by default).
NEGATIVE_REJECTION_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422"]
NEGATIVE_REJECTION_STATUSES += ["428", "429", "5xx"]


# A refusal about the caller's stored Idempotency-Keys (office/api/idempotency.py): generated keys repeat
# from one generated request to the next (the coverage phase sends the same boundary value to every
# operation), and a key already used for another request answers 422 idempotency_key_reused. Which
# keys a caller has used is state no schema can state.
IDEMPOTENCY_KEY_REUSED = ("ST202", 422, "idempotency_key_reused")


def _accepted(failure, case, response) -> bool:
    # Every field the error body names must be refused for a reason listed here (one entry may cover
    # the text field, another the upload of the same request), not only one of them.
    label = f"{case.operation.method.upper()} {case.operation.path}"
    try:
        body = response.json()
    except Exception:
        return False
    if (failure.code, response.status_code) == IDEMPOTENCY_KEY_REUSED[:2] and isinstance(body, dict):
        sent_key = any(name.lower() == "idempotency-key" for name in (case.headers or {}))
        return sent_key and body.get("code") == IDEMPOTENCY_KEY_REUSED[2]
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict) or not body["fields"]:
        return False
    entries = [e for e in ACCEPTED_FAILURES if e[0] == failure.code and e[1] in (None, label)]

    def covered(field: str, messages) -> bool:
        name = field.split(".")[0]
        return any(
            (names is None or name in names) and any(word in str(messages) for word in words)
            for _code, _where, names, words, _reason in entries
        )

    return all(covered(field, messages) for field, messages in body["fields"].items())


def _hooks():
    import schemathesis

    @schemathesis.hook
    def filter_failure(context, failure, case, response):
        return not _accepted(failure, case, response)


if os.environ.get("SCHEMATHESIS_HOOKS") == __name__:
    _hooks()


CONFIG = f"""
# written by tests/api/test_schemathesis.py
[cache]
enabled = false  # no crash replays from an earlier run: the same seed gives the same run

[checks.negative_data_rejection]
expected-statuses = {json.dumps(NEGATIVE_REJECTION_STATUSES)}
"""


def _run_schemathesis(base_url: str, headers: dict[str, str], workdir: Path, extra=()) -> dict:
    config = workdir / "schemathesis.toml"
    config.write_text(CONFIG)
    report = workdir / "report.json"
    cmd = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run"]
    cmd += [f"{base_url}/api/schema/", "--url", base_url, "--checks", "all", "--phases", PHASES]
    cmd += ["--seed", str(SEED), "--max-examples", str(MAX_EXAMPLES), "--generation-database", "none"]
    cmd += ["--workers", "1", "--no-color", "--report", "json", "--report-json-path", str(report)]
    cmd += list(extra)
    if EXCLUDED_CHECKS:
        cmd += ["--exclude-checks", ",".join(EXCLUDED_CHECKS)]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": __name__, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=workdir, env=env)
    return {
        "returncode": result.returncode,
        "output": result.stdout + result.stderr,
        "seconds": time.monotonic() - started,
        "report": json.loads(report.read_text()) if report.exists() else None,
    }


def _served_operations(base_url: str) -> int:
    import httpx

    schema = httpx.get(f"{base_url}/api/schema/", params={"format": "json"}).json()
    methods = {"get", "put", "post", "patch", "delete"}
    return sum(1 for ops in schema["paths"].values() for method in ops if method in methods)


@pytest.mark.parametrize("auth", ["api_key", "session"])
def test_schemathesis_finds_no_failure(live_office, auth, tmp_path):
    from .conftest import session_headers

    if auth == "api_key":
        headers = {"X-Api-Key": live_office.key}
        extra = []
    else:
        headers = session_headers(live_office.base_url, live_office.director.username)
        # The session travels in the Cookie header, so schemathesis must not also generate the
        # schema's security parameters (an empty X-Api-Key or sessionid of its own) beside it.
        extra = ["--generation-with-security-parameters", "false"]
    run = _run_schemathesis(live_office.base_url, headers, tmp_path, extra)
    report = run["report"]
    assert report is not None, run["output"][-5000:]
    cases, ops = report["test_cases"], report["operations"]
    print(
        f"schemathesis ({auth}): {ops['tested']} operations, {cases['generated']} cases, "
        f"{cases['unique_failures']} failures, {report['filtered']} accepted (ACCEPTED_FAILURES), "
        f"{report['running_time']:.0f}s"
    )
    assert run["returncode"] == 0 and cases["unique_failures"] == 0, run["output"][-30000:]
    assert report["complete"] and not report["errors"]
    # every operation of the served schema was tried, in every phase that applies
    assert ops["tested"] == ops["total"] == _served_operations(live_office.base_url)
    assert ops["errored"] == ops["skipped"] == 0
    assert {name: phase["status"] for name, phase in report["phases"].items()} == {
        "examples": "skip",  # the schema has no examples of its own to replay
        "coverage": "success",
        "fuzzing": "success",
        "stateful": "success",
    }
