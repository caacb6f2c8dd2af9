from django.urls import path

from . import views

app_name = "dialogues"
urlpatterns = [
    path("", views.session_index, name="index"),
    path("traject/<id:trajectory_pk>/", views.session_list, name="list"),
    path("traject/<id:trajectory_pk>/nieuw/", views.session_create, name="create"),
    path("<id:pk>/", views.session_detail, name="detail"),
    path("<id:pk>/status.json", views.session_status_json, name="status_json"),
    path("<id:pk>/genodigden/", views.invitee_add, name="invitee_add"),
    path("<id:pk>/uitnodiging/", views.invitation_preview, name="invitation_preview"),
    path("<id:pk>/uitnodiging/versturen/", views.invitation_send, name="invitation_send"),
    path("<id:pk>/uitnodiging/tekst/", views.invitation_text, name="invitation_text"),
    path("<id:pk>/uitnodiging/nagekeken/", views.invitation_approve, name="invitation_approve"),
    path(
        "<id:pk>/genodigden/<id:invitee_pk>/opnieuw/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("<id:pk>/oogst/", views.harvest_board, name="board"),
    path("<id:pk>/oogst/items/", views.harvest_items, name="items"),
    path("<id:pk>/oogst.json", views.harvest_json, name="items_json"),
    path("<id:pk>/oogst/ordenen/", views.harvest_groups, name="groups"),
    path("<id:pk>/oogst/sluiten/", views.harvest_close, name="close_harvest"),
    path("<id:pk>/oogst/<id:item_pk>/verbergen/", views.harvest_item_hide, name="item_hide"),
    path("<id:pk>/oogst/<id:item_pk>/tonen/", views.harvest_item_unhide, name="item_unhide"),
    path("<id:pk>/verslag/", views.report_edit, name="report_edit"),
    path("<id:pk>/verslag/indienen/", views.report_submit, name="report_submit"),
    path("<id:pk>/verslag/afsluiten/", views.report_close, name="report_close"),
    path("<id:pk>/verslag/vergelijk/", views.report_compare, name="report_compare"),
    path(
        "<id:pk>/verslag/versie/<id:number>/wissen/",
        views.report_version_redact,
        name="report_version_redact",
    ),
    path("o/<code:code>/", views.short, name="short"),
    path("p/<token:token>/", views.personal, name="personal"),
    path("p/<token:token>/toestemming/", views.personal_consent, name="personal_consent"),
    path("p/<token:token>/oogst/", views.personal_item, name="personal_item"),
    path(
        "p/<token:token>/oogst/<id:item_pk>/",
        views.personal_item_edit,
        name="personal_item_edit",
    ),
    path(
        "p/<token:token>/oogst/<id:item_pk>/verwijderen/",
        views.personal_item_delete,
        name="personal_item_delete",
    ),
    path("p/<token:token>/verslag/", views.personal_answer, name="personal_answer"),
]
