from django.urls import path

from . import views

app_name = "transcripts"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/voortgang/", views.progress, name="progress"),
    path("<int:pk>/opnieuw/", views.retry, name="retry"),
]
