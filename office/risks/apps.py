from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "office.risks"
    label = "risks"
    verbose_name = _("岗位风险排查")
