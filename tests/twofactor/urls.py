"""The project's URLs plus the twofactor pages, mounted where production mounts them (accounts/2fa/).

The admin's URLs are built again here: when the app is installed for these tests only (see conftest), the
project's URL module may have been imported before the app's admin registered its model."""

from django.contrib import admin
from django.urls import include, path

from ebookit_support.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("accounts/2fa/", include("twofactor.urls"))] + [
    path("admin/", admin.site.urls) if getattr(entry, "app_name", None) == "admin" else entry
    for entry in project_urlpatterns
]
