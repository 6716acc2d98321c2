"""Per-unit API keys for other offices' systems (keys hashed by djangorestframework-api-key), and the
session authentication of the office's own people with a Chinese CSRF refusal."""

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from office.org.models import UnitAPIKey
from office.org.principals import UnitPrincipal


class UnitAPIKeyAuthentication(authentication.BaseAuthentication):
    """Reads ``X-Api-Key: <key>`` or ``Authorization: Api-Key <key>``."""

    keyword = "Api-Key"

    def _raw_key(self, request) -> str | None:
        key = request.META.get("HTTP_X_API_KEY")
        if key:
            return key.strip()
        auth = request.META.get("HTTP_AUTHORIZATION", "")
        if auth.startswith(self.keyword + " "):
            return auth[len(self.keyword) + 1 :].strip()
        return None

    def authenticate(self, request):
        key = self._raw_key(request)
        if key is None:
            return None
        try:
            api_key = UnitAPIKey.objects.get_from_key(key)
        except UnitAPIKey.DoesNotExist:
            # get_from_key looks among unrevoked keys only; a revoked key that is otherwise right is told so
            if self._revoked(key):
                raise exceptions.AuthenticationFailed(_("API 密钥已被吊销。")) from None
            raise exceptions.AuthenticationFailed(_("API 密钥无效。")) from None
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(_("API 密钥已过期。"))
        if not api_key.unit.is_active:
            raise exceptions.AuthenticationFailed(_("该单位已停用。"))
        return UnitPrincipal(api_key), api_key

    @staticmethod
    def _revoked(key: str) -> bool:
        prefix = key.partition(".")[0]
        revoked = UnitAPIKey.objects.filter(prefix=prefix, revoked=True).first()
        return revoked is not None and revoked.is_valid(key)  # the whole key, not just its public prefix

    def authenticate_header(self, request):
        return self.keyword


def _csrf_message(reason: str) -> str:
    if reason.startswith("CSRF cookie not set"):
        return gettext(
            "CSRF 校验失败：没有 CSRF Cookie。请先打开页面登录以取得 Cookie，外部系统请改用 API 密钥。"
        )
    if reason.startswith("CSRF token missing"):
        return gettext("CSRF 校验失败：缺少 CSRF 令牌，请在请求头 X-CSRFToken 中携带。")
    if reason.startswith("Origin checking failed"):
        return gettext("CSRF 校验失败：请求来源（Origin）不在受信任的地址之列。")
    if reason.startswith("Referer checking failed - no Referer"):
        return gettext("CSRF 校验失败：HTTPS 请求缺少 Referer 请求头。")
    if reason.startswith("Referer checking failed"):
        return gettext("CSRF 校验失败：请求来源（Referer）不受信任或格式有误。")
    if reason.startswith("CSRF token"):
        return gettext("CSRF 校验失败：CSRF 令牌不正确或已失效，请重新登录后再试。")
    return gettext("CSRF 校验失败。")


class CsrfFailed(exceptions.PermissionDenied):
    """403 for a session client without a valid CSRF token (office.api.authentication)."""

    default_code = "csrf_failed"

    def __init__(self, reason: str):
        super().__init__(_csrf_message(reason), code="csrf_failed")


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's, with the CSRF refusal in Chinese (code ``csrf_failed``) instead of "CSRF Failed: CSRF cookie
    not set."."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as exc:
            raise CsrfFailed(str(exc.detail).removeprefix("CSRF Failed: ")) from None


class SessionScheme(OpenApiAuthenticationExtension):
    """Documents the session cookie as drf-spectacular does for DRF's own SessionAuthentication."""

    target_class = SessionAuthentication
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


class UnitAPIKeyScheme(OpenApiAuthenticationExtension):
    """Documents the key in the OpenAPI schema (as SPECTACULAR_SETTINGS' ApiKeyAuth)."""

    target_class = UnitAPIKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
