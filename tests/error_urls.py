from django.urls import path


def boom(request):
    raise RuntimeError("database exploded")


urlpatterns = [path("boom/", boom)]
