from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from . import converters, views  # noqa: F401 - converters registers the bounded path types

urlpatterns = [
    path("", views.home, name="home"),
    path("wacht-op-mij/<word:kind>/", views.waiting_list, name="waiting"),
    path("healthz", views.healthz, name="healthz"),
    path("taal/", set_language, name="set_language"),
    path("account/", include("accounts.urls")),
    path("trajecten/", include("trajectories.urls")),
    path("dialogen/", include("dialogues.urls")),
    path("logboek/", include("logbooks.urls")),
    path("transcripties/", include("transcripts.urls")),
    path("rapporten/", include("reports.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("onderzoek/", include("research.urls")),
    path("onderzoek/codering/", include("coding.urls")),
    path("beheer/", admin.site.urls),
]

handler400 = "lobtraject.views.bad_request"
handler403 = "lobtraject.views.permission_denied"
handler404 = "lobtraject.views.page_not_found"
handler500 = "lobtraject.views.server_error"
