"""`seed_demo` once per test module, on the test database, rolled back afterwards.

The role matrix and the fuzz tests need the real demo data (every page has
something to show) but seeding takes seconds, so it happens once per module
inside one outer transaction that is rolled back at the end: other tests on
the same worker never see it. Tests using `demo_world` must not also ask for
`transactional_db`; each test that writes should do so in
`rolled_back()` so the next one sees the same data.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from tests.role_matrix import LOGINS


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

    from dialogues.models import DialogueSession, Invitee
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
    from coding.models import Category, Code, Coding, Export, Fragment, Memo
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


@contextlib.contextmanager
def seeded_demo(django_db_blocker):
    """The demo data set: `.users` by column key, `.main` and `.other` trajectories.

    Use it in a module-scoped fixture of the test module:

        @pytest.fixture(scope="module")
        def demo_world(django_db_setup, django_db_blocker):
            with seeded_demo(django_db_blocker) as world:
                yield world

    and mark the tests `django_db` so the test database exists.
    """
    from accounts.models import User
    from trajectories.models import Membership, Role

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
            users = {key: User.objects.get(email=email) for key, email in LOGINS.items() if email}
            main = Membership.objects.get(user=users["aj"], role=Role.CHAMPION).trajectory
            other = Membership.objects.get(user=users["aj2"], role=Role.CHAMPION).trajectory
            _ensure_objects(main, other, users)
            yield SimpleNamespace(users=users, main=main, other=other)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
