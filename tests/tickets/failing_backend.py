from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    """A provider that is down."""

    def send_messages(self, email_messages):
        raise ConnectionError("provider down")
