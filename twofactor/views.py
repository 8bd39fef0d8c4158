"""The second step after the password: set up an authenticator app once, then enter its code."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import services, totp
from .forms import CodeForm


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return resolve_url("admin:index")


def _refused(form, user) -> None:
    if services.locked_out(user):
        form.add_error(None, _("Zu viele falsche Codes. Bitte warten Sie %(minutes)d Minuten und versuchen Sie "
                               "es dann wieder.") % {"minutes": max(1, services.failure_window() // 60)})
    else:
        form.add_error("code", _("Dieser Code stimmt nicht (oder wurde schon benutzt). Bitte den aktuellen Code "
                                 "aus der App eingeben."))


@never_cache
@login_required
def verify(request):
    next_url = _next_url(request)
    if services.is_verified(request):
        return redirect(next_url)
    if services.confirmed_device(request.user) is None:
        return redirect(f"{resolve_url('twofactor:setup')}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.check_code(request.user, form.cleaned_data["code"]):
            services.mark_verified(request)
            return redirect(next_url)
        _refused(form, request.user)
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url},
                  status=400 if form.errors else 200)


@never_cache
@login_required
def setup(request):
    next_url = _next_url(request)
    if services.confirmed_device(request.user) is not None:
        # Replacing a device needs an administrator (who deletes the old one in the admin); without the
        # second factor nobody may swap in an app of their own.
        if services.is_verified(request):
            messages.info(request, _("Ihre Authenticator-App ist eingerichtet."))
            return redirect(next_url)
        return redirect(f"{resolve_url('twofactor:verify')}?{urlencode({'next': next_url})}")
    device = services.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.check_code(request.user, form.cleaned_data["code"], confirm=True):
            services.mark_verified(request)
            messages.success(request, _("Die Authenticator-App ist eingerichtet. Beim nächsten Anmelden fragen wir "
                                        "nach ihrem Code."))
            return redirect(next_url)
        _refused(form, request.user)
    context = {
        "form": form,
        "next": next_url,
        "secret": totp.grouped(device.secret),
        "uri": totp.provisioning_uri(device.secret, request.user.get_username(), services.issuer()),
    }
    response = render(request, "twofactor/setup.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response
