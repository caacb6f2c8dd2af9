from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("", views.index, name="index"),
    path("auditlog/", views.audit_log, name="audit_log"),
    path("traject/<int:pk>/toestemming/", views.registry, name="registry"),
    path("traject/<int:pk>/toestemming/vastleggen/", views.consent_add, name="consent_add"),
    path("traject/<int:pk>/intrekken/<str:person>/", views.withdraw, name="withdraw"),
    path("traject/<int:pk>/heropenen/<int:withdrawal_pk>/", views.reopen, name="reopen"),
    path("mijn-toestemming/<int:pk>/", views.my_consent, name="my_consent"),
    path("traject/<int:pk>/sleutel/", views.key, name="key"),
    path("traject/<int:pk>/sleutel/alias/", views.alias_add, name="alias_add"),
    path(
        "traject/<int:pk>/sleutel/alias/<int:alias_pk>/verwijderen/",
        views.alias_remove,
        name="alias_remove",
    ),
]
