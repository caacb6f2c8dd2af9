from django.urls import path

from .views import agreement, closing, planning, recruitment, setup, trajectory

app_name = "trajectories"
urlpatterns = [
    path("", trajectory.trajectory_list, name="list"),
    path("nieuw/", setup.trajectory_open, name="open"),
    path("onderzoeken/", setup.study_list, name="studies"),
    path("onderzoeken/<id:study_pk>/", setup.study_detail, name="study"),
    path(
        "onderzoeken/<id:study_pk>/team/<id:member_pk>/verwijderen/",
        setup.study_member_remove,
        name="study_member_remove",
    ),
    path("kalender/", planning.calendar, name="calendar"),
    path("kalender/koppeling/", planning.feed_create, name="feed_create"),
    path("kalender/koppeling/intrekken/", planning.feed_revoke, name="feed_revoke"),
    path("agenda/<token:token>.ics", planning.feed, name="feed"),
    path("<id:pk>/", trajectory.trajectory_detail, name="detail"),
    path("<id:pk>/fase/", trajectory.trajectory_phase, name="phase"),
    path("<id:pk>/fase/terug/", trajectory.trajectory_step_back, name="phase_back"),
    path("<id:pk>/werving/", recruitment.recruitment, name="recruitment"),
    path(
        "<id:pk>/werving/<id:contact_pk>/",
        recruitment.recruitment_contact_edit,
        name="recruitment_contact_edit",
    ),
    path(
        "<id:pk>/werving/<id:contact_pk>/verwijderen/",
        recruitment.recruitment_contact_delete,
        name="recruitment_contact_delete",
    ),
    path("<id:pk>/besluit/", recruitment.decision, name="decision"),
    path("<id:pk>/besluit/factor/", recruitment.decision_factor_add, name="decision_factor"),
    path(
        "<id:pk>/besluit/factor/<id:factor_pk>/",
        recruitment.decision_factor_edit,
        name="decision_factor_edit",
    ),
    path(
        "<id:pk>/besluit/factor/<id:factor_pk>/verwijderen/",
        recruitment.decision_factor_delete,
        name="decision_factor_delete",
    ),
    path("<id:pk>/interview/", recruitment.interview, name="interview"),
    path("<id:pk>/startdocument/", agreement.agreement, name="agreement"),
    path("<id:pk>/startdocument/bewerken/", agreement.agreement_edit, name="agreement_edit"),
    path("<id:pk>/startdocument/ondertekenen/", agreement.agreement_sign, name="agreement_sign"),
    path("<id:pk>/organisatie/", setup.organisation_edit, name="organisation"),
    path("<id:pk>/mensen/", setup.people, name="people"),
    path("<id:pk>/mensen/opnieuw/", setup.person_readd, name="person_readd"),
    path(
        "<id:pk>/mensen/<id:membership_pk>/verwijderen/",
        setup.person_remove,
        name="person_remove",
    ),
    path(
        "<id:pk>/mensen/<id:membership_pk>/uitnodiging/",
        setup.invitation_resend,
        name="invitation_resend",
    ),
    path("<id:pk>/planning/", planning.plan, name="plan"),
    path("<id:pk>/planning/nieuw/", planning.half_day_form, name="half_day_new"),
    path("<id:pk>/planning/<id:half_day_pk>/", planning.half_day_form, name="half_day_edit"),
    path(
        "<id:pk>/planning/<id:half_day_pk>/leeropbrengsten/",
        planning.half_day_outcomes,
        name="half_day_outcomes",
    ),
    path(
        "<id:pk>/planning/<id:half_day_pk>/verwijderen/",
        planning.half_day_delete,
        name="half_day_delete",
    ),
    path("<id:pk>/uren/", planning.hours, name="hours"),
    path("<id:pk>/uren/<id:entry_pk>/", planning.hours_edit, name="hours_edit"),
    path("<id:pk>/uren/<id:entry_pk>/verwijderen/", planning.hours_delete, name="hours_delete"),
    path(
        "<id:pk>/planning/<id:half_day_pk>/tussenevaluatie/",
        closing.interim_evaluation,
        name="interim_evaluation",
    ),
    path("<id:pk>/afsluiting/", closing.closing, name="closing"),
    path(
        "<id:pk>/afsluiting/slotbijeenkomst/",
        closing.closing_meeting_edit,
        name="closing_meeting",
    ),
    path(
        "<id:pk>/afsluiting/slotinterviews/nieuw/",
        closing.closing_interview_plan,
        name="closing_interview_new",
    ),
    path(
        "<id:pk>/afsluiting/slotinterviews/<id:interview_pk>/",
        closing.closing_interview_detail,
        name="closing_interview",
    ),
    path(
        "<id:pk>/afsluiting/slotinterviews/<id:interview_pk>/planning/",
        closing.closing_interview_plan,
        name="closing_interview_plan",
    ),
    path(
        "<id:pk>/afsluiting/slotinterviews/<id:interview_pk>/niet-doorgegaan/",
        closing.closing_interview_missed,
        name="closing_interview_missed",
    ),
    path(
        "<id:pk>/afsluiting/slotinterviews/<id:interview_pk>/gespreksleidraad/",
        closing.closing_interview_guide,
        name="closing_interview_guide",
    ),
    path(
        "<id:pk>/afsluiting/slotinterviews/<id:interview_pk>/opname/",
        closing.closing_interview_audio_upload,
        name="closing_interview_audio_upload",
    ),
    path(
        "<id:pk>/afsluiting/slotinterviews/<id:interview_pk>/opname/afspelen/",
        closing.closing_interview_audio,
        name="closing_interview_audio",
    ),
]
