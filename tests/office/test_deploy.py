"""Production settings come from the environment alone: with production-style variables
``manage.py check --deploy`` is silent, and without them DEBUG stays off."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

# What an operator puts in .env beside docker-compose.yml.
OPERATOR_ENV = {
    "SECRET_KEY": "p7!c2w-q8#zr4m$k1v^n6b&x0t*y3u(j5h)g9f_e=d+s@a%l~oR7tQ2wE9yU4iO1pA",
    "POSTGRES_PASSWORD": "a-long-database-password",
    "OFFICE_HOST": "office.example.gov.cn",
}


def compose_environment(service: str) -> dict[str, str]:
    """The environment docker-compose.yml gives a service, with ${NAME:-default} filled in as compose would."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    raw = compose["services"][service]["environment"]

    def fill(match):
        return OPERATOR_ENV.get(match["name"]) or match["default"] or ""

    pattern = re.compile(r"\$\{(?P<name>[A-Z_]+)(?::-(?P<default>[^}]*))?\}")
    return {key: pattern.sub(fill, str(value)) for key, value in raw.items()}


def _run(args, extra_env, tmp_path):
    # A clean environment: only what the process needs plus the variables under test.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update({"OFFICE_VAR_DIR": str(tmp_path / "var"), "STATIC_ROOT": str(tmp_path / "static")})
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_docker_compose_gives_every_office_service_the_production_settings():
    web = compose_environment("web")

    assert web["DEBUG"] == "false" and web["SECRET_KEY"] == OPERATOR_ENV["SECRET_KEY"]
    assert web["DATABASE_URL"].startswith("postgres://") and web["CELERY_BROKER_URL"].startswith("redis://")
    for service in ("worker", "beat", "migrate"):
        assert compose_environment(service) == web


def test_check_deploy_prints_no_warning_with_the_docker_compose_environment(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], compose_environment("web"), tmp_path
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output.upper().replace("--FAIL-LEVEL WARNING", "")


def test_check_deploy_warns_when_the_embedded_defaults_reach_production(tmp_path):
    result = _run(["manage.py", "check", "--deploy"], {}, tmp_path)

    output = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output


def test_debug_is_off_unless_asked(tmp_path):
    env_file = ROOT / ".env"
    if env_file.exists() and "DEBUG" in env_file.read_text():
        pytest.skip("a local .env sets DEBUG")
    show = ["-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"]
    extra = {"DJANGO_SETTINGS_MODULE": "office.settings"}

    assert _run(show, extra, tmp_path).stdout.strip() == "False"
    assert _run(show, {**extra, "DEBUG": "true"}, tmp_path).stdout.strip() == "True"
