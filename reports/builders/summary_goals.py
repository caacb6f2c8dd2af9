"""The per-goal part of a trajectory summary: steps taken, what helped and
hindered, goal progress and what is still needed.

Material comes from three sources: submitted logbook entries (tagged with the
goals they are about), the learning outcomes of half-days held (tagged with
goals), and the closing interviews (answers per goal). Only the research
team's version gets text; the manager's version gets counts and goal statuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.charts import TimelinePoint, goal_timeline
from trajectories.goals import GOAL_SHORT_LABELS, Goal
from trajectories.models import (
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    GoalProgress,
    GoalStatus,
    InterviewStatus,
    Organisation,
    Trajectory,
)


@dataclass
class Fragment:
    """One piece of text in a goal section, with where it comes from."""

    source: str
    text: str


@dataclass
class GoalSection:
    goal: Goal
    label: str
    short_label: str
    entry_count: int = 0
    half_day_count: int = 0
    steps: list[Fragment] = field(default_factory=list)
    helped: list[Fragment] = field(default_factory=list)
    hindered: list[Fragment] = field(default_factory=list)
    reached: list[tuple[str, str]] = field(default_factory=list)  # (who, reached label)
    status: str = ""
    status_label: str = ""
    status_on: object = None


@dataclass
class ClosingMaterial:
    interviews: list
    held_count: int
    missed: list  # (role label, reason label) of interviews that did not take place
    still_needed: list[Fragment]
    overall: list[dict]


def closing_interviews_held(organisation: Organisation) -> int:
    return ClosingInterview.objects.filter(
        trajectory__organisation=organisation, status=InterviewStatus.HELD
    ).count()


def closing_material(trajectory: Trajectory, *, with_text: bool) -> ClosingMaterial:
    """The trajectory's closing interviews; their text only `with_text`."""
    interviews = list(
        ClosingInterview.objects.filter(trajectory=trajectory)
        .prefetch_related(
            Prefetch(
                "goal_answers",
                queryset=ClosingInterviewGoalAnswer.objects.order_by("goal", "sub_goal"),
            )
        )
        .order_by("planned_at", "pk")
    )
    held = [interview for interview in interviews if interview.status == InterviewStatus.HELD]
    missed = [
        (interview.get_interviewee_role_display(), interview.get_missed_reason_display())
        for interview in interviews
        if interview.status == InterviewStatus.MISSED
    ]
    still_needed, overall = [], []
    if with_text:
        for interview in held:
            who = _("closing interview, %(role)s") % {
                "role": interview.get_interviewee_role_display()
            }
            if interview.still_needed:
                still_needed.append(Fragment(who, interview.still_needed))
            overall.append(
                {
                    "who": who,
                    "steps": interview.overall_steps,
                    "helped": interview.overall_helped,
                    "hindered": interview.overall_hindered,
                    "notes": interview.notes,
                }
            )
    return ClosingMaterial(
        interviews=held,
        held_count=len(held),
        missed=missed,
        still_needed=still_needed,
        overall=overall,
    )


def _latest_statuses(trajectory: Trajectory) -> tuple[dict[int, GoalStatus], dict[str, GoalStatus]]:
    """The latest status per goal and per sub-goal, in one query."""
    by_goal: dict[int, GoalStatus] = {}
    by_sub_goal: dict[str, GoalStatus] = {}
    for status in GoalStatus.objects.filter(trajectory=trajectory).order_by("recorded_on", "pk"):
        if status.goal is not None:
            by_goal[status.goal] = status
        else:
            by_sub_goal[status.sub_goal] = status
    return by_goal, by_sub_goal


def per_goal(
    *,
    trajectory: Trajectory,
    entries,
    held_half_days,
    entry_counts: dict,
    closing: ClosingMaterial,
    with_text: bool,
    harvest_items=(),
) -> list[GoalSection]:
    """One section per goal; `entries` are the submitted logbook entries and
    `harvest_items` the goal-tagged harvest of the dialogues (text only used
    `with_text`), `held_half_days` the half-days held."""
    latest, _by_sub_goal = _latest_statuses(trajectory)
    sections = []
    for goal in Goal:
        number = int(goal)
        section = GoalSection(
            goal=goal,
            label=goal.label,
            short_label=str(GOAL_SHORT_LABELS[goal]),
            entry_count=entry_counts.get(f"goal_{number}", 0),
            half_day_count=sum(1 for day in held_half_days if number in day.goals),
        )
        status = latest.get(number)
        if status is not None:
            section.status = status.status
            section.status_label = status.get_status_display()
            section.status_on = status.recorded_on
        # What each interviewee answered (even "reached: partly") is their
        # statement, and the role names the person: only the research team
        # reads it. Others see the goal statuses the team recorded.
        if with_text:
            _add_text(section, number, entries, held_half_days, closing, harvest_items)
        sections.append(section)
    return sections


def _add_text(
    section: GoalSection, number: int, entries, held_half_days, closing, harvest_items
) -> None:
    field_name = f"goal_{number}"
    for entry in entries:
        if not getattr(entry, field_name):
            continue
        source = _("logbook %(role)s, week %(week)s-%(year)s") % {
            "role": entry.get_author_role_display(),
            "week": entry.iso_week,
            "year": entry.iso_year,
        }
        for text in (entry.actions, entry.effects, entry.other):
            if text:
                section.steps.append(Fragment(source, text))
        if entry.helped:
            section.helped.append(Fragment(source, entry.helped))
        if entry.hindered:
            section.hindered.append(Fragment(source, entry.hindered))
    for day in held_half_days:
        if number in day.goals and day.learning_outcomes:
            source = _("learning outcomes of the half-day of %(date)s") % {
                "date": timezone.localtime(day.starts_at).strftime("%d-%m-%Y")
            }
            section.steps.append(Fragment(source, day.learning_outcomes))
    for item in harvest_items:
        if item.goal == number:
            source = _("harvest of the dialogue of %(date)s") % {
                "date": timezone.localtime(item.session.starts_at).strftime("%d-%m-%Y")
            }
            section.steps.append(Fragment(source, item.text))
    for interview in closing.interviews:
        who = _("closing interview, %(role)s") % {
            "role": interview.get_interviewee_role_display()
        }
        for answer in interview.goal_answers.all():
            if answer.goal != number:
                continue
            if answer.steps:
                section.steps.append(Fragment(who, answer.steps))
            if answer.helped:
                section.helped.append(Fragment(who, answer.helped))
            if answer.hindered:
                section.hindered.append(Fragment(who, answer.hindered))
            if answer.reached:
                section.reached.append(
                    (interview.get_interviewee_role_display(), answer.get_reached_display())
                )


@dataclass
class SubGoalSection:
    label: str
    status_label: str = ""
    status_on: object = None
    reached: list[tuple[str, str]] = field(default_factory=list)
    steps: list[Fragment] = field(default_factory=list)
    helped: list[Fragment] = field(default_factory=list)
    hindered: list[Fragment] = field(default_factory=list)


def per_sub_goal(
    *, trajectory: Trajectory, sub_goals: list[str], closing: ClosingMaterial, with_text: bool,
    label: Callable[[str], str],
) -> list[SubGoalSection]:
    """One section per sub-goal of the start agreement: its latest status, and
    the closing interviews' answers about it (text only `with_text`).
    `label` turns a sub-goal into what the audience may read."""
    _by_goal, latest = _latest_statuses(trajectory)
    sections = []
    for sub_goal in sub_goals:
        section = SubGoalSection(label=label(sub_goal))
        status = latest.get(sub_goal)
        if status is not None:
            section.status_label = status.get_status_display()
            section.status_on = status.recorded_on
        for interview in closing.interviews:
            who = _("closing interview, %(role)s") % {
                "role": interview.get_interviewee_role_display()
            }
            for answer in interview.goal_answers.all():
                if answer.goal is not None or answer.sub_goal != sub_goal:
                    continue
                if not with_text:
                    continue  # an interviewee's answers are theirs: research team only
                if answer.reached:
                    section.reached.append(
                        (interview.get_interviewee_role_display(), answer.get_reached_display())
                    )
                for target, text in ((section.steps, answer.steps),
                                         (section.helped, answer.helped),
                                         (section.hindered, answer.hindered)):
                        if text:
                            target.append(Fragment(who, text))
        sections.append(section)
    return sections


@dataclass
class _Track:
    label: str
    points: list


def progress_chart(trajectory: Trajectory) -> str:
    """The goal progress timeline (statuses recorded at the start agreement,
    interim evaluations and closing interviews), or "" when none is recorded."""
    tracks = {goal: _Track(str(GOAL_SHORT_LABELS[goal]), []) for goal in Goal}
    statuses = GoalStatus.objects.filter(trajectory=trajectory, goal__isnull=False).order_by(
        "recorded_on", "pk"
    )
    labels = dict(GoalProgress.choices)
    any_point = False
    for status in statuses:
        if status.goal not in Goal.values:
            continue
        any_point = True
        tracks[Goal(status.goal)].points.append(
            TimelinePoint(
                recorded_on=status.recorded_on,
                status=status.status,
                status_label=str(labels.get(status.status, status.status)),
                source=status.get_source_display(),
            )
        )
    if not any_point:
        return ""
    return goal_timeline(list(tracks.values()), title=_("Goal progress over time"))
