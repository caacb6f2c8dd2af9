from django.urls import path

from . import views

app_name = "research"

urlpatterns = [
    path("", views.index, name="index"),
    path("auditlog/", views.audit_log, name="audit_log"),
    path("traject/<id:pk>/toestemming/", views.registry, name="registry"),
    path("traject/<id:pk>/toestemming/vastleggen/", views.consent_add, name="consent_add"),
    path("traject/<id:pk>/intrekken/<person:person>/", views.withdraw, name="withdraw"),
    path("traject/<id:pk>/heropenen/<id:withdrawal_pk>/", views.reopen, name="reopen"),
    path("mijn-toestemming/", views.my_consent_index, name="my_consent_index"),
    path("mijn-toestemming/<id:pk>/", views.my_consent, name="my_consent"),
    path("mijn-toestemming/<id:pk>/stoppen/", views.my_withdraw, name="my_withdraw"),
    path("traject/<id:pk>/sleutel/", views.key, name="key"),
    path("traject/<id:pk>/sleutel/alias/", views.alias_add, name="alias_add"),
    path(
        "traject/<id:pk>/sleutel/alias/<id:alias_pk>/verwijderen/",
        views.alias_remove,
        name="alias_remove",
    ),
]
