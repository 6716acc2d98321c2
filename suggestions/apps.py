from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    label = "suggestions"
    verbose_name = _("出点子吐心声")
