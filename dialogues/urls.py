from django.urls import path

from . import views

app_name = "dialogues"
urlpatterns = [
    path("", views.session_index, name="index"),
    path("traject/<int:trajectory_pk>/", views.session_list, name="list"),
    path("traject/<int:trajectory_pk>/nieuw/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/status.json", views.session_status_json, name="status_json"),
    path("<int:pk>/genodigden/", views.invitee_add, name="invitee_add"),
    path("<int:pk>/uitnodiging/", views.invitation_preview, name="invitation_preview"),
    path("<int:pk>/uitnodiging/versturen/", views.invitation_send, name="invitation_send"),
    path(
        "<int:pk>/genodigden/<int:invitee_pk>/opnieuw/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("<int:pk>/oogst/", views.harvest_board, name="board"),
    path("<int:pk>/oogst/items/", views.harvest_items, name="items"),
    path("<int:pk>/oogst.json", views.harvest_json, name="items_json"),
    path("<int:pk>/oogst/ordenen/", views.harvest_groups, name="groups"),
    path("<int:pk>/oogst/sluiten/", views.harvest_close, name="close_harvest"),
    path("<int:pk>/oogst/<int:item_pk>/verbergen/", views.harvest_item_hide, name="item_hide"),
    path("<int:pk>/oogst/<int:item_pk>/tonen/", views.harvest_item_unhide, name="item_unhide"),
    path("<int:pk>/verslag/", views.report_edit, name="report_edit"),
    path("<int:pk>/verslag/indienen/", views.report_submit, name="report_submit"),
    path("<int:pk>/verslag/afsluiten/", views.report_close, name="report_close"),
    path("<int:pk>/verslag/vergelijk/", views.report_compare, name="report_compare"),
    path("o/<str:code>/", views.short, name="short"),
    path("p/<str:token>/", views.personal, name="personal"),
    path("p/<str:token>/toestemming/", views.personal_consent, name="personal_consent"),
    path("p/<str:token>/oogst/", views.personal_item, name="personal_item"),
    path(
        "p/<str:token>/oogst/<int:item_pk>/",
        views.personal_item_edit,
        name="personal_item_edit",
    ),
    path(
        "p/<str:token>/oogst/<int:item_pk>/verwijderen/",
        views.personal_item_delete,
        name="personal_item_delete",
    ),
    path("p/<str:token>/verslag/", views.personal_answer, name="personal_answer"),
]
