from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.framework, name="framework"),
    path("categories/<str:numeral>/", views.category, name="category"),
    path("compendium/", views.compendium, name="compendium"),
    path("compendium/<str:ref>/", views.entry, name="entry"),
]
