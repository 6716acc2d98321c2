from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "office.audit"
    label = "audit"
    verbose_name = _("审计留痕")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import verbs_core  # noqa: F401  the office's own verbs and the shared data labels

        # Each app's ``audit_verbs.py`` registers how its events read (office/audit/verbs.py).
        autodiscover_modules("audit_verbs")
