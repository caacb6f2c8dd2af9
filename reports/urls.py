from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("aanvragen/", views.report_request, name="request"),
    path("<id:pk>/", views.report_detail, name="detail"),
    path("<id:pk>/status/", views.report_status, name="status"),
    path("<id:pk>/opnieuw/", views.report_retry, name="retry"),
    path("<id:pk>/download/", views.report_download, name="download"),
    path("portret/<id:organisation_pk>/", views.portrait_edit, name="portrait"),
]
