"""Demo data of phase 1, half-day details, hours and calendar feeds."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from lobtraject.demo import DemoContext

from ..models import (
    Activity,
    CoachInterview,
    ContactKind,
    Decision,
    DecisionFactor,
    FactorCategory,
    FactorOption,
    HourEntry,
    InterventionType,
    Membership,
    Phase,
    RecruitmentContact,
    Role,
    Signature,
    SignatureParty,
    StartAgreement,
    Trajectory,
    Unit,
)
from ..services import feed_get_or_create
from ..services.agreement import agreements_signed_refresh

UNITS_BY_NUMBER = [Unit.WHOLE, Unit.CHAMPIONS, Unit.YEAR_GROUP, Unit.EXPERT_TEAM, Unit.MANAGEMENT]
INTERVENTIONS_BY_NUMBER = [
    [InterventionType.DIALOGUE],
    [InterventionType.SPARRING, InterventionType.THINKING_ALONG],
    [InterventionType.TRAINING],
    [InterventionType.COACHING, InterventionType.DIALOGUE],
    [InterventionType.INTERIM],
]
TOPICS = [
    "het loopbaangesprek met leerlingen",
    "de rol van de mentor bij studiekeuze",
    "samenwerking met de decaan",
    "ouders betrekken bij keuzes",
    "reflecteren met het LOB-dossier",
    "onzichtbare drempels bij kansengelijkheid",
]
OUTCOME_OPENINGS = [
    "Het team merkte dat",
    "Collega's ontdekten dat",
    "In de nabespreking bleek dat",
    "Opvallend was dat",
]
OUTCOME_ENDINGS = [
    "veel al gebeurt, maar niet zichtbaar is voor elkaar.",
    "de vragen die je stelt belangrijker zijn dan het advies dat je geeft.",
    "mentoren meer tijd willen voor één-op-één gesprekken.",
    "de visie pas gaat leven als je hem samen formuleert.",
    "leerlingen vaker zelf het gesprek kunnen voorbereiden.",
]


def demo_rng(trajectory: Trajectory, salt) -> random.Random:
    """A private generator: using ctx.rng only on first runs would change later names."""
    return random.Random(f"{trajectory.organisation.name}|{salt}")


def half_day_details(ctx: DemoContext, trajectory: Trajectory, number: int, day: date) -> dict:
    rng = demo_rng(trajectory, number)
    topic = rng.choice(TOPICS)
    details = {
        "unit": UNITS_BY_NUMBER[number % len(UNITS_BY_NUMBER)],
        "intervention_types": [str(v) for v in INTERVENTIONS_BY_NUMBER[number % 5]],
        "goals": sorted(rng.sample([1, 2, 3, 4], 2)) if number else [1, 2],
        "participants": "Hele team" if number == 0 else "Mentoren en aanjagers",
        "preparation_notes": f"Voorbereiden met de aanjager: {topic}.",
    }
    if day < ctx.today:
        details["what_happened"] = f"Gewerkt aan {topic} in kleine groepen, daarna plenair."
        details["learning_outcomes"] = (
            f"{rng.choice(OUTCOME_OPENINGS)} {rng.choice(OUTCOME_ENDINGS)}"
        )
    return details


def people_of(trajectory: Trajectory) -> dict:
    people = {}
    for membership in Membership.objects.filter(trajectory=trajectory).select_related("user"):
        people.setdefault(membership.role, membership.user)
    return people


@dataclass
class PhaseOneRows:
    """The phase 1 rows of one trajectory, unsaved; `save_phase_one` links and saves them."""

    contacts: list
    decision: Decision | None = None
    factors: list = field(default_factory=list)
    coach_interview: CoachInterview | None = None
    agreement: StartAgreement | None = None
    signatures: list = field(default_factory=list)


def phase_one_rows(ctx: DemoContext, trajectory: Trajectory, people: dict, options) -> PhaseOneRows:
    """Recruitment log, decision with factors, interview and the start agreement."""
    start = trajectory.starts_on
    coach = people.get(Role.COACH)
    champion = people.get(Role.CHAMPION)
    manager = people.get(Role.MANAGER)
    rows = PhaseOneRows(
        contacts=[
            RecruitmentContact(
                trajectory=trajectory,
                date=start - timedelta(days=42),
                kind=ContactKind.MAIL,
                people="teamcoach, aanjager",
                notes="Eerste mail met uitleg over het traject en de onderzoeksopzet.",
                created_by=coach,
            ),
            RecruitmentContact(
                trajectory=trajectory,
                date=start - timedelta(days=35),
                kind=ContactKind.CALL,
                people="teamcoach, aanjager",
                notes="Telefonisch de wensen van het team verkend.",
                created_by=coach,
            ),
            RecruitmentContact(
                trajectory=trajectory,
                date=start - timedelta(days=21),
                kind=ContactKind.MEETING,
                people="teamcoach, aanjager, leidinggevende",
                notes="Kennismaking op locatie; vragen over tijdsinvestering en facilitering.",
                is_introductory=True,
                created_by=coach,
            ),
        ]
    )
    if trajectory.phase == Phase.RECRUITMENT:
        return rows
    is_yes = trajectory.phase != Phase.DECLINED
    rows.decision = Decision(
        trajectory=trajectory,
        is_yes=is_yes,
        decided_on=start - timedelta(days=10),
        recorded_by=coach,
    )
    rng = demo_rng(trajectory, "decision")
    for category in rng.sample(list(FactorCategory.values), 3):
        fitting = [o for o in options if o.category == category] or options
        rows.factors.append(
            DecisionFactor(
                category=category,
                is_helping=is_yes if rng.random() < 0.75 else not is_yes,
                option=rng.choice(fitting) if fitting else None,
                free_text="" if fitting else "Timing",
            )
        )
    if not is_yes:
        rows.factors.append(
            DecisionFactor(
                category=FactorCategory.ORGANISATION,
                is_helping=False,
                free_text="Reorganisatie van de afdeling dit schooljaar",
            )
        )
    rows.coach_interview = CoachInterview(
        trajectory=trajectory,
        run_up="Na de kennismaking volgden twee gesprekken met de aanjager.",
        helped="Een aanjager met duidelijke ideeën en een betrokken leidinggevende.",
        hindered="Het rooster liet weinig ruimte voor teambijeenkomsten.",
        decisive=(
            "De wens om LOB als team op te pakken."
            if is_yes
            else "De organisatie wilde eerst de reorganisatie afronden."
        ),
    )
    if not is_yes:
        return rows
    rows.agreement = StartAgreement(
        trajectory=trajectory,
        facilitation_hours=rng.choice([2, 3, 4]),
        facilitation_period="per week",
        support="Roostervrije middag en ruimte in de teamvergadering.",
        duties=["logbook", "harvest", "consent"],
        sub_goals="Elke mentor voert twee loopbaangesprekken per leerling\nLOB-visie op de website",
    )
    signers = {
        SignatureParty.RESEARCH_TEAM: coach,
        SignatureParty.CHAMPION: champion,
        SignatureParty.MANAGEMENT: manager,
    }
    rows.signatures = [
        Signature(
            party=party,
            user=user,
            signed_at=ctx.aware(start - timedelta(days=7 - index), 10),
        )
        for index, (party, user) in enumerate(signers.items())
        if user is not None
    ]
    return rows


def save_phase_one(batch: list[PhaseOneRows]) -> None:
    """Save the phase 1 rows of many trajectories with one insert per model."""
    RecruitmentContact.objects.bulk_create([c for rows in batch for c in rows.contacts])
    Decision.objects.bulk_create([rows.decision for rows in batch if rows.decision])
    for rows in batch:
        for factor in rows.factors:
            factor.decision = rows.decision
    DecisionFactor.objects.bulk_create([f for rows in batch for f in rows.factors])
    CoachInterview.objects.bulk_create(
        [rows.coach_interview for rows in batch if rows.coach_interview]
    )
    StartAgreement.objects.bulk_create([rows.agreement for rows in batch if rows.agreement])
    for rows in batch:
        for signature in rows.signatures:
            signature.agreement = rows.agreement
    Signature.objects.bulk_create([s for rows in batch for s in rows.signatures])
    # bulk_create sends no signals: which agreements everyone signed, in one UPDATE.
    agreements_signed_refresh(agreement_ids=[rows.agreement.pk for rows in batch if rows.agreement])


def seed_phase_one(ctx: DemoContext, trajectory: Trajectory) -> None:
    """Recruitment log, decision with factors, interview and the start agreement."""
    if RecruitmentContact.objects.filter(trajectory=trajectory).exists():
        return
    options = list(FactorOption.objects.all())
    save_phase_one([phase_one_rows(ctx, trajectory, people_of(trajectory), options)])


def hour_rows(ctx: DemoContext, trajectory: Trajectory, coach, half_days) -> list[HourEntry]:
    """The coach's hours around each half-day that has taken place, and the mail."""
    if coach is None:
        return []
    entries = []
    for half_day in half_days:
        if timezone.localdate(half_day.starts_at) >= ctx.today:
            continue
        day = half_day.starts_at.date()
        entries += [
            HourEntry(
                trajectory=trajectory,
                user=coach,
                date=day - timedelta(days=3),
                activity=Activity.PREPARATION,
                hours=2,
                note="Voorbereiding met de aanjager",
            ),
            HourEntry(
                trajectory=trajectory,
                user=coach,
                date=day,
                activity=Activity.HALF_DAY,
                hours=Decimal("4.5"),
            ),
            HourEntry(
                trajectory=trajectory,
                user=coach,
                date=day + timedelta(days=7),
                activity=Activity.CALL,
                hours=1,
                note="Terugblik met de aanjager",
            ),
        ]
    if trajectory.phase in (Phase.CLOSING, Phase.FINISHED):
        entries.append(
            HourEntry(
                trajectory=trajectory,
                user=coach,
                date=trajectory.starts_on + timedelta(days=1),
                activity=Activity.MAIL,
                hours=Decimal("12"),
                note="Mailcontact hele traject",
            )
        )
    return entries


def seed_hours(ctx: DemoContext, trajectory: Trajectory) -> None:
    if HourEntry.objects.filter(trajectory=trajectory).exists():
        return
    coach = people_of(trajectory).get(Role.COACH)
    HourEntry.objects.bulk_create(hour_rows(ctx, trajectory, coach, trajectory.half_days.all()))


def seed_feeds(ctx: DemoContext) -> None:

    for key in ("teamcoach", "aanjager"):
        feed_get_or_create(user=ctx.users[key])
