from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("aanvragen/", views.report_request, name="request"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/opnieuw/", views.report_retry, name="retry"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("portret/<int:organisation_pk>/", views.portrait_edit, name="portrait"),
]
