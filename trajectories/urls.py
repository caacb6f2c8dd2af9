from django.urls import path

from .views import agreement, closing, planning, recruitment, trajectory

app_name = "trajectories"
urlpatterns = [
    path("", trajectory.trajectory_list, name="list"),
    path("kalender/", planning.calendar, name="calendar"),
    path("kalender/koppeling/", planning.feed_create, name="feed_create"),
    path("kalender/koppeling/intrekken/", planning.feed_revoke, name="feed_revoke"),
    path("agenda/<str:token>.ics", planning.feed, name="feed"),
    path("<int:pk>/", trajectory.trajectory_detail, name="detail"),
    path("<int:pk>/fase/", trajectory.trajectory_phase, name="phase"),
    path("<int:pk>/fase/terug/", trajectory.trajectory_step_back, name="phase_back"),
    path("<int:pk>/werving/", recruitment.recruitment, name="recruitment"),
    path(
        "<int:pk>/werving/<int:contact_pk>/",
        recruitment.recruitment_contact_edit,
        name="recruitment_contact_edit",
    ),
    path(
        "<int:pk>/werving/<int:contact_pk>/verwijderen/",
        recruitment.recruitment_contact_delete,
        name="recruitment_contact_delete",
    ),
    path("<int:pk>/besluit/", recruitment.decision, name="decision"),
    path("<int:pk>/besluit/factor/", recruitment.decision_factor_add, name="decision_factor"),
    path(
        "<int:pk>/besluit/factor/<int:factor_pk>/",
        recruitment.decision_factor_edit,
        name="decision_factor_edit",
    ),
    path(
        "<int:pk>/besluit/factor/<int:factor_pk>/verwijderen/",
        recruitment.decision_factor_delete,
        name="decision_factor_delete",
    ),
    path("<int:pk>/interview/", recruitment.interview, name="interview"),
    path("<int:pk>/startdocument/", agreement.agreement, name="agreement"),
    path("<int:pk>/startdocument/bewerken/", agreement.agreement_edit, name="agreement_edit"),
    path("<int:pk>/startdocument/ondertekenen/", agreement.agreement_sign, name="agreement_sign"),
    path("<int:pk>/aanjagers/", trajectory.people, name="people"),
    path("<int:pk>/planning/", planning.plan, name="plan"),
    path("<int:pk>/planning/nieuw/", planning.half_day_form, name="half_day_new"),
    path("<int:pk>/planning/<int:half_day_pk>/", planning.half_day_form, name="half_day_edit"),
    path(
        "<int:pk>/planning/<int:half_day_pk>/leeropbrengsten/",
        planning.half_day_outcomes,
        name="half_day_outcomes",
    ),
    path(
        "<int:pk>/planning/<int:half_day_pk>/verwijderen/",
        planning.half_day_delete,
        name="half_day_delete",
    ),
    path("<int:pk>/uren/", planning.hours, name="hours"),
    path("<int:pk>/uren/<int:entry_pk>/", planning.hours_edit, name="hours_edit"),
    path("<int:pk>/uren/<int:entry_pk>/verwijderen/", planning.hours_delete, name="hours_delete"),
    path(
        "<int:pk>/planning/<int:half_day_pk>/tussenevaluatie/",
        closing.interim_evaluation,
        name="interim_evaluation",
    ),
    path("<int:pk>/afsluiting/", closing.closing, name="closing"),
    path(
        "<int:pk>/afsluiting/slotbijeenkomst/",
        closing.closing_meeting_edit,
        name="closing_meeting",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/nieuw/",
        closing.closing_interview_plan,
        name="closing_interview_new",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/",
        closing.closing_interview_detail,
        name="closing_interview",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/planning/",
        closing.closing_interview_plan,
        name="closing_interview_plan",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/niet-doorgegaan/",
        closing.closing_interview_missed,
        name="closing_interview_missed",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/gespreksleidraad/",
        closing.closing_interview_guide,
        name="closing_interview_guide",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/opname/",
        closing.closing_interview_audio_upload,
        name="closing_interview_audio_upload",
    ),
    path(
        "<int:pk>/afsluiting/slotinterviews/<int:interview_pk>/opname/afspelen/",
        closing.closing_interview_audio,
        name="closing_interview_audio",
    ),
]
