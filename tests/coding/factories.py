"""Factories and a small body of research material for the coding tests."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from coding.models import Category, Code, Coding, Fragment, SourceKind
from dialogues.models import HarvestReport, ReportStatus, ReportVersion
from logbooks.models import EmailDataPoint
from research.models import Consent
from tests.dialogues.factories import DialogueSessionFactory, HarvestItemFactory, InviteeFactory
from tests.factories import StudyFactory, TrajectoryFactory, UserFactory, give_consent
from tests.logbooks.factories import EntryFactory, NoteFactory
from trajectories.models import ClosingInterview, InterviewStatus


class FragmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fragment

    trajectory = factory.SubFactory(TrajectoryFactory)
    kind = SourceKind.NOTE
    source_id = factory.Sequence(lambda n: 100000 + n)
    title = factory.Sequence(lambda n: f"Observatie {n}")
    text = "De mentoren praten elke week met hun klas over keuzes en stages."
    occurred_on = date(2026, 10, 1)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    study = factory.SubFactory(StudyFactory)
    name = factory.Sequence(lambda n: f"Categorie {n}")


class CodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Code

    study = factory.SubFactory(StudyFactory)
    name = factory.Sequence(lambda n: f"code {n}")


class CodingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coding

    fragment = factory.SubFactory(FragmentFactory)
    code = factory.SubFactory(CodeFactory, study=factory.SelfAttribute("..fragment.trajectory.study"))
    start = 4
    end = 13


def make_material(world, *, text: str = "", trajectory=None):
    """One source of every kind in `trajectory` (default: the world's), with `text` in it."""
    trajectory = trajectory or world.trajectory
    extra = f" {text}" if text else ""
    EntryFactory(
        trajectory=trajectory, author=world.champion, author_role="champion",
        actions="Ik sprak met het team over de keuzeweek." + extra,
        helped="De steun van de leidinggevende hielp." + extra,
    )
    NoteFactory(trajectory=trajectory, created_by=world.researcher,
                title=("Observatie" + extra)[:200], text="Het team was betrokken." + extra)
    session = DialogueSessionFactory(
        trajectory=trajectory, facilitator=world.coach, researcher=world.researcher,
        starts_at=timezone.now() - timedelta(days=20), theme=("Ik en loopbaanbegeleiding" + extra)[:200],
    )
    report = HarvestReport.objects.create(session=session, status=ReportStatus.FINAL)
    ReportVersion.objects.create(
        report=report, number=1, body="De deelnemers zagen kansen in de mentorlessen." + extra,
        submitted_at=timezone.now(),
    )
    invitee = InviteeFactory(session=session)
    # Only data covered by consent reach coding: everyone here agreed to their kind.
    give_consent(trajectory=trajectory, kind="dialogue", email=invitee.email)
    for kind in ("logbook", "notes"):
        if not Consent.objects.filter(trajectory=trajectory, kind=kind, user=world.champion):
            give_consent(trajectory=trajectory, kind=kind, user=world.champion)
    HarvestItemFactory(invitee=invitee, session=session,
                       text="Ik wil vaker vragen wat een student wil." + extra)
    EmailDataPoint.objects.create(
        trajectory=trajectory, occurred_on=date(2026, 9, 1), raw="private/email/test.eml",
        sender=f"{world.champion.get_full_name()} <{world.champion.email}>",
        recipients=world.coach.email, subject=("Planning dagdeel" + extra)[:500],
        body="Zullen we het tweede dagdeel in november doen?" + extra,
    )
    interviewee = world.buddy
    if ClosingInterview.objects.filter(trajectory=trajectory, interviewee=interviewee).exists():
        interviewee = UserFactory()
    if not Consent.objects.filter(trajectory=trajectory, kind="interview", user=interviewee):
        give_consent(trajectory=trajectory, kind="interview", user=interviewee)
    ClosingInterview.objects.create(
        trajectory=trajectory, interviewee=interviewee, interviewee_role="buddy",
        interviewer=world.independent, planned_at=timezone.now() - timedelta(days=2),
        status=InterviewStatus.HELD, overall_steps="We hebben een visie geschreven." + extra,
        notes="Het gesprek duurde 45 minuten." + extra,
    )
    return invitee
