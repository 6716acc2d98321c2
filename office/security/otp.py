"""Two factors with django-otp: a TOTP device enrolled by QR code at the first sign-in, ten recovery codes
(django-otp's static device), the step after the password on every sign-in; a wrong code counts toward
the lockout like a wrong password (axes hears ``user_login_failed``)."""

from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import conf
from .access import otp_may_be_skipped
from .models import EventKind, EventResult
from .services import security_event_record


def otp_step_needed(user) -> bool:
    """True when ``user`` must pass the TOTP step after the password (OFFICE_OTP_REQUIRED)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not conf.otp_required():
        return False
    return not otp_may_be_skipped(user)


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (one; created on first ask)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


def qr_svg(device: TOTPDevice, *, username: str) -> str:
    """The device's otpauth:// URL as an inline SVG QR code (segno)."""
    import segno

    url = device.config_url.replace(
        "otpauth://totp/", "otpauth://totp/" + conf.otp_issuer().replace(" ", "%20") + ":", 1
    )
    del username
    return segno.make(url, error="m").svg_inline(scale=4, border=2)


def _failed(request, user) -> None:
    # counted by axes toward the lockout exactly like a wrong password, and written to the security log
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username(), "otp": True},
        request=request,
    )


def is_locked(request, user) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()})


def enroll(request, *, code: str) -> list[str] | None:
    """Confirm the pending TOTP device with a code from the app; return the new recovery codes, or None
    when the code is wrong (counted)."""
    user = request.user
    device = pending_totp(user)
    if not device.verify_token(code.strip().replace(" ", "")):
        _failed(request, user)
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
        security_event_record(EventKind.OTP_ENROLLED, request=request, actor=user, subject=user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = []
    for _i in range(conf.recovery_code_count()):
        token = StaticToken.random_token()
        static.token_set.create(token=token)
        codes.append(token)
    return codes


def verify(request, *, code: str) -> bool:
    """Check a TOTP or recovery code of the signed-in person; on success the session is verified."""
    user = request.user
    token = code.strip().replace(" ", "").lower()
    for device in devices_for_user(user, confirmed=True):
        candidate = token if isinstance(device, StaticDevice) else token.upper()
        if device.verify_token(candidate):
            otp_login(request, device)
            security_event_record(
                EventKind.OTP_VERIFIED,
                request=request,
                actor=user,
                data={"device": "recovery" if isinstance(device, StaticDevice) else "totp"},
            )
            return True
    _failed(request, user)
    return False


__all__ = [
    "EventResult",
    "confirmed_totp",
    "enroll",
    "is_locked",
    "otp_step_needed",
    "pending_totp",
    "qr_svg",
    "verify",
]
