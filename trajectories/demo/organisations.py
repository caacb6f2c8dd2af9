"""The demo organisations, studies, trajectories, people and logins."""

from __future__ import annotations

from datetime import date, timedelta

from accounts.services import administrator_make
from lobtraject.demo import PLACES, DemoContext, ensure_user
from research.demo import give_consents

from ..models import (
    HalfDay,
    Location,
    Membership,
    Organisation,
    OrganisationKind,
    Phase,
    Role,
    Sector,
    Study,
    StudyMembership,
    StudyRole,
    Trajectory,
)
from ..pick_lists import ensure_factor_options
from .closing import seed_closing, seed_goal_statuses
from .planning import half_day_details, seed_feeds, seed_hours, seed_phase_one
from .rounds import Planned, planned_people, seed_planned

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


def organisation_fields(sector: str, index: int) -> dict:
    """Name, short name, kind and locations of the generated organisation number `index`."""
    place = PLACES[index % len(PLACES)]
    suffix = "" if index < len(PLACES) else f" {index // len(PLACES) + 1}"
    pattern, kind = SCHOOL_PATTERNS[sector]
    count = 4 if sector == Sector.MBO else 1
    locations = []
    for number in range(count):
        city = PLACES[(index + number) % len(PLACES)]
        locations.append((f"Locatie {city}" if count > 1 else "Hoofdgebouw", city))
    return {
        "name": pattern.format(place=place) + suffix,
        "short_name": SHORT_PATTERNS[sector].format(place=place, initial=place[0]) + suffix,
        "sector": sector,
        "kind": kind,
        "locations": locations,
    }


def _organisation(ctx: DemoContext, sector: str, index: int) -> Organisation:
    fields = organisation_fields(sector, index)
    organisation, _ = Organisation.objects.get_or_create(
        name=fields["name"],
        defaults={"short_name": fields["short_name"], "sector": sector, "kind": fields["kind"]},
    )
    for name, city in fields["locations"]:
        Location.objects.get_or_create(
            organisation=organisation, name=name, defaults={"city": city}
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


def half_day_rows(ctx: DemoContext, trajectory: Trajectory) -> list[HalfDay]:
    """A start dialogue and a few half-days for trajectories past recruitment (unsaved)."""
    if trajectory.phase in (Phase.RECRUITMENT, Phase.DECLINED):
        return []
    first = trajectory.starts_on + timedelta(days=28)
    count = {Phase.START_DIALOGUE: 1, Phase.CUSTOM: 3, Phase.CLOSING: 5, Phase.FINISHED: 5}[
        trajectory.phase
    ]
    rows = []
    for number in range(count):
        day = first + timedelta(days=35 * number)
        rows.append(
            HalfDay(
                trajectory=trajectory,
                title="Startdialoog" if number == 0 else f"Dagdeel {number + 1}",
                starts_at=ctx.aware(day, 13, 30),
                ends_at=ctx.aware(day, 15, 30) if number == 0 else ctx.aware(day, 17, 0),
                is_online=number % 3 == 2,
                place="" if number % 3 == 2 else "Teamruimte",
                is_start_dialogue=number == 0,
                **half_day_details(ctx, trajectory, number, day),
            )
        )
    return rows


def _half_days(ctx: DemoContext, trajectory: Trajectory) -> None:
    if not trajectory.half_days.exists():
        HalfDay.objects.bulk_create(half_day_rows(ctx, trajectory))


def seed(ctx: DemoContext) -> None:
    for key, (email, first, infix, last) in DEMO_LOGINS.items():
        ctx.users[key] = ensure_user(email, first, infix, last, is_staff=key == "beheerder")
    users = ctx.users
    administrator_make(users["beheerder"])

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
    repeated = []
    for round_number in range(ctx.scale):
        for sector_index, sector in enumerate(sectors):
            for variant in range(len(PHASE_CYCLE) // 2):
                phase = PHASE_CYCLE[(sector_index + variant * 2 + round_number) % len(PHASE_CYCLE)]
                study = spring if phase in (Phase.CLOSING, Phase.FINISHED) else autumn
                if round_number:
                    # Every further round is made in bulk (rounds.py), from the same
                    # builders; its people are drawn here, in the same order.
                    people, person_number = planned_people(ctx, person_number)
                    repeated.append(Planned(sector, index, phase, study, people))
                    index += 1
                    continue
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
                people, person_number = planned_people(ctx, person_number)
                for role, person in people:
                    _member(
                        trajectory, ensure_user(*person), role, is_alumnus=role == Role.CHAMPION
                    )
                _half_days(ctx, trajectory)
                seed_phase_one(ctx, trajectory)
                seed_hours(ctx, trajectory)
                seed_goal_statuses(ctx, trajectory)
                # Consent first: the intake gates accept no data without it.
                give_consents(ctx, [trajectory])
                seed_closing(ctx, trajectory)
    seed_planned(ctx, repeated, organisation_fields, half_day_rows)

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
    give_consents(ctx, [main, other])
    seed_feeds(ctx)
    ctx.log.append(f"{len(ctx.all_trajectories)} trajectories in {len(ctx.studies)} studies")
