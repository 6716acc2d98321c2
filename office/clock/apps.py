from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClockConfig(AppConfig):
    name = "office.clock"
    label = "clock"
    verbose_name = _("时钟与督促")
