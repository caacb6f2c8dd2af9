from django.urls import path

from . import views

app_name = "transcripts"
urlpatterns = [
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/voortgang/", views.progress, name="progress"),
    path("<id:pk>/opnieuw/", views.retry, name="retry"),
]
