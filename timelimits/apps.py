from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelimitsConfig(AppConfig):
    name = "timelimits"
    verbose_name = _("Antwortfristen")
