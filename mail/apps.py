from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "mail"
    verbose_name = "Mail"

    def ready(self):
        from anymail.signals import inbound, tracking

        from . import checks  # noqa: F401 - registers the deploy checks
        from .inbound import on_inbound
        from .tracking import on_tracking

        # Receivers raise on failure: anymail's view then answers 500 and the provider retries.
        inbound.connect(on_inbound, dispatch_uid="mail.inbound")
        tracking.connect(on_tracking, dispatch_uid="mail.tracking")
