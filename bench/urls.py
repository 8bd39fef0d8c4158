"""The product's urls plus the floor: a trivial view that does one indexed query on the same stack (middleware,
session, auth, the same database), so each page's latency can be read as a multiple of it."""

from django.http import HttpResponse
from django.urls import include, path

from tickets.models import Ticket


def floor(request):
    # values_list, not a model instance: a Ticket loaded with only() would fetch its deferred state field again.
    reference = Ticket.objects.filter(reference=request.GET.get("ref", "")).values_list("reference", flat=True).first()
    return HttpResponse(reference or "-", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("ebookit_support.urls")),
]
