"""`seed_demo` once per test database, shared by every test that asks for it.

Many tests need the real demo data (the role matrix and the fuzz tests: every
page has something to show; the `test_demo` modules: what the demo contains),
but seeding takes seconds. So each test process (each xdist worker) seeds it
once, committed, into its own copy of the test database, `<test db>_demo`
(made with `CREATE DATABASE ... TEMPLATE` right after the test database is
created, so it has the same migrations). A test that asks for `demo_data` or
`demo_world` runs on that copy, inside pytest-django's usual per-test
transaction, which is rolled back afterwards: the next test sees the freshly
seeded demo again, and the tests that did not ask for it run on the empty test
database as before and never see it. Inside a test, `rolled_back()` gives a
savepoint that is always rolled back.

Tests that commit (`transactional_db`, `live_server`: the browser tests) cannot
share a copy that must stay as seeded; they get the old behaviour, a
`seed_demo` of their own. So do all tests on SQLite (`LOB_TEST_DATABASE=sqlite`)
or when the copy cannot be made.

The files the seeding writes to MEDIA_ROOT (audio clips, e-mails) are kept in
memory and put back before each test, in case a test deleted one.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from tests.role_matrix import LOGINS

# The fixture that moves a test onto the seeded copy (see tests/conftest.py).
SWITCH_FIXTURE = "_demo_database"
SUFFIX = "demo"


class _Shared:
    """This process's seeded copy: its name once it exists, the output once seeded."""

    name: str | None = None
    output: str | None = None
    media: dict[Path, bytes] = {}


SHARED = _Shared()


def commits(item) -> bool:
    """Whether a test commits its data (then it cannot use the shared copy)."""
    names = item.fixturenames
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transactional = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    return bool(transactional or marker.kwargs.get("reset_sequences"))


def create_copy(django_db_blocker) -> None:
    """Right after the test database is made: copy it (still empty) as `<name>_demo`."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    name = connection.creation.get_test_db_clone_settings(SUFFIX)["NAME"]
    quote = connection.ops.quote_name
    with django_db_blocker.unblock():
        # CREATE DATABASE ... TEMPLATE needs the template to have no connections.
        connection.close()
        try:
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
                cursor.execute(
                    f"CREATE DATABASE {quote(name)} TEMPLATE {quote(connection.settings_dict['NAME'])}"
                )
        except Exception as error:  # noqa: BLE001 - then every test seeds its own, as before
            warnings.warn(f"no shared demo database ({error}); each test seeds its own", stacklevel=1)
            return
    SHARED.name = name


def drop_copy(django_db_blocker) -> None:
    from django.db import connection

    if SHARED.name is None:
        return
    with (
        django_db_blocker.unblock(),
        contextlib.suppress(Exception),
        connection.creation._nodb_cursor() as cursor,
    ):
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(SHARED.name)}")
    SHARED.name = None


def _media_files() -> dict[Path, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


def _seed_once() -> None:
    if SHARED.output is not None:
        for path, data in SHARED.media.items():
            if not path.exists() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        return
    before = _media_files()
    out = io.StringIO()
    call_command("seed_demo", quiet_logins=True, stdout=out)  # commits: this is the copy
    SHARED.media = {path: data for path, data in _media_files().items() if before.get(path) != data}
    SHARED.output = out.getvalue()


@contextlib.contextmanager
def on_shared_copy(request, django_db_blocker):
    """Run the test on the seeded copy; yields False when it has to seed its own."""
    from django.db import connection

    if SHARED.name is None or commits(request.node):
        yield False
        return
    original = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        connection.close()
    connection.settings_dict["NAME"] = SHARED.name
    try:
        with django_db_blocker.unblock():
            _seed_once()
        yield True
    finally:
        with django_db_blocker.unblock():
            connection.close()
        connection.settings_dict["NAME"] = original


def seed_here() -> str:
    """The old way: `seed_demo` inside the test's own transaction."""
    out = io.StringIO()
    call_command("seed_demo", quiet_logins=True, stdout=out)
    return out.getvalue()


def demo_output(shared: bool) -> str:
    return SHARED.output if shared else seed_here()


@contextlib.contextmanager
def rolled_back():
    """A savepoint that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _ensure_objects(main, other, users) -> None:
    """Give the other trajectory the objects the demo only makes for the main one,
    and give both a finished report, so every object URL exists in both organisations."""
    from django.utils import timezone

    from dialogues.models import DialogueSession, HarvestItem, Invitee
    from logbooks.models import AudioClip, EmailAttachment, EmailDataPoint, Entry, EntryStatus
    from reports.models import Report, ReportKind, ReportStatus
    from trajectories.models import CalendarFeed, HalfDay

    now = timezone.now()
    if not other.half_days.exists():
        HalfDay.objects.create(
            trajectory=other, title="Startdialoog", starts_at=now, ends_at=now, is_start_dialogue=True
        )
    if not DialogueSession.objects.filter(trajectory=other).exists():
        session = DialogueSession.objects.create(
            trajectory=other,
            starts_at=now,
            place="Teamruimte",
            facilitator=users["tc"],
            researcher=users["oz"],
        )
        Invitee.objects.create(session=session, name="Docent Delta", email="docent.delta@demo.test")
    first_session = DialogueSession.objects.filter(trajectory=other).order_by("pk").first()
    if not HarvestItem.objects.filter(session=first_session).exists():
        invitee = first_session.invitees.order_by("pk").first() or Invitee.objects.create(
            session=first_session, name="Docent Delta", email="docent.delta@demo.test"
        )
        HarvestItem.objects.create(
            session=first_session, invitee=invitee, text="Samen kijken naar de keuzeweek."
        )
    if not other.recruitment_contacts.exists():
        other.recruitment_contacts.create(date=now.date(), kind="call", people="Teamleider")
    entry = Entry.objects.filter(trajectory=other, status=EntryStatus.SUBMITTED, author_role="champion").first()
    if entry is None:
        year, week, _day = now.date().isocalendar()
        entry = Entry.objects.create(
            trajectory=other,
            author=users["aj2"],
            author_role="champion",
            iso_year=year - 1,
            iso_week=week if week < 53 else 52,
            week_start=type(now.date()).fromisocalendar(year - 1, week if week < 53 else 52, 1),
            actions="Gesprek met de mentoren over de keuzeweek.",
            status=EntryStatus.SUBMITTED,
            submitted_at=now,
        )
    for trajectory in (main, other):
        if not AudioClip.objects.filter(entry__trajectory=trajectory).exists():
            clip_entry = Entry.objects.filter(trajectory=trajectory).first()
            AudioClip.objects.create(
                entry=clip_entry, file="audio/matrix.wav", content_type="audio/wav", size=0
            )
        if not EmailAttachment.objects.filter(email__trajectory=trajectory).exists():
            email = EmailDataPoint.objects.create(
                trajectory=trajectory, occurred_on=now.date(), raw="mail/matrix.eml", subject="Planning"
            )
            EmailAttachment.objects.create(
                email=email, file="mail/matrix.txt", filename="planning.txt", content_type="text/plain", size=0
            )
        if not Report.objects.filter(kind=ReportKind.SUMMARY, object_id=trajectory.pk).exists():
            name = f"reports/matrix-{trajectory.pk}.pdf"
            path = Path(settings.MEDIA_ROOT, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"%PDF-1.4\n% matrix\n")
            Report.objects.create(
                kind=ReportKind.SUMMARY,
                object_id=trajectory.pk,
                title=f"Samenvatting {trajectory}",
                requested_by=users["tc"],
                status=ReportStatus.DONE,
                progress=100,
                file=name,
                year=now.year,
                finished_at=now,
            )
    _ensure_closing_interviews(main, other, users)
    _ensure_research_objects(main, other, users)
    for key in ("tc", "aj"):
        if not CalendarFeed.objects.filter(user=users[key], revoked_at__isnull=True).exists():
            CalendarFeed.objects.create(user=users[key], token=f"matrix-feed-{key}")
    _fix_sharing(main)
    _ensure_transcripts(main, other)


def _ensure_transcripts(main, other) -> None:
    """An approved transcript of the table's voice entry in both organisations."""
    from logbooks.models import AudioClip
    from tests.role_matrix import _audio
    from transcripts.models import Transcript
    from transcripts.services import transcript_import

    for trajectory in (main, other):
        clip = AudioClip.objects.select_related("entry__author").get(pk=_audio(trajectory))
        if not Transcript.objects.filter(audio_kind="logbook_clip", audio_id=clip.pk).exists():
            transcript_import(
                kind="logbook_clip",
                audio_id=clip.pk,
                segments=[(0.0, 1.0, "Vandaag hebben we het dagdeel voorbereid.")],
                approved_by=clip.entry.author,
            )


def _fix_sharing(main) -> None:
    """The demo shares entries with the coach at random; the table's rows assume
    the champion's entry is shared and the other champion's voice entry is not."""
    from logbooks.models import AudioClip, Entry
    from tests.role_matrix import _audio, _entry

    Entry.objects.filter(pk=_entry(main)).update(shared_with_coach=True)
    clip = AudioClip.objects.get(pk=_audio(main))
    Entry.objects.filter(pk=clip.entry_id).update(shared_with_coach=False)


def _ensure_closing_interviews(main, other, users) -> None:
    try:
        from trajectories.models import ClosingInterview
    except ImportError:  # phase 4 not there yet
        return
    for trajectory, champion in ((main, users["aj"]), (other, users["aj2"])):
        if not ClosingInterview.objects.filter(trajectory=trajectory).exists():
            ClosingInterview.objects.create(
                trajectory=trajectory,
                interviewee=champion,
                interviewee_role="champion",
                interviewer=users["oa"],
                place="Teamruimte",
            )


def _ensure_research_objects(main, other, users) -> None:
    """A fragment with a coding in both organisations, an alias for both, and a
    code, category, memo and export in the main trajectory's study."""
    from coding.models import Category, Code, Coding, Export, Fragment, Memo, QdpxImport
    from research.models import OrganisationAlias

    for trajectory in (main, other):
        OrganisationAlias.objects.get_or_create(
            organisation_id=trajectory.organisation_id, defaults={"alias": "de school aan de haven"}
        )
        category = Category.objects.filter(study_id=trajectory.study_id).first() or Category.objects.create(
            study_id=trajectory.study_id, name="Matrix", created_by=users["oz"]
        )
        code = Code.objects.filter(study_id=trajectory.study_id).first() or Code.objects.create(
            study_id=trajectory.study_id, name="Matrixcode", category=category, created_by=users["oz"]
        )
        if not Memo.objects.filter(code__study_id=trajectory.study_id).exists():
            Memo.objects.create(code=code, text="Memo bij de code.", author=users["oz"])
        fragment = Fragment.objects.filter(trajectory=trajectory).first() or Fragment.objects.create(
            trajectory=trajectory, kind="note", source_id=10**9 + trajectory.pk,
            title="Observatie", text="De mentoren spraken over de keuzeweek.",
        )
        if not Coding.objects.filter(fragment__trajectory=trajectory).exists():
            Coding.objects.create(fragment=fragment, code=code, start=0, end=2, coder=users["oz"])
        if not Export.objects.filter(study_id=trajectory.study_id).exists():
            Export.objects.create(study_id=trajectory.study_id, fmt="json", requested_by=users["oz"])
        if not QdpxImport.objects.filter(study_id=trajectory.study_id).exists():
            QdpxImport.objects.create(study_id=trajectory.study_id, file_name="maxqda.qdpx",
                                      trajectory_ids=[trajectory.pk], uploaded_by=users["oz"])


def build_world() -> SimpleNamespace:
    """The role matrix's view of the demo: `.users` by column key, `.main` and `.other`.

    Call it inside the test's transaction (the `demo_world` fixture does): it
    adds the objects the demo only makes for one trajectory, so they are rolled
    back with the test.
    """
    from accounts.models import User
    from trajectories.models import Membership, Role

    users = {key: User.objects.get(email=email) for key, email in LOGINS.items() if email}
    main = Membership.objects.get(user=users["aj"], role=Role.CHAMPION).trajectory
    other = Membership.objects.get(user=users["aj2"], role=Role.CHAMPION).trajectory
    _ensure_objects(main, other, users)
    return SimpleNamespace(users=users, main=main, other=other)
