from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.language import language_set
from assessments.views import home

from .health import health, session_status

handler400 = "tanneeds.errors.bad_request"

admin.site.site_header = _("TA Needs administration")
admin.site.site_title = _("TA Needs")
admin.site.index_title = _("UNODC staff")

urlpatterns = [
    # Outside the "assessments" namespace: LOGIN_REDIRECT_URL and every page link to "home".
    path("", home, name="home"),
    path("", include("assessments.urls")),
    path("", include("scoring.urls")),
    path("catalogue/", include("catalogue.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/", include("accounts.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Django's set_language, which also saves a signed-in user's choice.
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    path("healthz", health, name="health"),
    path("accounts/session/", session_status, name="session_status"),
]
# Reports is an app built on the others, which run without it.
if apps.is_installed("reports"):
    urlpatterns.append(path("reports/", include("reports.urls")))
