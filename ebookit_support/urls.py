from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("", include("ehelp.urls")),
    path("", include("tickets.urls")),
    path("", include("payments.urls")),
    path("accounts/", include("tickets.account_urls")),
    path("admin/", admin.site.urls),
    path("anymail/", include("anymail.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", healthz, name="healthz"),
]

admin.site.site_header = "eBookit Support"
admin.site.site_title = "eBookit Support"
admin.site.index_title = "Support Level 1 und 2"
