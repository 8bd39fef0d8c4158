from django.urls import path

from .views import public, queue

app_name = "tickets"

urlpatterns = [
    path("contact/", public.contact, name="contact"),
    path("contact/sent/", public.contact_sent, name="contact-sent"),
    path("case/<str:token>/", public.case, name="case"),
    path("case/<str:token>/files/<int:attachment_id>/", public.case_file, name="case-file"),
    path("consent/<str:token>/", public.remote_consent, name="remote-consent"),
    path("queue/", queue.queue, name="queue"),
    path("queue/<str:reference>/", queue.case_detail, name="queue-case"),
    path("queue/<str:reference>/files/<int:attachment_id>/", queue.case_file, name="queue-file"),
    path("queue/<str:reference>/<str:action>/", queue.case_action, name="queue-action"),
    path("start/", queue.home_after_login, name="home-after-login"),
]
