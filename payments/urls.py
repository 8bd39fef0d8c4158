from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payment-problem/", views.report, name="report"),
    path("payment-problem/sent/", views.sent, name="sent"),
]
