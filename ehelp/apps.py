from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EhelpConfig(AppConfig):
    name = "ehelp"
    verbose_name = _("eHelp")
