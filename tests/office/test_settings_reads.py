"""Every app reads its tunable rules through ``office.conf.office_setting``: no private ``_get`` helpers,
no raw ``getattr(settings, ...)`` reads and no rule frozen into a module constant at import time."""

import ast
import re
from pathlib import Path

import pytest

from office.conf import office_setting

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ["office", "supervision", "duty", "documents", "research", "suggestions"]
# The two files allowed to touch Django settings by name: the settings module and the one reader.
ALLOWED = {Path("office/settings.py"), Path("office/conf.py")}
FORBIDDEN = {
    "getattr(settings, ...)": re.compile(r"getattr\(\s*(django_)?settings\s*,"),
    "def _get(": re.compile(r"^\s*def _get\(", re.MULTILINE),
}


def _import_time_reads(source: str) -> list[int]:
    """Line numbers of office_setting(...) calls evaluated when the module is imported (outside any
    function or lambda), which would freeze the rule before settings or the environment are final."""
    tree = ast.parse(source)
    deferred = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            deferred |= {id(inner) for inner in ast.walk(node)}
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and id(node) not in deferred
        and getattr(node.func, "id", getattr(node.func, "attr", "")) == "office_setting"
    ]


def offending_reads(root: Path) -> list[str]:
    """``path:line: what`` for every forbidden way of reading a rule under the app folders of root."""
    found = []
    for app in APP_DIRS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            if relative in ALLOWED or "migrations" in relative.parts:
                continue
            source = path.read_text(encoding="utf-8")
            for what, pattern in FORBIDDEN.items():
                for match in pattern.finditer(source):
                    line = source.count("\n", 0, match.start()) + 1
                    found.append(f"{relative}:{line}: {what}")
            found += [
                f"{relative}:{line}: office_setting at import time" for line in _import_time_reads(source)
            ]
    return found


def test_apps_read_rules_only_through_office_setting():
    assert offending_reads(ROOT) == [], "read these rules with office.conf.office_setting(name, default)"


def test_the_scan_names_each_file_that_reads_a_rule_another_way(tmp_path):
    (tmp_path / "office").mkdir()
    (tmp_path / "office" / "settings.py").write_text("X = getattr(settings, 'Y', 1)\n")
    (tmp_path / "office" / "conf.py").write_text(
        "def office_setting(n, d):\n    return getattr(settings, n)\n"
    )
    (tmp_path / "duty").mkdir()
    (tmp_path / "duty" / "conf.py").write_text(
        "def _get(name, default):\n    return default\n\n\ndef ok():\n    return office_setting('A', 1)\n"
    )
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "conf.py").write_text(
        "BODY = getattr(settings, 'DOCUMENTS_BODY', None)\nLIMIT = conf.office_setting('DOCUMENTS_LIMIT', 3)\n"
    )
    (tmp_path / "supervision" / "migrations").mkdir(parents=True)
    (tmp_path / "supervision" / "migrations" / "0001_initial.py").write_text("X = getattr(settings, 'Y')\n")

    assert offending_reads(tmp_path) == [
        "duty/conf.py:1: def _get(",
        "documents/conf.py:1: getattr(settings, ...)",
        "documents/conf.py:2: office_setting at import time",
    ]


def test_office_setting_prefers_settings_then_environment_then_default(settings, monkeypatch):
    monkeypatch.setenv("OFFICE_TEST_RULE", "7")
    settings.OFFICE_TEST_RULE = 3
    assert office_setting("OFFICE_TEST_RULE", 1) == 3

    del settings.OFFICE_TEST_RULE
    assert office_setting("OFFICE_TEST_RULE", 1) == 7

    monkeypatch.delenv("OFFICE_TEST_RULE")
    assert office_setting("OFFICE_TEST_RULE", 1) == 1


def test_office_setting_treats_a_setting_of_none_as_unset(settings, monkeypatch):
    settings.OFFICE_TEST_RULE = None
    assert office_setting("OFFICE_TEST_RULE", 15) == 15

    monkeypatch.setenv("OFFICE_TEST_RULE", "20")
    assert office_setting("OFFICE_TEST_RULE", 15) == 20


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        ("0.5", 5.0, 0.5),
        ("true", False, True),
        ("off", True, False),
        ("a.example, b.example", ["x"], ["a.example", "b.example"]),
        ('{"notice": 4}', {"notice": 3, "circular": 5}, {"notice": 4, "circular": 5}),
        ("17:00", "17:30", "17:00"),
    ],
)
def test_office_setting_parses_the_environment_after_the_default_type(monkeypatch, raw, default, expected):
    monkeypatch.setenv("OFFICE_TEST_RULE", raw)
    assert office_setting("OFFICE_TEST_RULE", default) == expected


def test_the_apps_rules_follow_the_environment_and_settings(settings, monkeypatch):
    from duty import conf as duty_conf
    from office.clock import conf as clock_conf
    from office.notifications import conf as notify_conf
    from office.workdays.services import closing_time
    from supervision import conf as supervision_conf

    monkeypatch.setenv("OFFICE_CLOCK_TICK_SECONDS", "30")
    monkeypatch.setenv("OFFICE_NOTIFY_MAX_ATTEMPTS", "2")
    monkeypatch.setenv("OFFICE_DUTY_LIMIT_MAJOR_PHONE", "0.5")
    monkeypatch.setenv("SUPERVISION_YELLOW_DAYS", "5")
    settings.OFFICE_CLOSING_TIME = "18:00"
    settings.OFFICE_METRICS_TOKEN = "s3cret"

    assert clock_conf.tick_seconds() == 30
    assert clock_conf.metrics_token() == "s3cret"
    assert notify_conf.max_attempts() == 2
    assert duty_conf.report_limit_minutes("major", "phone") == 0.5
    assert duty_conf.report_limit_minutes("major", "written") == 60.0
    assert supervision_conf.yellow_days() == 5
    assert closing_time().hour == 18
