from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path(
        "country/<int:assessment_pk>/",
        views.request_country_report,
        name="request_country",
    ),
    path("overview/<int:cycle_pk>/", views.request_overview, name="overview_request"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    path("jobs/<int:pk>/download/", views.download, name="download"),
]
