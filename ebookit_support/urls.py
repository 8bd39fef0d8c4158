from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from .health import healthz
from .login_throttle import ThrottledAdminAuthenticationForm


class FaviconRedirect(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links; send them to the static icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("", include("ehelp.urls")),
    path("", include("tickets.urls")),
    path("", include("payments.urls")),
    path("accounts/2fa/", include("twofactor.urls")),
    path("accounts/", include("tickets.account_urls")),
    # The staff dashboard and the privacy pages, before the admin's catch-all.
    path("admin/", include("tickets.staff_admin")),
    path("admin/", admin.site.urls),
    path("anymail/", include("anymail.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
]

admin.site.login_form = ThrottledAdminAuthenticationForm
admin.site.site_header = "eBookit Support"
admin.site.site_title = "eBookit Support"
admin.site.index_title = "Support Level 1 und 2"
