from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "TA Needs administration"
admin.site.site_title = "TA Needs"
admin.site.index_title = "UNODC staff"

urlpatterns = [
    path("", include("assessments.urls")),
    path("catalogue/", include("catalogue.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
