from django.urls import path

from . import questionnaire_views, review_views

app_name = "assessments"
urlpatterns = [
    path("assessments/<int:pk>/", questionnaire_views.assessment_overview, name="overview"),
    path("assessments/<int:pk>/profile/", questionnaire_views.profile, name="profile"),
    path(
        "assessments/<int:pk>/sections/<str:numeral>/",
        questionnaire_views.section,
        name="section",
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
]
