from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# Outside a namespace, as Django's own account views expect ("password_reset_done", ...).
urlpatterns = [
    path("security/", views.account_security, name="account_security"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_done",
    ),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.recovery_codes_new, name="recovery_codes_new"),
    path("two-factor/remove/", views.two_factor_remove, name="two_factor_remove"),
]
