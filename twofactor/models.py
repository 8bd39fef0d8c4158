from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TOTPDevice(models.Model):
    """A staff member's authenticator app: the shared secret (base32) and the last time step used with it.

    The device counts only once confirmed with a code from the app. `last_used_step` refuses a code that was
    already used (a code seen over someone's shoulder cannot be replayed within its 30 seconds)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device",
                                verbose_name=_("Benutzer"))
    secret = models.CharField(max_length=64, editable=False)
    confirmed_at = models.DateTimeField(_("eingerichtet"), null=True, blank=True, editable=False)
    last_used_step = models.BigIntegerField(default=0, editable=False)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Authenticator-App")
        verbose_name_plural = _("Authenticator-Apps")

    def __str__(self):
        return str(self.user)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
