from django.urls import path

from . import dashboard_views

app_name = "dashboards"

urlpatterns = [
    path("", dashboard_views.manager_dashboard, name="manager"),
    path("overzicht/", dashboard_views.overview, name="overview"),
    path("traject/<int:pk>/", dashboard_views.trajectory_dashboard, name="trajectory"),
]
