"""``manage.py mlps_report``: every control with its status, exit 1 on a control not met in production."""

import pytest
from django.core.management import call_command

from office.org.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _level_three(settings):
    settings.OFFICE_MLPS = True
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.OFFICE_BACKUP_KEY = "k" * 44
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        make_user(role)


def test_a_level_three_deployment_meets_every_control(settings, capsys):
    _level_three(settings)
    call_command("mlps_report")
    out = capsys.readouterr().out
    assert "[不符合]" not in out
    for name in (
        "双因素认证",
        "口令复杂度",
        "会话超时",
        "三员分立",
        "审计记录防篡改",
        "审计记录留存",
        "每日备份",
        "内容安全策略（CSP）",
    ):
        assert f"[符合] {name}" in out


def test_a_policy_that_allows_inline_scripts_is_reported_as_not_met(settings, capsys):
    _level_three(settings)
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", "'unsafe-inline'"]}
    }
    with pytest.raises(SystemExit):
        call_command("mlps_report")
    assert "[不符合] 内容安全策略（CSP）" in capsys.readouterr().out


def test_a_control_not_met_in_production_exits_1_and_says_why(settings, capsys):
    _level_three(settings)
    settings.OFFICE_OTP_REQUIRED = False
    settings.OFFICE_SESSION_IDLE_MINUTES = 60
    with pytest.raises(SystemExit) as exit_info:
        call_command("mlps_report")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "[不符合] 双因素认证" in out and "OFFICE_OTP_REQUIRED 未开启" in out
    assert "[不符合] 会话超时" in out


def test_the_demo_reports_without_failing(settings, capsys):
    settings.OFFICE_MLPS = False
    call_command("mlps_report")
    out = capsys.readouterr().out
    assert "演示/开发模式" in out and "[不符合] 双因素认证" in out
    with pytest.raises(SystemExit):
        call_command("mlps_report", "--strict")
