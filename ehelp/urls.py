from django.urls import path

from . import views

app_name = "ehelp"

urlpatterns = [
    path("", views.home, name="home"),
    path("ehelp/", views.home, name="index"),
    path("ehelp/artikel/<slug:slug>/", views.article, name="article"),
    path("ehelp/artikel/<slug:slug>/abstimmen/", views.vote, name="vote"),
    path("ehelp/suche/", views.search, name="search"),
    path("ehelp/informationen/", views.sources, name="sources"),
    path("ehelp/vorschlaege/", views.suggestions, name="suggestions"),
    path("ehelp/handbuch.pdf", views.manual, name="manual"),
    path("ehelp/bild/<int:pk>/", views.step_image, name="step-image"),
]
