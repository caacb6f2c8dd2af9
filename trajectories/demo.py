"""Demo organisations, studies, trajectories and the demo logins."""

from __future__ import annotations

import io
import random
import wave
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lobtraject.demo import PLACES, DemoContext, ensure_user, generated_person

from .goals import Goal
from .models import (
    Activity,
    ClosingInterview,
    CoachInterview,
    ContactKind,
    Decision,
    DecisionFactor,
    FactorCategory,
    FactorOption,
    GoalProgress,
    GoalSource,
    GoalStatus,
    HalfDay,
    HourEntry,
    InterventionType,
    InterviewStatus,
    Location,
    Membership,
    Organisation,
    OrganisationKind,
    Phase,
    RecruitmentContact,
    Role,
    Sector,
    Signature,
    SignatureParty,
    StartAgreement,
    Study,
    StudyMembership,
    StudyRole,
    Trajectory,
    Unit,
)
from .pick_lists import ensure_factor_options
from .selectors import sub_goal_names

DEMO_LOGINS = {
    # key: (email, first name, tussenvoegsel, last name)
    "teamcoach": ("teamcoach@demo.test", "Marieke", "van der", "Linden"),
    "aanjager": ("aanjager@demo.test", "Jeroen", "de", "Graaf"),
    "maatje": ("maatje@demo.test", "Femke", "", "Dijkstra"),
    "manager": ("manager@demo.test", "Hanneke", "ter", "Horst"),
    "onderzoeker": ("onderzoeker@demo.test", "Bilal", "", "Bouzid"),
    "onafhankelijk": ("onafhankelijk@demo.test", "Annemiek", "van den", "Heuvel"),
    "deelnemer": ("deelnemer@demo.test", "Thijs", "", "Brouwer"),
    "aanjager2": ("aanjager2@demo.test", "Yara", "", "Tahiri"),
    "beheerder": ("beheerder@demo.test", "Gijs", "op de", "Laan"),
}

SCHOOL_PATTERNS = {
    Sector.VMBO: ("{place}se Vakschool", OrganisationKind.SCHOOL),
    Sector.HAVO_VWO: ("Stedelijk Lyceum {place}", OrganisationKind.SCHOOL),
    Sector.MBO: ("ROC {place}", OrganisationKind.SCHOOL),
    Sector.HO: ("Hogeschool {place} — opleiding Pedagogiek", OrganisationKind.PROGRAMME),
}
SHORT_PATTERNS = {
    Sector.VMBO: "Vakschool {place}",
    Sector.HAVO_VWO: "SL{initial}",
    Sector.MBO: "ROC {place}",
    Sector.HO: "HS{initial}",
}

# The phase each generated trajectory is put in, so every phase has examples.
PHASE_CYCLE = [
    Phase.CUSTOM,
    Phase.START_DIALOGUE,
    Phase.RECRUITMENT,
    Phase.CLOSING,
    Phase.FINISHED,
    Phase.DECLINED,
]


def _organisation(ctx: DemoContext, sector: str, index: int) -> Organisation:
    place = PLACES[index % len(PLACES)]
    suffix = "" if index < len(PLACES) else f" {index // len(PLACES) + 1}"
    pattern, kind = SCHOOL_PATTERNS[sector]
    name = pattern.format(place=place) + suffix
    short = SHORT_PATTERNS[sector].format(place=place, initial=place[0]) + suffix
    organisation, _ = Organisation.objects.get_or_create(
        name=name, defaults={"short_name": short, "sector": sector, "kind": kind}
    )
    locations = 4 if sector == Sector.MBO else 1
    for number in range(locations):
        city = PLACES[(index + number) % len(PLACES)]
        Location.objects.get_or_create(
            organisation=organisation,
            name=f"Locatie {city}" if locations > 1 else "Hoofdgebouw",
            defaults={"city": city},
        )
    return organisation


def _trajectory(ctx, study, organisation, phase, starts_on: date) -> Trajectory:
    trajectory, created = Trajectory.objects.get_or_create(
        study=study,
        organisation=organisation,
        defaults={
            "phase": phase,
            "starts_on": starts_on,
            "ends_on": starts_on + timedelta(days=300) if phase != Phase.DECLINED else starts_on,
        },
    )
    return trajectory


def _member(trajectory, user, role, **extra):
    Membership.objects.get_or_create(trajectory=trajectory, user=user, role=role, defaults=extra)


def _half_days(ctx: DemoContext, trajectory: Trajectory) -> None:
    """A start dialogue and a few half-days for trajectories past recruitment."""
    if trajectory.phase in (Phase.RECRUITMENT, Phase.DECLINED) or trajectory.half_days.exists():
        return
    first = trajectory.starts_on + timedelta(days=28)
    count = {Phase.START_DIALOGUE: 1, Phase.CUSTOM: 3, Phase.CLOSING: 5, Phase.FINISHED: 5}[
        trajectory.phase
    ]
    for number in range(count):
        day = first + timedelta(days=35 * number)
        HalfDay.objects.create(
            trajectory=trajectory,
            title="Startdialoog" if number == 0 else f"Dagdeel {number + 1}",
            starts_at=ctx.aware(day, 13, 30),
            ends_at=ctx.aware(day, 15, 30) if number == 0 else ctx.aware(day, 17, 0),
            is_online=number % 3 == 2,
            place="" if number % 3 == 2 else "Teamruimte",
            is_start_dialogue=number == 0,
            **_half_day_details(ctx, trajectory, number, day),
        )


def seed(ctx: DemoContext) -> None:
    for key, (email, first, infix, last) in DEMO_LOGINS.items():
        ctx.users[key] = ensure_user(email, first, infix, last, is_staff=key == "beheerder")
    users = ctx.users

    spring, _ = Study.objects.get_or_create(
        name="LOB in het team — cohort voorjaar 2026",
        defaults={
            "description": "Professionaliseringstrajecten LOB, eerste cohort.",
            "starts_on": date(2026, 1, 12),
            "ends_on": date(2026, 12, 18),
        },
    )
    autumn, _ = Study.objects.get_or_create(
        name="LOB in het team — cohort najaar 2026",
        defaults={
            "description": "Professionaliseringstrajecten LOB, tweede cohort.",
            "starts_on": date(2026, 8, 31),
            "ends_on": date(2027, 7, 16),
        },
    )
    ctx.studies = [spring, autumn]
    for study in ctx.studies:
        StudyMembership.objects.get_or_create(
            study=study, user=users["teamcoach"], role=StudyRole.COACH
        )
        for key in ("onderzoeker", "onafhankelijk"):
            StudyMembership.objects.get_or_create(
                study=study, user=users[key], role=StudyRole.RESEARCHER
            )

    ensure_factor_options()
    sectors = list(Sector.values)
    person_number = 0
    index = 0
    for round_number in range(ctx.scale):
        for sector_index, sector in enumerate(sectors):
            for variant in range(len(PHASE_CYCLE) // 2):
                phase = PHASE_CYCLE[(sector_index + variant * 2 + round_number) % len(PHASE_CYCLE)]
                study = spring if phase in (Phase.CLOSING, Phase.FINISHED) else autumn
                organisation = _organisation(ctx, sector, index)
                index += 1
                trajectory = _trajectory(
                    ctx, study, organisation, phase, study.starts_on + timedelta(days=7)
                )
                ctx.all_trajectories.append(trajectory)
                _member(trajectory, users["teamcoach"], Role.COACH)
                if phase != Phase.DECLINED:
                    _member(trajectory, users["onderzoeker"], Role.RESEARCHER)
                # Every trajectory gets its own generated champion, buddy, manager
                # and a few participants.
                for role, count in (
                    (Role.CHAMPION, 1),
                    (Role.BUDDY, 1),
                    (Role.MANAGER, 1),
                    (Role.PARTICIPANT, 4),
                ):
                    for _n in range(count):
                        person_number += 1
                        _member(
                            trajectory,
                            generated_person(ctx, person_number),
                            role,
                            is_alumnus=role == Role.CHAMPION,
                        )
                _half_days(ctx, trajectory)
                _phase_one(ctx, trajectory)
                _hours(ctx, trajectory)
                _goal_statuses(ctx, trajectory)
                _closing(ctx, trajectory)

    # The demo logins get fixed places: "main" is a vmbo trajectory in the custom
    # phase, "other" an mbo trajectory of a different organisation.
    main = next(t for t in ctx.all_trajectories if t.phase == Phase.CUSTOM)
    other = next(
        t
        for t in ctx.all_trajectories
        if t.phase in (Phase.CUSTOM, Phase.START_DIALOGUE, Phase.CLOSING)
        and t.organisation_id != main.organisation_id
    )
    ctx.trajectories["main"] = main
    ctx.trajectories["other"] = other
    ctx.trajectories["declined"] = next(
        t for t in ctx.all_trajectories if t.phase == Phase.DECLINED
    )
    _member(main, users["aanjager"], Role.CHAMPION, is_alumnus=True)
    _member(main, users["maatje"], Role.BUDDY)
    _member(main, users["manager"], Role.MANAGER)
    _member(main, users["deelnemer"], Role.PARTICIPANT)
    _member(other, users["aanjager2"], Role.CHAMPION, is_alumnus=True)
    _feeds(ctx)
    ctx.log.append(f"{len(ctx.all_trajectories)} trajectories in {len(ctx.studies)} studies")


# --- phase 1, planning details, hours and feeds ------------------------------

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


def _rng(trajectory: Trajectory, salt) -> random.Random:
    """A private generator: using ctx.rng only on first runs would change later names."""
    return random.Random(f"{trajectory.organisation.name}|{salt}")


def _half_day_details(ctx: DemoContext, trajectory: Trajectory, number: int, day: date) -> dict:
    rng = _rng(trajectory, number)
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


def _people(trajectory: Trajectory) -> dict:
    people = {}
    for membership in Membership.objects.filter(trajectory=trajectory).select_related("user"):
        people.setdefault(membership.role, membership.user)
    return people


def _phase_one(ctx: DemoContext, trajectory: Trajectory) -> None:
    """Recruitment log, decision with factors, interview and the start agreement."""
    if RecruitmentContact.objects.filter(trajectory=trajectory).exists():
        return
    start = trajectory.starts_on
    people = _people(trajectory)
    coach = people.get(Role.COACH)
    champion = people.get(Role.CHAMPION)
    manager = people.get(Role.MANAGER)
    RecruitmentContact.objects.bulk_create(
        [
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
        return
    is_yes = trajectory.phase != Phase.DECLINED
    decision = Decision.objects.create(
        trajectory=trajectory,
        is_yes=is_yes,
        decided_on=start - timedelta(days=10),
        recorded_by=coach,
    )
    rng = _rng(trajectory, "decision")
    options = list(FactorOption.objects.all())
    factors = []
    for category in rng.sample(list(FactorCategory.values), 3):
        fitting = [o for o in options if o.category == category] or options
        factors.append(
            DecisionFactor(
                decision=decision,
                category=category,
                is_helping=is_yes if rng.random() < 0.75 else not is_yes,
                option=rng.choice(fitting) if fitting else None,
                free_text="" if fitting else "Timing",
            )
        )
    if not is_yes:
        factors.append(
            DecisionFactor(
                decision=decision,
                category=FactorCategory.ORGANISATION,
                is_helping=False,
                free_text="Reorganisatie van de afdeling dit schooljaar",
            )
        )
    DecisionFactor.objects.bulk_create(factors)
    CoachInterview.objects.create(
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
        return
    agreement = StartAgreement.objects.create(
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
    Signature.objects.bulk_create(
        [
            Signature(
                agreement=agreement,
                party=party,
                user=user,
                signed_at=ctx.aware(start - timedelta(days=7 - index), 10),
            )
            for index, (party, user) in enumerate(signers.items())
            if user is not None
        ]
    )


def _hours(ctx: DemoContext, trajectory: Trajectory) -> None:
    if HourEntry.objects.filter(trajectory=trajectory).exists():
        return
    coach = _people(trajectory).get(Role.COACH)
    if coach is None:
        return
    entries = []
    for half_day in trajectory.half_days.filter(starts_at__date__lt=ctx.today):
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
    HourEntry.objects.bulk_create(entries)


def _feeds(ctx: DemoContext) -> None:
    from .services import feed_get_or_create

    for key in ("teamcoach", "aanjager"):
        feed_get_or_create(user=ctx.users[key])


# --- phase 4: goal statuses, closing meeting and closing interviews ----------

GOAL_STEPS = {
    Goal.VISION: [
        "In twee dialoogsessies is de visie op loopbaanbegeleiding samen aangescherpt.",
        "De visie staat nu op één A4 en is besproken in het managementteam.",
        "Een werkgroep heeft de visie verbonden aan het schoolbrede verhaal.",
    ],
    Goal.ENDORSED: [
        "De onderbouw werkt met de visie, de bovenbouw nog nauwelijks.",
        "In de teamvergadering is de visie toegelicht; de meeste collega's herkennen zich erin.",
        "Nieuwe collega's krijgen de visie mee in hun inwerkprogramma.",
    ],
    Goal.AWARE: [
        "Mentoren zien beter welke rol zij hebben naast de decaan.",
        "Vakdocenten ontdekten dat ze in hun lessen al aan loopbaanleren werken.",
        "Het team weet nu wie waarvoor aanspreekpunt is.",
    ],
    Goal.ABLE: [
        "Er is een eerste training loopbaangesprekken gegeven aan de mentoren.",
        "Aan kennis en vaardigheden is nog weinig gedaan; daar kwamen we niet aan toe.",
        "Er is gesproken over drempels voor leerlingen met een andere achtergrond.",
    ],
}
HELPED = [
    "De ruimte voor dialoog in het team.",
    "Een leidinggevende die tijd vrijmaakte in de jaartaak.",
    "De aanjager bleef het onderwerp op de agenda zetten.",
    "Korte lijnen met de teamcoach.",
]
HINDERED = [
    "Drukke periodes met toetsweken en ziekte in het team.",
    "Wisselingen in de teamsamenstelling.",
    "Weinig uren voor de aanjager.",
    "Het rooster liet weinig ruimte voor gezamenlijke bijeenkomsten.",
]
STILL_NEEDED = [
    "Een vast moment per periode om als team op loopbaanbegeleiding terug te kijken.",
    "Uren voor de aanjager om collega's te blijven ondersteunen.",
    "Scholing voor mentoren in het voeren van loopbaangesprekken.",
]


def _recording() -> bytes:
    """One second of silence as WAV, so the demo can show a recording being played."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000)
    return buffer.getvalue()


def _goal_keys(trajectory: Trajectory) -> list[tuple]:
    agreement = trajectory.start_agreements.order_by("-version").first()
    keys = [(int(goal), "") for goal in Goal]
    return keys + [
        (None, name) for name in (sub_goal_names(agreement.sub_goals) if agreement else [])
    ]


def _goal_statuses(ctx: DemoContext, trajectory: Trajectory) -> None:
    """The baseline from the signed agreement and the status at the interim evaluation."""
    if GoalStatus.objects.filter(trajectory=trajectory).exists():
        return
    agreement = trajectory.start_agreements.order_by("-version").first()
    if agreement is None or not agreement.is_locked:
        return
    signed_on = timezone.localtime(max(s.signed_at for s in agreement.signatures.all())).date()
    keys = _goal_keys(trajectory)
    rows = [
        GoalStatus(
            trajectory=trajectory,
            goal=goal,
            sub_goal=sub_goal,
            source=GoalSource.START_AGREEMENT,
            recorded_on=signed_on,
            status=GoalProgress.NOT_STARTED,
        )
        for goal, sub_goal in keys
    ]
    rng = _rng(trajectory, "interim")
    coach = _people(trajectory).get(Role.COACH)
    for half_day in trajectory.half_days.filter(starts_at__date__lt=ctx.today):
        if InterventionType.INTERIM not in half_day.intervention_types:
            continue
        for goal, sub_goal in keys:
            # Goal 4 moved least in the study; the others were mostly under way.
            choices = (
                [GoalProgress.NOT_STARTED, GoalProgress.IN_PROGRESS]
                if goal == Goal.ABLE
                else [GoalProgress.IN_PROGRESS, GoalProgress.IN_PROGRESS, GoalProgress.PARTLY]
            )
            rows.append(
                GoalStatus(
                    trajectory=trajectory,
                    goal=goal,
                    sub_goal=sub_goal,
                    source=GoalSource.INTERIM_EVALUATION,
                    recorded_on=timezone.localtime(half_day.starts_at).date(),
                    status=rng.choice(choices),
                    half_day=half_day,
                    note="Tussenevaluatie met de leidinggevende en de aanjagers.",
                    recorded_by=coach,
                )
            )
    GoalStatus.objects.bulk_create(rows)


def _closing(ctx: DemoContext, trajectory: Trajectory) -> None:
    """Finished trajectories: closing meeting and interviews (the first has one missed).

    Trajectories in the closing phase: one interview held, one planned, one
    still to plan. Goes through the services, so the independence rule holds.
    """
    from .services import (
        closing_interview_add_audio,
        closing_interview_plan,
        closing_interview_record_missed,
        closing_interview_save_answers,
        closing_meeting_save,
    )

    if trajectory.phase not in (Phase.CLOSING, Phase.FINISHED):
        return
    if ClosingInterview.objects.filter(trajectory=trajectory).exists():
        return
    interviewer = ctx.users["onafhankelijk"]
    people = _people(trajectory)
    rng = _rng(trajectory, "closing")
    end = min(trajectory.ends_on or ctx.today, ctx.today - timedelta(days=1))
    finished = trajectory.phase == Phase.FINISHED
    first_finished = (
        finished and not ClosingInterview.objects.filter(status=InterviewStatus.MISSED).exists()
    )
    if finished:
        closing_meeting_save(
            trajectory=trajectory,
            held_on=end - timedelta(days=7),
            attendees=[
                people[role]
                for role in (Role.CHAMPION, Role.BUDDY, Role.MANAGER, Role.COACH, Role.RESEARCHER)
                if role in people
            ],
            look_back="We keken terug op de dagdelen; het team noemde de dialogen het waardevolst.",
            look_ahead="Volgend schooljaar twee dialoogsessies in de jaarplanning en een vaste "
            "werkgroep LOB.",
        )
    plan = [Role.CHAMPION, Role.BUDDY, Role.MANAGER]
    if not finished:
        plan = [Role.CHAMPION, Role.BUDDY]  # the manager is still to plan
    for number, role in enumerate(plan):
        person = people.get(role)
        if person is None:
            continue
        held = finished or number == 0
        when = end - timedelta(days=14 - number) if held else ctx.today + timedelta(days=10)
        interview = closing_interview_plan(
            trajectory=trajectory,
            interviewee=person,
            interviewer=interviewer,
            planned_at=ctx.aware(when, 10 + number),
            place="" if number == 1 else "Kamer van de aanjager",
            is_online=number == 1,
        )
        if first_finished and role == Role.MANAGER:
            closing_interview_record_missed(
                interview=interview,
                reason="change_of_job",
                note="Vertrokken naar een andere school; geen vervanger die het traject kende.",
            )
            continue
        if not held:
            continue
        answers = []
        for goal, sub_goal in _goal_keys(trajectory):
            steps = rng.choice(GOAL_STEPS[Goal(goal)]) if goal else "Hier is een begin mee gemaakt."
            reached = (
                "no"
                if goal == Goal.ABLE and rng.random() < 0.6
                else rng.choice(["partly", "partly", "yes"])
            )
            answers.append(
                {
                    "goal": goal,
                    "sub_goal": sub_goal,
                    "steps": steps,
                    "helped": rng.choice(HELPED),
                    "hindered": rng.choice(HINDERED),
                    "reached": reached,
                }
            )
        closing_interview_save_answers(
            interview=interview,
            by=interviewer,
            overall_steps="De aandacht voor loopbaanbegeleiding is in het team gegroeid.",
            overall_helped=rng.choice(HELPED),
            overall_hindered=rng.choice(HINDERED),
            still_needed=rng.choice(STILL_NEEDED),
            notes="Gesprek van ongeveer drie kwartier; aantekeningen aangevuld met de opname.",
            completed_from_recording=True,
            goal_answers=answers,
        )
        if first_finished and role == Role.CHAMPION:
            closing_interview_add_audio(
                interview=interview,
                uploaded=SimpleUploadedFile("slotinterview.wav", _recording()),
            )
