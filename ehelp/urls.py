from django.urls import path

from . import views

app_name = "ehelp"

urlpatterns = [
    path("", views.home, name="home"),
    path("ehelp/", views.home, name="index"),
]
