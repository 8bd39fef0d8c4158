"""Deploy checks of the mail app: `check --deploy --fail-level WARNING` (make lint, CI) fails without them."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def webhook_secret_is_set(app_configs, **kwargs):
    if getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        return []
    return [
        Warning(
            "ANYMAIL_WEBHOOK_SECRET is not set: anyone can post forged replies and delivery events to /anymail/.",
            hint="Set ANYMAIL_WEBHOOK_SECRET to user:password and give the same credentials to the mail provider.",
            id="mail.W001",
        )
    ]
