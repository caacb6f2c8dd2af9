from django.urls import path

from . import views

app_name = "logbooks"
urlpatterns = [
    path("", views.index, name="index"),
    path("instellingen/", views.settings_edit, name="settings"),
    path(
        "<id:trajectory_pk>/week/<id:iso_year>/<id:iso_week>/",
        views.entry_write,
        name="write",
    ),
    path(
        "<id:trajectory_pk>/week/<id:iso_year>/<id:iso_week>/autosave/",
        views.entry_autosave,
        name="autosave",
    ),
    path(
        "<id:trajectory_pk>/week/<id:iso_year>/<id:iso_week>/audio/",
        views.audio_upload,
        name="audio_upload",
    ),
    path("bijdrage/<id:pk>/", views.entry_detail, name="entry_detail"),
    path("audio/<id:pk>/", views.audio_stream, name="audio"),
    path("bijlage/<id:pk>/", views.attachment_download, name="attachment"),
    path("<id:trajectory_pk>/tijdlijn/", views.timeline, name="timeline"),
    path("<id:trajectory_pk>/email/", views.email_upload, name="email_upload"),
    path("<id:trajectory_pk>/notitie/", views.note_create, name="note_create"),
]
