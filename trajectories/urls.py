from django.urls import path

from . import closing_views, views

app_name = "trajectories"
urlpatterns = [
    path("", views.trajectory_list, name="list"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/koppeling/", views.feed_create, name="feed_create"),
    path("kalender/koppeling/intrekken/", views.feed_revoke, name="feed_revoke"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
    path("<int:pk>/", views.trajectory_detail, name="detail"),
    path("<int:pk>/fase/", views.trajectory_phase, name="phase"),
    path("<int:pk>/werving/", views.recruitment, name="recruitment"),
    path("<int:pk>/besluit/", views.decision, name="decision"),
    path("<int:pk>/besluit/factor/", views.decision_factor_add, name="decision_factor"),
    path("<int:pk>/interview/", views.interview, name="interview"),
    path("<int:pk>/startdocument/", views.agreement, name="agreement"),
    path("<int:pk>/startdocument/bewerken/", views.agreement_edit, name="agreement_edit"),
    path("<int:pk>/startdocument/ondertekenen/", views.agreement_sign, name="agreement_sign"),
    path("<int:pk>/aanjagers/", views.people, name="people"),
    path("<int:pk>/planning/", views.plan, name="plan"),
    path("<int:pk>/planning/nieuw/", views.half_day_form, name="half_day_new"),
    path("<int:pk>/planning/<int:half_day_pk>/", views.half_day_form, name="half_day_edit"),
    path(
        "<int:pk>/planning/<int:half_day_pk>/leeropbrengsten/",
        views.half_day_outcomes,
        name="half_day_outcomes",
    ),
    path("<int:pk>/uren/", views.hours, name="hours"),
    path(
        "<int:pk>/planning/<int:half_day_pk>/tussenevaluatie/",
        closing_views.interim_evaluation,
        name="interim_evaluation",
    ),
    path("<int:pk>/afsluiting/", closing_views.closing, name="closing"),
    path(
        "<int:pk>/afsluiting/slotbijeenkomst/",
        closing_views.closing_meeting_edit,
        name="closing_meeting",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/nieuw/",
        closing_views.closing_interview_plan,
        name="closing_interview_new",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/",
        closing_views.closing_interview_detail,
        name="closing_interview",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/planning/",
        closing_views.closing_interview_plan,
        name="closing_interview_plan",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/niet-doorgegaan/",
        closing_views.closing_interview_missed,
        name="closing_interview_missed",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/gespreksleidraad/",
        closing_views.closing_interview_guide,
        name="closing_interview_guide",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/opname/",
        closing_views.closing_interview_audio_upload,
        name="closing_interview_audio_upload",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/opname/afspelen/",
        closing_views.closing_interview_audio,
        name="closing_interview_audio",
    ),
]
