from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Supportfälle")

    def ready(self):
        from . import replies  # noqa: F401 - connects the receivers for inbound mail
