from django.urls import path

from . import views

app_name = "logbooks"
urlpatterns = [
    path("", views.index, name="index"),
    path("instellingen/", views.settings_edit, name="settings"),
    path(
        "<int:trajectory_pk>/week/<int:iso_year>/<int:iso_week>/",
        views.entry_write,
        name="write",
    ),
    path(
        "<int:trajectory_pk>/week/<int:iso_year>/<int:iso_week>/autosave/",
        views.entry_autosave,
        name="autosave",
    ),
    path(
        "<int:trajectory_pk>/week/<int:iso_year>/<int:iso_week>/audio/",
        views.audio_upload,
        name="audio_upload",
    ),
    path("bijdrage/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("audio/<int:pk>/", views.audio_stream, name="audio"),
    path("bijlage/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:trajectory_pk>/tijdlijn/", views.timeline, name="timeline"),
    path("<int:trajectory_pk>/email/", views.email_upload, name="email_upload"),
    path("<int:trajectory_pk>/notitie/", views.note_create, name="note_create"),
]
