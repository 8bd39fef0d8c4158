from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EhelpConfig(AppConfig):
    name = "ehelp"
    verbose_name = _("eHelp")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers that keep caches and search text fresh
