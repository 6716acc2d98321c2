"""Two factors: the director reaches no page after the password without the TOTP step; enrolment by QR
code; recovery codes; a wrong code counts toward the lockout; a liaison may be exempted, never the
director; the security administrator's reset is in the security log."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from office.security.models import EventKind, SecurityEvent

from .conftest import sign_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/documents/",
    "/supervision/",
    "/duty/",
    "/suggestions/",
    "/audit/",
    "/admin/",
    "/security/log/",
]


@pytest.fixture(autouse=True)
def _otp_on(settings):
    settings.OFFICE_OTP_REQUIRED = True


def _code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def _enrol(client, user) -> list[str]:
    client.get("/security/otp/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/security/otp/setup/", {"code": _code(device), "next": "/"})
    assert response.status_code == 200
    return response.context["codes"]


def test_the_director_reaches_no_page_without_the_totp_step(client, director):
    assert sign_in(client, director).status_code == 302
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/security/otp/"), url
    # the API with the session: refused in JSON, not a redirect
    response = client.get("/api/v1/supervision/items")
    assert response.status_code == 403 and response.json()["code"] == "otp_required"


def test_enrolment_by_qr_code_then_every_page_opens(client, director):
    sign_in(client, director)
    response = client.get("/security/otp/")
    assert response["Location"].startswith("/security/otp/setup/")
    page = client.get("/security/otp/setup/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    codes = _enrol(client, director)
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert SecurityEvent.objects.filter(kind=EventKind.OTP_ENROLLED, actor=director).exists()

    # the next sign-in asks for the code; a recovery code works once
    other = Client()
    sign_in(other, director)
    assert other.get("/")["Location"].startswith("/security/otp/")
    assert other.post("/security/otp/", {"code": codes[0], "next": "/"}).status_code == 302
    assert other.get("/").status_code == 200
    third = Client()
    sign_in(third, director)
    assert third.post("/security/otp/", {"code": codes[0], "next": "/"}).status_code == 200  # used up


def test_a_wrong_code_is_counted_toward_the_lockout(client, director, settings):
    settings.AXES_FAILURE_LIMIT = 3
    sign_in(client, director)
    _enrol(client, director)
    second = Client()
    sign_in(second, director)
    response = second.post("/security/otp/", {"code": "000000"})
    assert response.status_code == 200 and "动态口令不正确" in response.content.decode()
    attempt = AccessAttempt.objects.get(username=director.username)
    assert attempt.failures_since_start == 1
    assert SecurityEvent.objects.filter(kind=EventKind.OTP_FAILED, actor_label=director.username).count() == 1
    second.post("/security/otp/", {"code": "000001"})
    response = second.post("/security/otp/", {"code": "000002"})
    assert response.status_code == 429  # axes's lockout page, as for a wrong password; signed out
    assert second.get("/")["Location"].startswith("/accounts/login/")
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKOUT, actor_label=director.username).exists()


def test_a_liaison_with_the_password_only_setting_gets_in(client, liaison, settings):
    settings.OFFICE_OTP_EXEMPT_LIAISONS = True
    sign_in(client, liaison)
    response = client.get("/")
    assert response.status_code == 200


def test_without_the_setting_a_liaison_takes_the_step_too(client, liaison, settings):
    settings.OFFICE_OTP_EXEMPT_LIAISONS = False
    sign_in(client, liaison)
    assert client.get("/")["Location"].startswith("/security/otp/")


def test_the_exemption_never_covers_the_director_or_an_administrator(director, security_admin, settings):
    settings.OFFICE_OTP_EXEMPT_LIAISONS = True
    for user in (director, security_admin):
        client = Client()
        sign_in(client, user)
        assert client.get("/")["Location"].startswith("/security/otp/"), user


def test_the_security_administrator_resets_a_device_and_it_is_logged(client, director, security_admin):
    from office.security.services import otp_reset

    sign_in(client, director)
    _enrol(client, director)
    removed = otp_reset(actor=security_admin, target=director)
    assert removed == 2  # the TOTP device and the recovery codes
    assert not TOTPDevice.objects.filter(user=director).exists()
    row = SecurityEvent.objects.get(kind=EventKind.OTP_RESET)
    assert row.actor == security_admin and row.subject_id == str(director.pk)


def test_nobody_else_resets_a_device(director, system_admin, audit_admin):
    from office.errors import Forbidden
    from office.security.services import otp_reset

    for actor in (director, system_admin, audit_admin):
        with pytest.raises(Forbidden, match="只有安全管理员"):
            otp_reset(actor=actor, target=director)
