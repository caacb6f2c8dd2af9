"""Who may open which page: one reviewed table for every URL of the project.

`tests/test_role_matrix.py` requests every URL (GET) as every demo login of
`seed_demo` and as an anonymous visitor and compares the status codes with
ROWS below. A URL name without a row fails that test: add a row here, after
deciding who should see the page.

Columns, in this order (the demo logins, see trajectories/demo/organisations.py):

    tc   teamcoach@demo.test       team coach of every demo trajectory
    aj   aanjager@demo.test        champion of the "main" trajectory (organisation A)
    mt   maatje@demo.test          buddy of the main trajectory
    mg   manager@demo.test         manager of the main trajectory
    oz   onderzoeker@demo.test     participating researcher (member of every active trajectory)
    oa   onafhankelijk@demo.test   independent researcher (study research team, no role)
    dn   deelnemer@demo.test       participant of the main trajectory
    aj2  aanjager2@demo.test       champion of the "other" trajectory (organisation B)
    bh   beheerder@demo.test       staff administrator
    an   anonymous

Objects in URLs come from the main trajectory (organisation A) unless a row
says otherwise; the cross-organisation test builds the same URLs from the other
trajectory (organisation B) and expects aanjager to get 404 on each of them.

Status shorthand: numbers are HTTP statuses; "login" is a redirect to the
login page (302 to /account/inloggen/?next=...).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["tc", "aj", "mt", "mg", "oz", "oa", "dn", "aj2", "bh", "an"]
LOGINS = {
    "tc": "teamcoach@demo.test",
    "aj": "aanjager@demo.test",
    "mt": "maatje@demo.test",
    "mg": "manager@demo.test",
    "oz": "onderzoeker@demo.test",
    "oa": "onafhankelijk@demo.test",
    "dn": "deelnemer@demo.test",
    "aj2": "aanjager2@demo.test",
    "bh": "beheerder@demo.test",
    "an": None,
}
# URL prefixes that are not the product's own pages.
SKIPPED_PREFIXES = ("beheer/", "static/", "media/")


# --- the URL walk -------------------------------------------------------------


@dataclass(frozen=True)
class UrlEntry:
    name: str  # "namespace:name"
    route: str  # the pattern, for messages
    kwargs: tuple[str, ...]  # the URL's keyword arguments
    callback: object
    pattern: object = None  # the URLPattern


def walk_urls() -> list[UrlEntry]:
    """Every named URL of the project (admin and static files left out)."""
    entries: list[UrlEntry] = []

    def visit(patterns, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                visit(pattern.url_patterns, route, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                kwargs = tuple(pattern.pattern.regex.groupindex)
                entries.append(UrlEntry(name, route, kwargs, pattern.callback, pattern))

    visit(get_resolver().url_patterns, "", None)
    return entries


# --- objects behind URL keyword arguments -------------------------------------
# Each lookup gets the trajectory (main or other) and returns the value for the
# URL. `ensure_objects` makes sure the other trajectory has one of each too.


def _trajectory(t):
    return t.pk


def _half_day(t):
    return t.half_days.order_by("starts_at").values_list("pk", flat=True).first()


def _session(t):
    from dialogues.models import DialogueSession

    return DialogueSession.objects.filter(trajectory=t).order_by("pk").values_list("pk", flat=True).first()


def _session_code(t):
    from dialogues.models import DialogueSession

    return DialogueSession.objects.filter(trajectory=t).order_by("pk").values_list("code", flat=True).first()


def _invitee(t):
    from dialogues.models import Invitee

    return Invitee.objects.filter(session__trajectory=t).order_by("pk").values_list("pk", flat=True).first()


def _invitee_token(t):
    from dialogues.models import Invitee
    from dialogues.tokens import make_token

    invitee = Invitee.objects.filter(session__trajectory=t).order_by("pk").first()
    return make_token(invitee) if invitee else None


DEMO_CHAMPIONS = ("aj", "aj2")


def _entry(t):
    """A submitted entry of the demo champion (aj in main, aj2 in other): their own."""
    from logbooks.models import Entry, EntryStatus

    entries = Entry.objects.filter(trajectory=t, status=EntryStatus.SUBMITTED, author_role="champion")
    own = entries.filter(author__email__in=[LOGINS[key] for key in DEMO_CHAMPIONS])
    return (own.order_by("pk").values_list("pk", flat=True).first()
            or entries.order_by("pk").values_list("pk", flat=True).first())


def _audio(t):
    """A voice entry of another champion than the demo one: private to its author."""
    from logbooks.models import AudioClip

    clips = AudioClip.objects.filter(entry__trajectory=t)
    others = clips.exclude(entry__author__email__in=[LOGINS[key] for key in DEMO_CHAMPIONS])
    return (others.order_by("pk").values_list("pk", flat=True).first()
            or clips.order_by("pk").values_list("pk", flat=True).first())


def _transcript(t):
    """The transcript of that voice entry (approved by its author)."""
    from transcripts.models import Transcript

    return Transcript.objects.filter(audio_kind="logbook_clip", audio_id=_audio(t)).values_list("pk", flat=True).first()


def _attachment(t):
    from logbooks.models import EmailAttachment

    return (
        EmailAttachment.objects.filter(email__trajectory=t).order_by("pk").values_list("pk", flat=True).first()
    )


def _report(t):
    from reports.models import Report

    return Report.objects.filter(kind="summary", object_id=t.pk).order_by("pk").values_list("pk", flat=True).first()


def _closing_interview(t):
    from trajectories.models import ClosingInterview

    return ClosingInterview.objects.filter(trajectory=t).order_by("pk").values_list("pk", flat=True).first()


def _study(t):
    return t.study_id


def _factor(t):
    from trajectories.models import DecisionFactor

    return DecisionFactor.objects.filter(decision__trajectory=t).order_by("pk").values_list("pk", flat=True).first()


def _contact(t):
    return t.recruitment_contacts.order_by("pk").values_list("pk", flat=True).first()


def _hour_entry(t):
    return t.hour_entries.order_by("pk").values_list("pk", flat=True).first()


def _harvest_item(t):
    from dialogues.models import HarvestItem

    return HarvestItem.objects.filter(session_id=_session(t)).order_by("pk").values_list("pk", flat=True).first()


def _item_author_token(t):
    """The personal link of the author of `_harvest_item`: their own item."""
    from dialogues.models import HarvestItem
    from dialogues.tokens import make_token

    item = HarvestItem.objects.filter(session_id=_session(t)).order_by("pk").select_related("invitee").first()
    return make_token(item.invitee) if item else None


def _person(t):
    from trajectories.models import Membership

    user_id = (
        Membership.objects.filter(trajectory=t, role="champion").order_by("pk").values_list("user_id", flat=True).first()
    )
    return f"u-{user_id}" if user_id else None


def _membership(t):
    """A participant's role in the trajectory: what the champion, too, may remove."""
    from trajectories.models import Membership

    return (
        Membership.objects.filter(trajectory=t, role="participant").order_by("pk").values_list("pk", flat=True).first()
    )


def _study_member(t):
    from trajectories.models import StudyMembership

    return StudyMembership.objects.filter(study_id=t.study_id).order_by("pk").values_list("pk", flat=True).first()


def _alias(t):
    from research.models import OrganisationAlias

    return OrganisationAlias.objects.filter(organisation_id=t.organisation_id).order_by("pk").values_list("pk", flat=True).first()


def _fragment(t):
    from coding.models import Fragment

    return Fragment.objects.filter(trajectory=t).order_by("pk").values_list("pk", flat=True).first()


def _coding(t):
    from coding.models import Coding

    return Coding.objects.filter(fragment__trajectory=t).order_by("pk").values_list("pk", flat=True).first()


def _study_object(model_path):
    def lookup(t):
        from django.apps import apps

        model = apps.get_model(model_path)
        field = "code__study_id" if model_path == "coding.Memo" else "study_id"
        return model.objects.filter(**{field: t.study_id}).order_by("pk").values_list("pk", flat=True).first()

    return lookup


def _organisation(t):
    return t.organisation_id


def _this_year(t):
    return datetime.date.today().isocalendar()[0]


def _this_week(t):
    return datetime.date.today().isocalendar()[1]


def _feed_token(t):
    from trajectories.models import CalendarFeed

    return CalendarFeed.objects.filter(revoked_at__isnull=True).values_list("token", flat=True).first()


OBJECTS = {
    "trajectory": _trajectory,
    "half_day": _half_day,
    "session": _session,
    "session_code": _session_code,
    "invitee": _invitee,
    "invitee_token": _invitee_token,
    "entry": _entry,
    "audio": _audio,
    "attachment": _attachment,
    "report": _report,
    "organisation": _organisation,
    "closing_interview": _closing_interview,
    "transcript": _transcript,
    "study": _study,
    "factor": _factor,
    "hour_entry": _hour_entry,
    "contact": _contact,
    "harvest_item": _harvest_item,
    "item_author_token": _item_author_token,
    "person": _person,
    "membership": _membership,
    "study_member": _study_member,
    "alias": _alias,
    "fragment": _fragment,
    "coding": _coding,
    "code": _study_object("coding.Code"),
    "category": _study_object("coding.Category"),
    "export": _study_object("coding.Export"),
    "qdpx_import": _study_object("coding.QdpxImport"),
    "iso_year": _this_year,
    "iso_week": _this_week,
    "feed_token": _feed_token,
}
# Values that are keys themselves (a signed link, a feed token): whoever holds
# one may open the page, so these URLs are left out of the cross-organisation test.
BEARER_OBJECTS = {"invitee_token", "session_code", "feed_token", "item_author_token"}
# Objects of a study, which spans organisations: who sees them depends on the
# study's research team, not on an organisation, so the cross-organisation test
# leaves them out (the role columns cover them).
STUDY_OBJECTS = {"study", "study_member", "code", "category", "export", "qdpx_import"}
# Not objects: fixed values.
LITERALS = {
    "uidb64": "MQ",
    "token": "set-password",
    "withdrawal_pk": 1,  # POST-only: a GET is refused before the object is looked up
    "number": 1,
    "kind": "ondertekenen",  # "Wat wacht op mij": start agreements to sign (every login)
}


# --- the table ------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: dict = field(default_factory=dict)  # kwarg -> OBJECTS key (or LITERALS)
    expected: str = ""  # one status per column of ROLES
    note: str = ""

    def statuses(self) -> dict[str, str]:
        values = self.expected.split()
        assert len(values) == len(ROLES), f"{self.name}: {len(values)} statuses for {len(ROLES)} roles"
        return dict(zip(ROLES, values, strict=True))


def R(name, expected, note="", **kwargs):  # noqa: N802 - reads as a table row
    return Row(name=name, kwargs=kwargs, expected=expected, note=note)


T = "trajectory"
# fmt: off
ROWS = [
    #  name                                 tc    aj    mt    mg    oz    oa    dn    aj2   bh    an
    R("home",                              "200   200   200   200   200   200   200   200   200   login"),
    R("waiting",                           "200   200   200   200   200   200   200   200   200   login"),
    R("healthz",                           "200   200   200   200   200   200   200   200   200   200"),
    R("set_language",                      "302   302   302   302   302   302   302   302   302   302"),
    R("login",                             "302   302   302   302   302   302   302   302   302   200"),
    R("logout",                            "405   405   405   405   405   405   405   405   405   405"),
    R("password_reset",                    "200   200   200   200   200   200   200   200   200   200"),
    R("password_reset_done",               "200   200   200   200   200   200   200   200   200   200"),
    R("password_reset_confirm",            "200   200   200   200   200   200   200   200   200   200"),
    R("password_reset_complete",           "200   200   200   200   200   200   200   200   200   200"),
    R("invitation_accept",                 "200   200   200   200   200   200   200   200   200   200"),
    R("notification_preferences",          "200   200   200   200   200   200   200   200   200   login"),
    R("trajectories:open",                 "200   403   403   403   403   403   403   403   200   login"),
    R("trajectories:studies",              "403   403   403   403   403   403   403   403   200   login"),
    R("trajectories:study",                "403   403   403   403   403   403   403   403   200   login", study_pk="study"),
    R("trajectories:study_member_remove",  "405   405   405   405   405   405   405   405   405   login", study_pk="study", member_pk="study_member"),
    R("trajectories:organisation",         "200   403   403   403   200   403   403   404   200   login", pk=T),
    R("trajectories:person_readd",         "405   405   405   405   405   405   405   405   405   login", pk=T),
    R("trajectories:person_remove",        "200   200   403   403   200   403   403   404   200   login", pk=T, membership_pk="membership"),
    R("trajectories:invitation_resend",    "405   405   405   405   405   405   405   405   405   login", pk=T, membership_pk="membership"),
    R("trajectories:list",                 "200   200   200   200   200   200   200   200   200   login"),
    R("trajectories:calendar",             "200   200   200   200   200   200   200   200   200   login"),
    R("trajectories:feed_create",          "405   405   405   405   405   405   405   405   405   login"),
    R("trajectories:feed_revoke",          "405   405   405   405   405   405   405   405   405   login"),
    R("trajectories:feed",                 "200   200   200   200   200   200   200   200   200   200", token="feed_token"),
    R("trajectories:detail",               "200   200   200   200   200   200   403   404   200   login", pk=T),
    R("trajectories:phase",                "302   403   403   403   302   403   403   404   302   login", pk=T,
      note="GET without ?naar= goes back to the trajectory; with it, the confirmation page"),
    R("trajectories:phase_back",           "200   403   403   403   403   403   403   404   403   login", pk=T),
    R("trajectories:decision_factor_edit", "200   403   403   403   200   403   403   404   200   login", pk=T, factor_pk="factor"),
    R("trajectories:decision_factor_delete", "200   403   403   403   200   403   403   404   200   login", pk=T, factor_pk="factor"),
    R("trajectories:half_day_delete",      "200   403   403   403   200   403   403   404   403   login", pk=T, half_day_pk="half_day"),
    R("trajectories:hours_edit",           "200   403   403   403   200   403   403   404   403   login", pk=T, entry_pk="hour_entry"),
    R("trajectories:hours_delete",         "200   403   403   403   200   403   403   404   403   login", pk=T, entry_pk="hour_entry"),
    R("trajectories:recruitment",          "200   403   403   403   200   403   403   404   200   login", pk=T),
    R("trajectories:recruitment_contact_edit", "200   403   403   403   200   403   403   404   200   login", pk=T, contact_pk="contact"),
    R("trajectories:recruitment_contact_delete", "200   403   403   403   200   403   403   404   200   login", pk=T, contact_pk="contact"),
    R("trajectories:decision",             "200   403   403   403   200   403   403   404   200   login", pk=T),
    R("trajectories:decision_factor",      "405   405   405   405   405   405   405   405   405   login", pk=T),
    R("trajectories:interview",            "200   403   403   403   200   403   403   404   403   login", pk=T),
    R("trajectories:agreement",            "200   200   200   200   200   200   403   404   200   login", pk=T),
    R("trajectories:agreement_edit",       "200   403   403   403   200   403   403   404   403   login", pk=T),
    R("trajectories:agreement_sign",       "405   405   405   405   405   405   405   405   405   login", pk=T),
    R("trajectories:people",               "200   200   403   403   200   403   403   404   200   login", pk=T),
    R("trajectories:plan",                 "200   200   200   200   200   200   403   404   200   login", pk=T),
    R("trajectories:half_day_new",         "200   200   200   403   200   403   403   404   403   login", pk=T),
    R("trajectories:half_day_edit",        "200   200   200   403   200   403   403   404   403   login", pk=T, half_day_pk="half_day"),
    R("trajectories:half_day_outcomes",    "200   200   200   403   403   403   403   404   403   login", pk=T, half_day_pk="half_day"),
    R("trajectories:interim_evaluation",   "302   403   403   403   302   403   403   404   403   login", pk=T, half_day_pk="half_day"),
    R("trajectories:hours",                "200   403   403   403   200   403   403   404   403   login", pk=T),
    R("trajectories:closing",              "200   200   200   200   200   200   403   404   200   login", pk=T),
    R("trajectories:closing_meeting",      "200   403   403   403   200   403   403   404   403   login", pk=T),
    R("trajectories:closing_interview_new", "200   403   403   403   200   200   403   404   403   login", pk=T),
    R("trajectories:closing_interview",    "403   403   403   403   200   200   403   404   403   login", pk=T, interview_pk="closing_interview"),
    R("trajectories:closing_interview_plan", "200   403   403   403   200   200   403   404   403   login", pk=T, interview_pk="closing_interview"),
    R("trajectories:closing_interview_missed", "200   403   403   403   200   200   403   404   403   login", pk=T, interview_pk="closing_interview"),
    R("trajectories:closing_interview_guide", "403   403   403   403   403   200   403   404   403   login", pk=T, interview_pk="closing_interview"),
    R("trajectories:closing_interview_audio_upload", "405   405   405   405   405   405   405   405   405   login", pk=T, interview_pk="closing_interview"),
    R("trajectories:closing_interview_audio", "403   403   403   403   404   404   403   404   403   login", pk=T, interview_pk="closing_interview"),
    R("dialogues:index",                   "200   200   200   200   200   200   200   200   200   login"),
    R("dialogues:list",                    "200   200   200   200   200   200   403   404   200   login", trajectory_pk=T),
    R("dialogues:create",                  "200   200   403   403   403   403   403   404   403   login", trajectory_pk=T),
    R("dialogues:detail",                  "200   200   200   200   200   200   200   404   200   login", pk="session"),
    R("dialogues:status_json",             "200   200   200   200   200   200   200   404   200   login", pk="session"),
    R("dialogues:invitee_add",             "405   405   405   405   405   405   405   405   405   login", pk="session"),
    R("dialogues:invitation_preview",      "200   200   403   403   403   403   403   404   403   login", pk="session"),
    R("dialogues:invitation_text",         "200   200   403   403   403   403   403   404   403   login", pk="session"),
    R("dialogues:invitation_approve",      "405   405   405   405   405   405   405   405   405   login", pk="session"),
    R("dialogues:invitation_send",         "405   405   405   405   405   405   405   405   405   login", pk="session"),
    R("dialogues:invitation_resend",       "405   405   405   405   405   405   405   405   405   login", pk="session", invitee_pk="invitee"),
    R("dialogues:board",                   "200   403   403   403   200   403   403   404   403   login", pk="session"),
    R("dialogues:items",                   "200   200   200   403   200   200   200   404   403   login", pk="session"),
    R("dialogues:items_json",              "200   200   200   403   200   200   200   404   403   login", pk="session"),
    R("dialogues:groups",                  "200   403   403   403   200   403   403   404   403   login", pk="session"),
    R("dialogues:item_hide",               "200   403   403   403   200   403   403   404   403   login", pk="session", item_pk="harvest_item"),
    R("dialogues:item_unhide",             "405   405   405   405   405   405   405   405   405   login", pk="session", item_pk="harvest_item"),
    R("dialogues:close_harvest",           "405   405   405   405   405   405   405   405   405   login", pk="session"),
    R("dialogues:report_edit",             "403   403   403   403   200   403   403   404   403   login", pk="session"),
    R("dialogues:report_submit",           "405   405   405   405   405   405   405   405   405   login", pk="session"),
    R("dialogues:report_close",            "405   405   405   405   405   405   405   405   405   login", pk="session"),
    R("dialogues:report_compare",          "200   200   200   403   200   200   200   404   403   login", pk="session"),
    R("dialogues:report_version_redact",   "405   405   405   405   405   405   405   405   405   login", pk="session"),
    R("dialogues:short",                   "200   200   200   200   200   200   200   200   200   200", code="session_code"),
    R("dialogues:personal",                "200   200   200   200   200   200   200   200   200   200", token="invitee_token"),
    R("dialogues:personal_consent",        "405   405   405   405   405   405   405   405   405   405", token="invitee_token"),
    R("dialogues:personal_item",           "405   405   405   405   405   405   405   405   405   405", token="invitee_token"),
    R("dialogues:personal_item_edit",      "200   200   200   200   200   200   200   200   200   200", token="item_author_token", item_pk="harvest_item"),
    R("dialogues:personal_item_delete",    "200   200   200   200   200   200   200   200   200   200", token="item_author_token", item_pk="harvest_item"),
    R("dialogues:personal_answer",         "405   405   405   405   405   405   405   405   405   405", token="invitee_token"),
    R("logbooks:index",                    "200   200   200   403   200   200   403   200   403   login"),
    R("logbooks:settings",                 "200   200   200   403   403   403   403   200   403   login"),
    R("logbooks:write",                    "200   200   200   403   403   403   403   404   403   login", trajectory_pk=T, iso_year="iso_year", iso_week="iso_week"),
    R("logbooks:autosave",                 "405   405   405   405   405   405   405   405   405   login", trajectory_pk=T, iso_year="iso_year", iso_week="iso_week"),
    R("logbooks:audio_upload",             "405   405   405   405   405   405   405   405   405   login", trajectory_pk=T, iso_year="iso_year", iso_week="iso_week"),
    R("logbooks:entry_detail",             "200   200   403   403   200   200   403   404   403   login", pk="entry"),
    R("logbooks:audio",                    "403   403   403   403   200   200   403   404   403   login", pk="audio"),
    R("transcripts:detail",                "403   403   403   403   200   200   403   404   403   login", pk="transcript"),
    R("transcripts:progress",              "403   403   403   403   200   200   403   404   403   login", pk="transcript"),
    R("transcripts:retry",                 "405   405   405   405   405   405   405   405   405   login", pk="transcript"),
    R("logbooks:attachment",               "200   403   403   403   200   200   403   404   403   login", pk="attachment"),
    R("logbooks:timeline",                 "200   403   403   403   200   200   403   404   403   login", trajectory_pk=T),
    R("logbooks:email_upload",             "200   403   403   403   200   200   403   404   403   login", trajectory_pk=T),
    R("logbooks:note_create",              "403   403   403   403   200   200   403   404   403   login", trajectory_pk=T),
    R("reports:list",                      "200   200   200   200   200   200   403   200   403   login"),
    R("reports:request",                   "405   405   405   405   405   405   405   405   405   login"),
    R("reports:detail",                    "403   403   403   403   200   200   403   404   403   login", pk="report"),
    R("reports:status",                    "403   403   403   403   200   200   403   404   403   login", pk="report"),
    R("reports:retry",                     "405   405   405   405   405   405   405   405   405   login", pk="report"),
    R("reports:download",                  "403   403   403   403   200   200   403   404   403   login", pk="report"),
    R("reports:portrait",                  "403   403   403   403   200   200   403   404   403   login", organisation_pk="organisation"),
    R("research:index",                    "403   403   403   403   200   200   403   403   403   login"),
    R("research:audit_log",                "403   403   403   403   200   200   403   403   403   login"),
    R("research:registry",                 "403   403   403   403   200   200   403   404   403   login", pk=T),
    R("research:consent_add",              "405   405   405   405   405   405   405   405   405   login", pk=T),
    R("research:withdraw",                 "403   403   403   403   200   200   403   404   403   login", pk=T, person="person"),
    R("research:reopen",                   "405   405   405   405   405   405   405   405   405   login", pk=T),
    R("research:my_consent_index",         "200   302   302   302   200   200   302   302   200   login", "one trajectory: straight to its page"),
    R("research:my_consent",               "200   200   200   200   200   404   200   404   404   login", pk=T),
    R("research:my_withdraw",              "200   200   200   200   200   404   200   404   404   login", pk=T),
    R("research:key",                      "403   403   403   403   200   200   403   404   403   login", pk=T),
    R("research:alias_add",                "405   405   405   405   405   405   405   405   405   login", pk=T),
    R("research:alias_remove",             "405   405   405   405   405   405   405   405   405   login", pk=T, alias_pk="alias"),
    R("coding:index",                      "403   403   403   403   200   200   403   403   403   login"),
    R("coding:fragments",                  "403   403   403   403   200   200   403   403   403   login", study="study"),
    R("coding:sync",                       "405   405   405   405   405   405   405   405   405   login", study="study"),
    R("coding:check_names",                "405   405   405   405   405   405   405   405   405   login", study="study"),
    R("coding:codebook",                   "403   403   403   403   200   200   403   403   403   login", study="study"),
    R("coding:category_create",            "405   405   405   405   405   405   405   405   405   login", study="study"),
    R("coding:exports",                    "403   403   403   403   200   200   403   403   403   login", study="study"),
    R("coding:export_request",             "405   405   405   405   405   405   405   405   405   login", study="study"),
    R("coding:imports",                    "403   403   403   403   200   200   403   403   403   login", study="study"),
    R("coding:import",                     "403   403   403   403   200   200   403   403   403   login", pk="qdpx_import"),
    R("coding:import_confirm",             "405   405   405   405   405   405   405   405   405   login", pk="qdpx_import"),
    R("coding:import_cancel",              "405   405   405   405   405   405   405   405   405   login", pk="qdpx_import"),
    R("coding:matrix",                     "403   403   403   403   200   200   403   403   403   login", study="study"),
    R("coding:cooccurrence",               "403   403   403   403   200   200   403   403   403   login", study="study"),
    R("coding:synthesis",                  "403   403   403   403   200   200   403   403   403   login", study="study"),
    R("coding:agreement",                  "403   403   403   403   200   200   403   403   403   login", study="study"),
    R("coding:disagreements",              "403   403   403   403   302   302   403   403   403   login", study="study"),
    R("coding:fragment",                   "403   403   403   403   200   200   403   404   403   login", pk="fragment"),
    R("coding:coding_add",                 "405   405   405   405   405   405   405   405   405   login", pk="fragment"),
    R("coding:coding_delete",              "405   405   405   405   405   405   405   405   405   login", pk="coding"),
    R("coding:fragment_memo_add",          "405   405   405   405   405   405   405   405   405   login", pk="fragment"),
    R("coding:coding_memo_add",            "405   405   405   405   405   405   405   405   405   login", pk="coding"),
    R("coding:code",                       "403   403   403   403   200   200   403   403   403   login", pk="code"),
    R("coding:code_rename",                "405   405   405   405   405   405   405   405   405   login", pk="code"),
    R("coding:code_category",              "405   405   405   405   405   405   405   405   405   login", pk="code"),
    R("coding:code_merge",                 "405   405   405   405   405   405   405   405   405   login", pk="code"),
    R("coding:code_delete",                "405   405   405   405   405   405   405   405   405   login", pk="code"),
    R("coding:memo_add",                   "405   405   405   405   405   405   405   405   405   login", pk="code"),
    R("coding:category",                   "403   403   403   403   200   200   403   403   403   login", pk="category"),
    R("coding:category_delete",            "405   405   405   405   405   405   405   405   405   login", pk="category"),
    R("coding:export",                     "403   403   403   403   200   200   403   403   403   login", pk="export"),
    R("coding:export_status",              "403   403   403   403   200   200   403   403   403   login", pk="export"),
    R("coding:export_download",            "403   403   403   403   404   404   403   403   403   login", pk="export"),
    R("dashboards:manager",                "302   403   403   200   302   302   403   403   403   login"),
    R("dashboards:overview",               "200   403   403   403   200   200   403   403   403   login"),
    R("dashboards:trajectory",             "200   200   200   200   200   200   403   404   403   login", pk=T),
]
# fmt: on

ROWS_BY_NAME = {row.name: row for row in ROWS}

# The session's own researcher (dialogues.access.SESSION_RESEARCHER): "oa", in the
# study's research team without a role in the trajectory, made the researcher of
# the main session. On that session they run the harvest and write the report;
# every other row of a session URL keeps its "oa" status above.
SESSION_RESEARCHER = "oa"
SESSION_RESEARCHER_STATUSES = {
    "dialogues:board": "200",
    "dialogues:groups": "200",
    "dialogues:item_hide": "200",
    "dialogues:report_edit": "200",
}


def url_for(entry: UrlEntry, kwargs_spec: dict, trajectory) -> tuple[str | None, str]:
    """The URL with real values from `trajectory`'s organisation, or (None, why not)."""
    values = {}
    for name in entry.kwargs:
        key = kwargs_spec.get(name)
        if key in OBJECTS:
            value = OBJECTS[key](trajectory)
            if value is None:
                return None, f"no {key} in {trajectory}"
            values[name] = value
        elif name in LITERALS:
            values[name] = LITERALS[name]
        else:
            return None, f"no lookup for URL argument {name!r}"
    return reverse(entry.name, kwargs=values), ""

