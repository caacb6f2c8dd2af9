"""The repeated rounds of `seed_demo --scale N`, created in bulk.

The first round (the twelve trajectories of `seed_demo` without --scale) goes
through the services one trajectory at a time, as a user would. Every further
round adds the same kinds of trajectories for benchmarks; row by row that took
0.2 s a trajectory (4 minutes at 100×, 20 at 500×). Here a chunk of rounds is
made with one insert per model, from the same generated contents (the builders
of `planning` and `closing`), in the same order: consent before any data.

Idempotent like the rest of the demo: a trajectory that exists is left as it
is (its rows were made with it, in the same transaction), and its people's
names are still drawn, so later names do not shift.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from lobtraject.demo import DemoContext, email_for, ensure_users, person_name
from research.demo import give_consents

from ..models import (
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    ClosingMeeting,
    FactorOption,
    GoalSource,
    GoalStatus,
    HalfDay,
    HourEntry,
    InterviewStatus,
    Location,
    Membership,
    Organisation,
    Phase,
    Role,
    Trajectory,
)
from ..services.closing import REACHED_TO_PROGRESS, interviews_to_plan_refresh
from ..services.independence import independence_refresh
from .closing import (
    CLOSING_ATTENDEE_ROLES,
    CLOSING_MEETING,
    closing_end,
    closing_plan,
    goal_keys,
    goal_status_rows,
    interview_content,
)
from .planning import demo_rng, hour_rows, phase_one_rows, save_phase_one

CHUNK = 300  # trajectories per set of inserts: 25 rounds


@dataclass
class Planned:
    """One trajectory to make: where it stands and who its generated people are."""

    sector: str
    index: int
    phase: str
    study: object
    people: list  # (role, (email, first, infix, last)) in the order of the first round


def planned_people(ctx: DemoContext, person_number: int) -> tuple[list, int]:
    """A champion, buddy, manager and four participants, each drawn from ctx.rng in this order."""
    people = []
    for role, count in (
        (Role.CHAMPION, 1),
        (Role.BUDDY, 1),
        (Role.MANAGER, 1),
        (Role.PARTICIPANT, 4),
    ):
        for _n in range(count):
            person_number += 1
            first, infix, last = person_name(ctx.rng)
            people.append(
                (role, (email_for(first, infix, last, person_number), first, infix, last))
            )
    return people, person_number


def seed_planned(
    ctx: DemoContext, planned: list[Planned], organisation_fields, half_day_rows
) -> None:
    for start in range(0, len(planned), CHUNK):
        _seed_chunk(ctx, planned[start : start + CHUNK], organisation_fields, half_day_rows)


def _seed_chunk(ctx, planned, organisation_fields, half_day_rows) -> None:
    users = ctx.users
    # Organisations and their locations.
    fields = [organisation_fields(item.sector, item.index) for item in planned]
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[f["name"] for f in fields])
    }
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f["name"], short_name=f["short_name"], sector=f["sector"], kind=f["kind"]
            )
            for f in fields
            if f["name"] not in organisations
        ]
    )
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=[f["name"] for f in fields])
    }
    have_locations = set(
        Location.objects.filter(organisation__in=organisations.values()).values_list(
            "organisation_id", "name"
        )
    )
    Location.objects.bulk_create(
        [
            Location(organisation=organisations[f["name"]], name=name, city=city)
            for f in fields
            for name, city in f["locations"]
            if (organisations[f["name"]].pk, name) not in have_locations
        ]
    )
    # Trajectories: the ones already there are kept as they are.
    existing = {
        t.organisation_id: t
        for t in Trajectory.objects.filter(organisation__in=organisations.values()).select_related(
            "organisation"
        )
    }
    new = []
    for item, f in zip(planned, fields, strict=True):
        organisation = organisations[f["name"]]
        trajectory = existing.get(organisation.pk)
        if trajectory is None:
            trajectory = Trajectory(
                study=item.study,
                organisation=organisation,
                phase=item.phase,
                starts_on=item.study.starts_on + timedelta(days=7),
            )
            trajectory.ends_on = (
                trajectory.starts_on + timedelta(days=300)
                if item.phase != Phase.DECLINED
                else trajectory.starts_on
            )
            trajectory.copy_names()  # bulk_create does not call save()
            new.append((item, trajectory))
        ctx.all_trajectories.append(trajectory)
    Trajectory.objects.bulk_create([t for _item, t in new])
    if not new:
        return
    # People and memberships.
    people = ensure_users([person for item, _t in new for _role, person in item.people])
    memberships = []
    roles_of = {}
    for item, trajectory in new:
        roles = {Role.COACH: users["teamcoach"]}
        memberships.append(
            Membership(trajectory=trajectory, user=users["teamcoach"], role=Role.COACH)
        )
        if item.phase != Phase.DECLINED:
            roles[Role.RESEARCHER] = users["onderzoeker"]
            memberships.append(
                Membership(trajectory=trajectory, user=users["onderzoeker"], role=Role.RESEARCHER)
            )
        for role, person in item.people:
            user = people[person[0]]
            roles.setdefault(role, user)
            memberships.append(
                Membership(
                    trajectory=trajectory, user=user, role=role, is_alumnus=role == Role.CHAMPION
                )
            )
        roles_of[trajectory.pk] = roles
    Membership.objects.bulk_create(memberships)
    # bulk_create sends no signals: who is an independent researcher, in one UPDATE.
    independence_refresh(study_ids={t.study_id for _item, t in new})
    # Half-days, then consent, before any of the data the intake gates guard.
    half_days = {t.pk: half_day_rows(ctx, t) for _item, t in new}
    HalfDay.objects.bulk_create([h for rows in half_days.values() for h in rows])
    trajectories = [t for _item, t in new]
    give_consents(ctx, trajectories)
    options = list(FactorOption.objects.all())
    phase_one = {t.pk: phase_one_rows(ctx, t, roles_of[t.pk], options) for t in trajectories}
    save_phase_one(list(phase_one.values()))
    hours, statuses = [], []
    for trajectory in trajectories:
        coach = roles_of[trajectory.pk][Role.COACH]
        hours += hour_rows(ctx, trajectory, coach, half_days[trajectory.pk])
        rows = phase_one[trajectory.pk]
        statuses += goal_status_rows(
            ctx, trajectory, rows.agreement, rows.signatures, half_days[trajectory.pk], coach
        )
    HourEntry.objects.bulk_create(hours)
    GoalStatus.objects.bulk_create(statuses)
    _closing(ctx, trajectories, roles_of, phase_one)


def _closing(ctx, trajectories, roles_of, phase_one) -> None:
    """Closing meetings and interviews, as `seed_closing` records them through the services."""
    interviewer = ctx.users["onafhankelijk"]
    closing = [t for t in trajectories if t.phase in (Phase.CLOSING, Phase.FINISHED)]
    meetings = {}
    for trajectory in closing:
        if trajectory.phase == Phase.FINISHED:
            meetings[trajectory.pk] = ClosingMeeting(
                trajectory=trajectory,
                held_on=closing_end(ctx, trajectory) - timedelta(days=7),
                **CLOSING_MEETING,
            )
    ClosingMeeting.objects.bulk_create(meetings.values())
    Attendee = ClosingMeeting.attendees.through
    Attendee.objects.bulk_create(
        [
            Attendee(closingmeeting=meeting, user=roles_of[pk][role])
            for pk, meeting in meetings.items()
            for role in CLOSING_ATTENDEE_ROLES
            if role in roles_of[pk]
        ]
    )
    interviews, contents = [], []
    for trajectory in closing:
        roles = roles_of[trajectory.pk]
        rng = demo_rng(trajectory, "closing")
        keys = goal_keys(phase_one[trajectory.pk].agreement)
        for number, role, held, when in closing_plan(ctx, trajectory):
            if role not in roles:
                continue
            content = interview_content(rng, keys) if held else ([], {})
            interviews.append(
                ClosingInterview(
                    trajectory=trajectory,
                    interviewee=roles[role],
                    interviewee_role=role,
                    interviewer=interviewer,
                    planned_at=ctx.aware(when, 10 + number),
                    place="" if number == 1 else "Kamer van de aanjager",
                    is_online=number == 1,
                    status=InterviewStatus.HELD if held else InterviewStatus.PLANNED,
                    **content[1],
                )
            )
            contents.append(content[0])
    ClosingInterview.objects.bulk_create(interviews)
    # bulk_create sends no signals: the trajectories' "interviews to plan" in one UPDATE.
    interviews_to_plan_refresh(trajectory_ids=[t.pk for t in closing])
    answers, statuses = [], []
    for interview, goal_answers in zip(interviews, contents, strict=True):
        on = timezone.localtime(interview.planned_at).date()
        for answer in goal_answers:
            goal = answer["goal"] or None
            answers.append(
                ClosingInterviewGoalAnswer(
                    interview=interview,
                    goal=goal,
                    sub_goal="" if goal else answer["sub_goal"],
                    steps=answer["steps"],
                    helped=answer["helped"],
                    hindered=answer["hindered"],
                    reached=answer["reached"],
                )
            )
            if answer["reached"] in REACHED_TO_PROGRESS:
                statuses.append(
                    GoalStatus(
                        trajectory=interview.trajectory,
                        interview=interview,
                        goal=goal,
                        sub_goal="" if goal else answer["sub_goal"],
                        source=GoalSource.CLOSING_INTERVIEW,
                        recorded_on=on,
                        status=REACHED_TO_PROGRESS[answer["reached"]],
                        recorded_by=interviewer,
                    )
                )
    ClosingInterviewGoalAnswer.objects.bulk_create(answers)
    GoalStatus.objects.bulk_create(statuses)
