from django.urls import path

from . import questionnaire_views, review_views
from .campaigns import views as campaign_views

app_name = "assessments"
urlpatterns = [
    path("assessments/<int:pk>/", questionnaire_views.assessment_overview, name="overview"),
    path("assessments/<int:pk>/profile/", questionnaire_views.profile, name="profile"),
    path("assessments/<int:pk>/find/", questionnaire_views.need_search, name="need_search"),
    path(
        "assessments/<int:pk>/sections/<str:numeral>/",
        questionnaire_views.section,
        name="section",
    ),
    path(
        "assessments/<int:pk>/answers/<int:answer_pk>/details/",
        questionnaire_views.item_details,
        name="item_details",
    ),
    path(
        "assessments/<int:pk>/answers/<int:answer_pk>/autosave/",
        questionnaire_views.autosave,
        name="autosave",
    ),
    path(
        "assessments/<int:pk>/evidence/<int:evidence_pk>/",
        questionnaire_views.evidence_download,
        name="evidence",
    ),
    path("assessments/<int:pk>/submit/", review_views.submit, name="submit"),
    path("assessments/<int:pk>/review/", review_views.review, name="review"),
    path("cycles/<int:pk>/responses/", campaign_views.tracking, name="tracking"),
    path(
        "cycles/<int:pk>/responses/export/",
        campaign_views.tracking_export,
        name="tracking_export",
    ),
]
