from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "office.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self):
        from . import schema_fields  # noqa: F401  (registers the schema's field extensions)
