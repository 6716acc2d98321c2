"""Senders: each takes a Notification and either returns a short detail string or raises
``DeliveryError``. They talk to the outside world only; the state of the row is the services' job."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import quote_plus, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from . import conf
from .models import Channel, Level, Notification, WebhookKind, WebhookTarget, validate_webhook_url


class DeliveryError(Exception):
    """The channel could not deliver (retryable unless ``permanent``)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def absolute_url(url: str) -> str:
    if not url or urlsplit(url).scheme:
        return url
    return f"{conf.site_url()}{url if url.startswith('/') else '/' + url}"


def _context(notification: Notification) -> dict:
    return {
        "n": notification,
        "link": absolute_url(notification.url),
        "urgent": notification.level == Level.URGENT,
        "warning": notification.level == Level.WARNING,
        "office_name": settings.OFFICE_NAME,
        "recipient_name": _person_name(notification.recipient),
    }


def _person_name(user) -> str:
    if user is None:
        return ""
    staff = getattr(user, "staff", None)
    return staff.name if staff else user.get_username()


# --- e-mail ---------------------------------------------------------------------------------------


def send_email(notification: Notification) -> str:
    user = notification.recipient
    address = (user.email or "").strip() if user else ""
    if not address:
        raise DeliveryError(_("接收人没有登记电子邮箱"), permanent=True)
    with translation.override("zh-hans"):
        context = _context(notification)
        subject = " ".join(render_to_string("notifications/email/subject.txt", context).split())
        text = render_to_string("notifications/email/body.txt", context)
        html = render_to_string("notifications/email/body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[address],
        connection=get_connection(timeout=conf.email_timeout()),
        headers={"X-Office-Notification": str(notification.pk)},
    )
    message.attach_alternative(html, "text/html")
    try:
        sent = message.send(fail_silently=False)
    except Exception as exc:  # smtplib errors, socket errors, timeouts: all retryable
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    if not sent:
        raise DeliveryError(_("邮件服务器未接受邮件"))
    return _("邮件已发送至 {address}").format(address=address)


# --- webhook (WeCom / DingTalk group robots) -------------------------------------------------------


def webhook_target_for(notification: Notification) -> WebhookTarget | None:
    qs = WebhookTarget.objects.filter(is_active=True)
    if notification.recipient_unit_id:
        return qs.filter(unit_id=notification.recipient_unit_id).first()
    return qs.filter(user_id=notification.recipient_id).first()


def robot_payload(kind: str, notification: Notification) -> dict:
    """The JSON body a WeCom or DingTalk group robot expects for a markdown message."""
    prefix = {Level.URGENT: _("【紧急】"), Level.WARNING: _("【提醒】")}.get(notification.level, "")
    title = f"{prefix}{notification.title}"
    lines = [f"### {title}"]
    if notification.body:
        lines.append(notification.body)
    link = absolute_url(notification.url)
    if link:
        lines.append("[{}]({})".format(_("查看详情"), link))
    content = "\n\n".join(lines)
    if kind == WebhookKind.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": content}}
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_signed_url(url: str, secret: str, *, timestamp_ms: int | None = None) -> str:
    """DingTalk's "加签": HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64, URL-quoted."""
    ts = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={ts}&sign={sign}"


def send_webhook(notification: Notification) -> str:
    target = webhook_target_for(notification)
    if target is None:
        raise DeliveryError(_("未配置或已停用群机器人"), permanent=True)
    try:
        validate_webhook_url(target.url)
    except ValidationError as exc:
        raise DeliveryError("；".join(exc.messages), permanent=True) from exc
    url = target.url
    if target.kind == WebhookKind.DINGTALK and target.secret:
        url = dingtalk_signed_url(url, target.secret)
    data = json.dumps(robot_payload(target.kind, notification), ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=conf.webhook_timeout()) as resp:  # noqa: S310
            status, raw = resp.status, resp.read(4096)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except Exception as exc:  # connection refused, DNS, timeout
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")
    try:
        body = json.loads(raw.decode("utf-8") or "{}")
    except (ValueError, UnicodeDecodeError):
        body = {}
    errcode = body.get("errcode", 0) if isinstance(body, dict) else 0
    if errcode not in (0, "0"):
        raise DeliveryError(
            _("机器人返回错误 errcode={errcode} {errmsg}")
            .format(errcode=errcode, errmsg=body.get("errmsg", ""))
            .strip()
        )
    return f"HTTP {status}"


SENDERS: dict[str, Callable[[Notification], str]] = {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}
