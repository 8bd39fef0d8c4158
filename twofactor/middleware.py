"""With TWO_FACTOR_REQUIRED, staff pass the second factor before any protected path (the admin)."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from . import services

# Signing out must always work.
ALWAYS_OPEN = ("/admin/logout/",)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if services.required() and self._needs_check(request):
            user = request.user
            target = "twofactor:verify" if services.confirmed_device(user) else "twofactor:setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_check(request) -> bool:
        path = request.path
        if not path.startswith(services.protected_paths()) or path.startswith(ALWAYS_OPEN):
            return False
        user = getattr(request, "user", None)
        return services.needs_second_factor(user) and not services.is_verified(request)
