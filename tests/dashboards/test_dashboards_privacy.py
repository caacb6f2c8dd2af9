"""The informed consent's promise, checked end to end: a manager sees progress,
never what people wrote or said.

The demo data are loaded, then EVERY text field of logbooks, harvests, harvest
reports, closing meetings and interviews, goal notes, research notes, e-mails
and coding material gets a unique marker. Logged in as the demo manager, the
test crawls every page reachable from "/" (links, htmx and other URL
attributes, redirects) plus every URL of the project filled in with the ids of
the manager's own trajectory, and asserts that no marker appears in any
response (HTML, JSON, calendar files, PDF text).

A positive control proves the markers are where the research team reads them,
so the test would notice if they were never shown to anyone.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from trajectories.models import Role, Trajectory

MARKER = "ZQXMARK"  # long enough that no random token or nonce contains it
MAX_PAGES = 3000
# A path whose query strings go on without end (the calendar's previous/next month) is
# read in this many variants: the same view and template, so more adds time, not cover.
QUERY_VARIANTS = 4

# (app_label.Model, text fields) whose content a manager must never see.
PRIVATE_TEXT = {
    "logbooks.Entry": ["actions", "effects", "helped", "hindered", "other"],
    "logbooks.AudioClip": ["original_name"],
    "logbooks.EmailDataPoint": ["subject", "body", "sender", "recipients"],
    "logbooks.EmailAttachment": ["filename"],
    "logbooks.ResearchNote": ["title", "text"],
    "dialogues.HarvestItem": ["text", "group"],
    "dialogues.HarvestReport": ["closed_reason"],
    "dialogues.ReportVersion": ["body"],
    "dialogues.Approval": ["comment"],
    "trajectories.CoachInterview": ["run_up", "helped", "hindered", "decisive"],
    "trajectories.ClosingMeeting": ["look_back", "look_ahead"],
    "trajectories.ClosingInterview": [
        "missed_note",
        "overall_steps",
        "overall_helped",
        "overall_hindered",
        "still_needed",
        "notes",
    ],
    "trajectories.ClosingInterviewGoalAnswer": ["steps", "helped", "hindered"],
    "trajectories.GoalStatus": ["note"],
    "trajectories.HalfDay": ["learning_outcomes"],
    "coding.Fragment": ["title", "text"],
    "coding.Memo": ["text"],
}
# Models the marker check insists on having at least one row of, so the test
# cannot pass because a kind of material is simply missing.
MUST_EXIST = [
    "logbooks.Entry",
    "logbooks.ResearchNote",
    "logbooks.EmailDataPoint",
    "dialogues.HarvestItem",
    "dialogues.ReportVersion",
    "trajectories.CoachInterview",
    "trajectories.ClosingMeeting",
    "trajectories.ClosingInterview",
    "trajectories.ClosingInterviewGoalAnswer",
    "trajectories.GoalStatus",
    "trajectories.HalfDay",
    "coding.Fragment",
    "coding.Memo",
]


def _marker(model_label: str, field: str) -> str:
    name = f"{model_label.split('.')[1]}{field.title().replace('_', '')}"
    return f"{MARKER}{name}"


# --- the data --------------------------------------------------------------------


def _ensure_closing_material(main: Trajectory) -> None:
    """Make sure the manager's trajectory has one of everything the closing
    phase and the coding produce, whether or not the demo already made them."""
    from django.utils import timezone

    from coding.models import Code, Fragment, Memo, SourceKind
    from trajectories.models import (
        ClosingInterview,
        ClosingInterviewGoalAnswer,
        ClosingMeeting,
        CoachInterview,
        GoalSource,
        GoalStatus,
        InterviewStatus,
        MissedReason,
    )

    members = {m.role: m.user for m in main.memberships.select_related("user")}
    CoachInterview.objects.get_or_create(trajectory=main)
    ClosingMeeting.objects.get_or_create(
        trajectory=main, defaults={"held_on": timezone.localdate()}
    )
    independent = User.objects.get(email="onafhankelijk@demo.test")
    held, _created = ClosingInterview.objects.get_or_create(
        trajectory=main,
        interviewee=members[Role.CHAMPION],
        defaults={
            "interviewee_role": Role.CHAMPION,
            "interviewer": independent,
            "planned_at": timezone.now(),
            "status": InterviewStatus.HELD,
        },
    )
    ClosingInterview.objects.get_or_create(
        trajectory=main,
        interviewee=members[Role.BUDDY],
        defaults={
            "interviewee_role": Role.BUDDY,
            "interviewer": independent,
            "status": InterviewStatus.MISSED,
            "missed_reason": MissedReason.PERSONAL_CIRCUMSTANCES,
        },
    )
    ClosingInterviewGoalAnswer.objects.get_or_create(interview=held, goal=1)
    GoalStatus.objects.get_or_create(
        trajectory=main,
        goal=1,
        source=GoalSource.CLOSING_INTERVIEW,
        interview=held,
        defaults={"recorded_on": timezone.localdate(), "status": "partly"},
    )
    if not Fragment.objects.filter(trajectory=main).exists():
        Fragment.objects.create(
            trajectory=main, kind=SourceKind.NOTE, source_id=999999, title="-", text="-"
        )
    code, _created = Code.objects.get_or_create(study=main.study, name="faciliteren")
    if not code.memos.exists():
        Memo.objects.create(code=code, text="-")


def _build_manager_summary(main: Trajectory) -> None:
    """The figures-only PDF summary a manager may download, built after the
    markers went in, so the crawl reads it too."""
    from reports.models import Audience, ReportKind
    from reports.services import report_build, report_request

    report = report_request(
        user=User.objects.get(email="manager@demo.test"),
        kind=ReportKind.SUMMARY,
        object_id=main.pk,
        audience=Audience.MANAGER,
    )
    report_build(report_id=report.pk)


def _mark_everything() -> dict[str, str]:
    """Overwrite every private text field of every row with its marker."""
    markers = {}
    for model_label, fields in PRIVATE_TEXT.items():
        model = apps.get_model(model_label)
        values = {}
        for field in fields:
            marker = _marker(model_label, field)
            markers[marker] = f"{model_label}.{field}"
            values[field] = f"{marker} geheime zin"
        model.objects.update(**values)
    # Revisions keep old entry text as JSON.
    EntryRevision = apps.get_model("logbooks.EntryRevision")
    for revision in EntryRevision.objects.all():
        marker = f"{MARKER}EntryRevisionSnapshot"
        markers[marker] = "logbooks.EntryRevision.snapshot"
        revision.snapshot = {**revision.snapshot, "actions": marker, "effects": marker}
        revision.save(update_fields=["snapshot"])
    return markers


# --- the crawl ---------------------------------------------------------------------


class _Links(HTMLParser):
    ATTRIBUTES = {"href", "src", "action", "hx-get", "data-url", "data-src", "data-poll-url"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "get").lower() != "get":
            return
        for name, value in attrs:
            if value and (name in self.ATTRIBUTES or name.startswith("data-") and "/" in value):
                self.urls.append(value)


def _same_origin_paths(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    paths = []
    for url in parser.urls:
        parts = urlsplit(urljoin(base, url))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(("/static/", "/media/")) or path == reverse("logout"):
            continue
        paths.append(path)
    return paths


def _text_of(response) -> str:
    content = b"".join(response) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        if not shutil.which("pdftotext"):
            pytest.fail("pdftotext (poppler-utils) is needed to read PDF responses")
        result = subprocess.run(
            ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
        )
        return "PDF " + result.stdout.decode("utf-8", "replace")
    return content.decode("utf-8", "replace")


def _walk_patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            name = f"{prefix}{namespace}:" if namespace else prefix
            yield from _walk_patterns(pattern.url_patterns, name)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", list(pattern.pattern.converters)


def _project_urls(main: Trajectory) -> list[str]:
    """Every named URL of the project, filled in with the ids of `main`'s objects."""
    from django.urls import NoReverseMatch

    from dialogues.models import DialogueSession, Invitee
    from logbooks.models import AudioClip, EmailAttachment, Entry
    from reports.models import Report
    from trajectories.models import ClosingInterview

    sessions = list(DialogueSession.objects.filter(trajectory=main).values_list("pk", "code"))
    entries = list(Entry.objects.filter(trajectory=main).values_list("pk", "iso_year", "iso_week"))
    by_namespace = {
        "trajectories": [main.pk],
        "dashboards": [main.pk],
        "dialogues": [pk for pk, _code in sessions],
        "logbooks": [pk for pk, _y, _w in entries]
        + list(AudioClip.objects.filter(entry__trajectory=main).values_list("pk", flat=True))
        + list(EmailAttachment.objects.filter(email__trajectory=main).values_list("pk", flat=True)),
        "reports": list(Report.objects.values_list("pk", flat=True)),
        "research": [main.pk],
        "coding": list(
            apps.get_model("coding.Fragment")
            .objects.filter(trajectory=main)
            .values_list("pk", flat=True)
        )
        + list(
            apps.get_model("coding.Code")
            .objects.filter(study=main.study)
            .values_list("pk", flat=True)
        ),
    }
    candidates = {
        "trajectory_pk": [main.pk],
        "organisation_pk": [main.organisation_id],
        "half_day_pk": list(main.half_days.values_list("pk", flat=True)),
        "interview_pk": list(
            ClosingInterview.objects.filter(trajectory=main).values_list("pk", flat=True)
        ),
        "invitee_pk": list(
            Invitee.objects.filter(session__trajectory=main).values_list("pk", flat=True)
        ),
        "iso_year": sorted({year for _pk, year, _week in entries})[:2],
        "iso_week": sorted({week for _pk, _year, week in entries})[-3:],
        "code": [code for _pk, code in sessions],
        "study": [main.study_id],
    }
    everything = sorted({value for values in by_namespace.values() for value in values})
    urls = []
    for name, kwarg_names in _walk_patterns(get_resolver().url_patterns):
        namespace = name.split(":")[0] if ":" in name else ""
        choices = []
        for kwarg in kwarg_names:
            if kwarg == "pk":
                choices.append(by_namespace.get(namespace, everything))
            elif kwarg in candidates:
                choices.append(candidates[kwarg])
            else:
                choices.append([])  # tokens of other people: not the manager's
        for values in itertools.product(*choices):
            try:
                urls.append(reverse(name, kwargs=dict(zip(kwarg_names, values, strict=True))))
            except NoReverseMatch:
                continue
    return urls


def _crawl(client, start: list[str]) -> dict[str, str]:
    """GET every reachable page once; returns {path: text of the response}."""
    queue = deque(start)
    seen: set[str] = set()
    variants: dict[str, int] = {}
    pages: dict[str, str] = {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        bare = path.split("?", 1)[0]
        if bare != path:
            if variants.get(bare, 0) >= QUERY_VARIANTS:
                continue
            variants[bare] = variants.get(bare, 0) + 1
        seen.add(path)
        response = client.get(path)
        text = _text_of(response)
        pages[path] = f"{response.status_code}\n{text}"
        if response.status_code in (301, 302, 303, 307, 308):
            queue.extend(_same_origin_paths(path, f'<a href="{response["Location"]}">'))
        elif "html" in response.get("Content-Type", ""):
            queue.extend(_same_origin_paths(path, text))
    assert len(seen) < MAX_PAGES, "the crawl did not finish; raise MAX_PAGES"
    return pages


def _found(pages: dict[str, str], markers: dict[str, str]) -> list[str]:
    pattern = re.compile(MARKER + r"[A-Za-z]+")
    hits = []
    for path, text in pages.items():
        for marker in set(pattern.findall(text)):
            hits.append(f"{path}: {markers.get(marker, marker)}")
    return sorted(hits)


@pytest.fixture
def marked_demo(demo_data):
    main = Trajectory.objects.get(
        memberships__user__email="manager@demo.test", memberships__role=Role.MANAGER
    )
    _ensure_closing_material(main)
    markers = _mark_everything()
    _build_manager_summary(main)
    for model_label in MUST_EXIST:
        model = apps.get_model(model_label)
        assert model.objects.exists(), f"no {model_label} to put a marker in"
    return main, markers


def test_no_page_a_manager_can_open_shows_any_private_text(marked_demo, client_for):
    main, markers = marked_demo
    manager = User.objects.get(email="manager@demo.test")
    client = client_for(manager)
    start = ["/", reverse("dashboards:manager"), *_project_urls(main)]
    pages = _crawl(client, start)

    opened = [path for path, text in pages.items() if text.startswith("200")]
    pdfs = [path for path, text in pages.items() if text.startswith("200\nPDF ")]
    # The manager's PDF summary was downloaded and read as text.
    assert pdfs, "the crawl read no PDF"
    # The crawl really reached the manager's pages, not only error pages.
    assert reverse("dashboards:manager") in opened
    assert reverse("dashboards:trajectory", args=[main.pk]) in opened
    assert reverse("trajectories:detail", args=[main.pk]) in opened
    assert len(opened) >= 10, opened
    print(
        f"privacy crawl as manager: {len(pages)} URLs requested, {len(opened)} opened (200), "
        f"{len(pdfs)} PDF(s) read"
    )
    assert _found(pages, markers) == []


def test_the_markers_are_where_the_research_team_reads_them(marked_demo, client_for):
    """Positive control: the same check finds the markers for a researcher."""
    main, markers = marked_demo
    researcher = User.objects.get(email="onderzoeker@demo.test")
    client = client_for(researcher)
    pages = {
        path: _text_of(client.get(path))
        for path in [
            reverse("logbooks:timeline", args=[main.pk]),
            *[
                reverse("dialogues:report_edit", args=[session.pk])
                for session in main.dialogue_sessions.all()
            ],
        ]
    }
    found = " ".join(_found(pages, markers))
    assert "logbooks.Entry.actions" in found
    assert "dialogues.ReportVersion.body" in found


def _invite_to_every_session(main: Trajectory, user, *, agreed: bool):
    """`user` is invited to every dialogue session of `main` and answers the consent."""
    from dialogues import services as dialogue_services
    from dialogues.models import Invitee
    from dialogues.tokens import make_token

    tokens = []
    for session in main.dialogue_sessions.all():
        invitee = Invitee.objects.filter(session=session, email__iexact=user.email).first()
        if invitee is None:
            invitee = Invitee.objects.create(
                session=session, name=user.get_full_name(), email=user.email.lower(), user=user
            )
        dialogue_services.consent_record(invitee=invitee, agreed=agreed)
        tokens.append(make_token(invitee))
    return tokens


def _harvest_pdf_for_participants(main: Trajectory) -> None:
    """The participants' harvest report PDF of a final report, so the crawl tries it."""
    from dialogues.models import ReportStatus
    from reports.models import Audience, ReportKind
    from reports.services import report_build, report_request

    session = main.dialogue_sessions.filter(report__status=ReportStatus.FINAL).first()
    assert session is not None, "the demo has no approved harvest report"
    report = report_request(
        user=User.objects.get(email="onderzoeker@demo.test"),
        kind=ReportKind.HARVEST,
        object_id=session.pk,
        audience=Audience.PARTICIPANTS,
    )
    report_build(report_id=report.pk)


@pytest.mark.parametrize("who", ["manager-invitee", "refusing-invitee"])
def test_an_invitee_who_manages_or_refused_reads_no_harvest_or_report_text(
    marked_demo, client_for, who
):
    """A manager who is invited (and even says yes) and an invitee who said no get no
    harvest or report text on any page, JSON, partial, personal link or PDF."""
    from tests.factories import MembershipFactory, UserFactory

    main, markers = marked_demo
    if who == "manager-invitee":
        user = User.objects.get(email="manager@demo.test")
        tokens = _invite_to_every_session(main, user, agreed=True)
    else:
        user = UserFactory(first_name="Wim", last_name="Weigeraar")
        MembershipFactory(trajectory=main, user=user, role=Role.PARTICIPANT)
        tokens = _invite_to_every_session(main, user, agreed=False)
    _harvest_pdf_for_participants(main)
    client = client_for(user)
    start = [
        "/",
        *_project_urls(main),
        *[reverse("dialogues:personal", args=[token]) for token in tokens],
    ]
    pages = _crawl(client, start)
    sessions = list(main.dialogue_sessions.values_list("pk", flat=True))
    opened = [path for path, text in pages.items() if text.startswith("200")]
    # They are invitees: the session pages and their personal links open, without content.
    assert reverse("dialogues:detail", args=[sessions[0]]) in opened
    assert reverse("dialogues:personal", args=[tokens[0]]) in opened
    hits = _found(pages, markers)
    dialogue_hits = [hit for hit in hits if "dialogues." in hit]
    assert dialogue_hits == []
    assert hits == []
    print(f"privacy crawl as {who}: {len(pages)} URLs requested, {len(opened)} opened (200)")
