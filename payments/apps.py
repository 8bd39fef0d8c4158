from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Zahlungsprobleme")

    def ready(self):
        from common import personal_data

        from . import privacy

        personal_data.register("payment_problems", export=privacy.export, erase=privacy.erase)
