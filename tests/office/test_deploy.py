"""Production settings come from the environment alone: with production-style variables
``manage.py check --deploy`` is silent, and without them DEBUG stays off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "p7!c2w-q8#zr4m$k1v^n6b&x0t*y3u(j5h)g9f_e=d+s@a%l~o" + "R7tQ2wE9yU4iO1pA",
    "ALLOWED_HOSTS": "office.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://office.example.gov.cn",
    "DATABASE_URL": "postgres://office:secret@db:5432/office",
    "CELERY_BROKER_URL": "redis://redis:6379/0",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "BEHIND_TLS_PROXY": "true",
}


def _run(args, extra_env, tmp_path):
    # A clean environment: only what the process needs plus the variables under test.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update({"OFFICE_VAR_DIR": str(tmp_path / "var"), "STATIC_ROOT": str(tmp_path / "static")})
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_prints_no_warning_with_production_style_variables(tmp_path):
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path)

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
