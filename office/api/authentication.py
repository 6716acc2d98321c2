"""Per-unit API keys for other offices' systems (keys hashed by djangorestframework-api-key)."""

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
            raise exceptions.AuthenticationFailed(_("API 密钥无效。")) from None
        if api_key.has_expired or api_key.revoked:
            raise exceptions.AuthenticationFailed(_("API 密钥已被吊销或已过期。"))
        if not api_key.unit.is_active:
            raise exceptions.AuthenticationFailed(_("该单位已停用。"))
        return UnitPrincipal(api_key), api_key

    def authenticate_header(self, request):
        return self.keyword


class UnitAPIKeyScheme(OpenApiAuthenticationExtension):
    """Documents the key in the OpenAPI schema (as SPECTACULAR_SETTINGS' ApiKeyAuth)."""

    target_class = UnitAPIKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
