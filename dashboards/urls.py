from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.manager_dashboard, name="manager"),
    path("overzicht/", views.overview, name="overview"),
    path("traject/<id:pk>/", views.trajectory_dashboard, name="trajectory"),
]
