"""Login, logout and password reset for bookshops and staff (Django's views, our templates)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms import BookshopAwareAuthenticationForm, OutboxPasswordResetForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=BookshopAwareAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_reset/", auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
         name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
