"""Demo data of phase 4: goal statuses, the closing meeting and closing interviews."""

from __future__ import annotations

import io
import wave
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lobtraject.demo import DemoContext
from transcripts.services import transcript_import

from .. import audio_sources
from ..goals import Goal
from ..models import (
    ClosingInterview,
    GoalProgress,
    GoalSource,
    GoalStatus,
    InterventionType,
    InterviewStatus,
    Phase,
    Role,
    SignatureParty,
    Trajectory,
)
from ..selectors import sub_goal_names
from ..services import (
    closing_interview_add_audio,
    closing_interview_plan,
    closing_interview_record_missed,
    closing_interview_save_answers,
    closing_meeting_save,
)
from .planning import demo_rng, people_of

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


def goal_keys(agreement) -> list[tuple]:
    """(goal, sub-goal) of the four goals and the agreement's own sub-goals."""
    keys = [(int(goal), "") for goal in Goal]
    return keys + [
        (None, name) for name in (sub_goal_names(agreement.sub_goals) if agreement else [])
    ]


def _goal_keys(trajectory: Trajectory) -> list[tuple]:
    return goal_keys(trajectory.start_agreements.order_by("-version").first())


def goal_status_rows(
    ctx: DemoContext, trajectory: Trajectory, agreement, signatures, half_days, coach
) -> list[GoalStatus]:
    """The baseline from the signed agreement and the status at the interim evaluation."""
    if agreement is None or not {s.party for s in signatures} >= set(SignatureParty.values):
        return []
    signed_on = timezone.localtime(max(s.signed_at for s in signatures)).date()
    keys = goal_keys(agreement)
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
    rng = demo_rng(trajectory, "interim")
    for half_day in half_days:
        if timezone.localdate(half_day.starts_at) >= ctx.today:
            continue
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
    return rows


def seed_goal_statuses(ctx: DemoContext, trajectory: Trajectory) -> None:
    """The baseline from the signed agreement and the status at the interim evaluation."""
    if GoalStatus.objects.filter(trajectory=trajectory).exists():
        return
    agreement = trajectory.start_agreements.order_by("-version").first()
    if agreement is None:
        return
    rows = goal_status_rows(
        ctx,
        trajectory,
        agreement,
        list(agreement.signatures.all()),
        trajectory.half_days.all(),
        people_of(trajectory).get(Role.COACH),
    )
    GoalStatus.objects.bulk_create(rows)


def interview_content(rng, keys) -> tuple[list[dict], dict]:
    """What a held closing interview says: per goal and sub-goal, and overall."""
    answers = []
    for goal, sub_goal in keys:
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
    overall = {
        "overall_steps": "De aandacht voor loopbaanbegeleiding is in het team gegroeid.",
        "overall_helped": rng.choice(HELPED),
        "overall_hindered": rng.choice(HINDERED),
        "still_needed": rng.choice(STILL_NEEDED),
        "notes": "Gesprek van ongeveer drie kwartier; aantekeningen aangevuld met de opname.",
        "completed_from_recording": True,
    }
    return answers, overall


CLOSING_MEETING = {
    "look_back": "We keken terug op de dagdelen; het team noemde de dialogen het waardevolst.",
    "look_ahead": "Volgend schooljaar twee dialoogsessies in de jaarplanning en een vaste "
    "werkgroep LOB.",
}
CLOSING_ATTENDEE_ROLES = (Role.CHAMPION, Role.BUDDY, Role.MANAGER, Role.COACH, Role.RESEARCHER)


def closing_plan(ctx: DemoContext, trajectory: Trajectory) -> list[tuple]:
    """(number, role, held, planned date) of each closing interview of the trajectory."""
    end = closing_end(ctx, trajectory)
    finished = trajectory.phase == Phase.FINISHED
    roles = [Role.CHAMPION, Role.BUDDY, Role.MANAGER] if finished else [Role.CHAMPION, Role.BUDDY]
    plan = []
    for number, role in enumerate(roles):
        held = finished or number == 0
        when = end - timedelta(days=14 - number) if held else ctx.today + timedelta(days=10)
        plan.append((number, role, held, when))
    return plan


def closing_end(ctx: DemoContext, trajectory: Trajectory):
    return min(trajectory.ends_on or ctx.today, ctx.today - timedelta(days=1))


def seed_closing(ctx: DemoContext, trajectory: Trajectory) -> None:
    """Finished trajectories: closing meeting and interviews (the first has one missed).

    Trajectories in the closing phase: one interview held, one planned, one
    still to plan. Goes through the services, so the independence rule holds.
    """

    if trajectory.phase not in (Phase.CLOSING, Phase.FINISHED):
        return
    if ClosingInterview.objects.filter(trajectory=trajectory).exists():
        return
    interviewer = ctx.users["onafhankelijk"]
    people = people_of(trajectory)
    rng = demo_rng(trajectory, "closing")
    end = closing_end(ctx, trajectory)
    finished = trajectory.phase == Phase.FINISHED
    first_finished = (
        finished and not ClosingInterview.objects.filter(status=InterviewStatus.MISSED).exists()
    )
    if finished:
        closing_meeting_save(
            trajectory=trajectory,
            held_on=end - timedelta(days=7),
            attendees=[people[role] for role in CLOSING_ATTENDEE_ROLES if role in people],
            **CLOSING_MEETING,
        )
    # The manager of a trajectory in the closing phase is still to plan.
    for number, role, held, when in closing_plan(ctx, trajectory):
        person = people.get(role)
        if person is None:
            continue
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
        answers, overall = interview_content(rng, _goal_keys(trajectory))
        closing_interview_save_answers(
            interview=interview, by=interviewer, goal_answers=answers, **overall
        )
        if first_finished and role == Role.CHAMPION:
            closing_interview_add_audio(
                interview=interview,
                uploaded=SimpleUploadedFile("slotinterview.wav", _recording()),
            )
            # The interviewer's corrected transcript of the recording, approved.
            transcript_import(
                kind=audio_sources.KIND,
                audio_id=interview.pk,
                segments=[
                    (0.0, 0.4, "Wat is er volgens jou veranderd sinds de start van het traject?"),
                    (
                        0.4,
                        1.0,
                        "We praten als team nu echt over loopbaanbegeleiding, "
                        "niet alleen over de decaan.",
                    ),
                ],
                approved_by=interviewer,
            )
