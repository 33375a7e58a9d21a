from django.urls import path

from . import views

app_name = "scoring"
urlpatterns = [
    path("assessments/<int:pk>/results/", views.results, name="results"),
    path("assessments/<int:pk>/action-plan.xlsx", views.action_plan, name="action_plan"),
    path("results/countries-by-category/", views.heatmap, name="heatmap"),
    path("results/export/", views.export, name="export"),
]
