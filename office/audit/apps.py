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

        from office.clock.metrics import register_gauge

        from .chain import REGISTRY, chain_pending

        register_gauge(
            "office_audit_rows_unlinked",
            "Audit, access and security log rows written but not yet linked onto their hash chains "
            "(the sweeper links them after each sweep: a tick's worth at most).",
            lambda: sum(chain_pending(name) for name in REGISTRY),
        )
