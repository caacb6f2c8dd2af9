"""The list of trajectories, the phase steps and what the phase machine allows."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lobtraject.paging import Paginator

from .. import access
from ..models import (
    Decision,
    HistoryEvent,
    HistoryKind,
    Membership,
    Organisation,
    Phase,
    Role,
    StartAgreement,
    Trajectory,
)
from .closing import closing_problems


def trajectories_with_roles(user, *, page_number=None, per_page: int = 25):
    """One page of the trajectories `user` may see, each with `.my_roles` (sorted role keys).

    A team coach or researcher can be in hundreds of trajectories; the landing
    page shows them a page at a time so it costs the same whatever their number.
    """
    trajectories = (
        access.visible_trajectories(user)
        .select_related("organisation", "study")
        .order_by("organisation__name", "pk")
    )
    page = Paginator(trajectories, per_page).get_page(page_number)
    access.prime(user, page.object_list)
    for trajectory in page.object_list:
        trajectory.my_roles = sorted(access.roles_for(user, trajectory))
    return page


# --- the trajectory page and the plan --------------------------------------

PHASE_ORDER = [
    Phase.RECRUITMENT,
    Phase.START_DIALOGUE,
    Phase.CUSTOM,
    Phase.CLOSING,
    Phase.FINISHED,
]


def phase_steps(trajectory):
    """The phases as steps: each with label and state done|current|todo."""
    if trajectory.phase == Phase.DECLINED:
        return [
            {"label": Phase.RECRUITMENT.label, "state": "done"},
            {"label": Phase.DECLINED.label, "state": "current"},
        ]
    current = PHASE_ORDER.index(trajectory.phase)
    return [
        {
            "label": phase.label,
            "state": "done" if index < current else "current" if index == current else "todo",
        }
        for index, phase in enumerate(PHASE_ORDER)
    ]


# The normal order of the phases; DECLINED is a side exit from recruitment.
NEXT_PHASE = {
    Phase.RECRUITMENT: Phase.START_DIALOGUE,
    Phase.START_DIALOGUE: Phase.CUSTOM,
    Phase.CUSTOM: Phase.CLOSING,
    Phase.CLOSING: Phase.FINISHED,
}


def current_agreement(trajectory: Trajectory) -> StartAgreement | None:
    return (
        StartAgreement.objects.filter(trajectory=trajectory)
        .prefetch_related("signatures__user")
        .order_by("-version")
        .first()
    )


def _decision(trajectory: Trajectory) -> Decision | None:
    return Decision.objects.filter(trajectory=trajectory).first()


def transition_problems(trajectory: Trajectory, to_phase: str) -> list[str]:
    """Why `trajectory` may not move to `to_phase` (empty list: it may)."""
    current = trajectory.phase
    if to_phase == Phase.DECLINED:
        if current != Phase.RECRUITMENT:
            return [_("A trajectory can only be declined during recruitment.")]
        decision = _decision(trajectory)
        if decision is None or decision.is_yes:
            return [_("Record the organisation's no before declining the trajectory.")]
        return []
    if NEXT_PHASE.get(current) != to_phase:
        return [_("This phase change is not possible from the current phase.")]
    problems = []
    if to_phase == Phase.START_DIALOGUE:
        decision = _decision(trajectory)
        if decision is None or not decision.is_yes:
            problems.append(_("The start dialogue needs the organisation's yes first."))
        agreement = current_agreement(trajectory)
        if agreement is None or not agreement.is_locked:
            problems.append(
                _("The start dialogue needs a start agreement signed by all three parties.")
            )
    elif to_phase == Phase.CLOSING:
        start = trajectory.half_days.filter(is_start_dialogue=True).first()
        later = trajectory.half_days.filter(is_start_dialogue=False)
        if start is not None:
            later = later.filter(starts_at__gt=start.starts_at)
        if start is None or not later.exists():
            problems.append(_("Closing needs at least one half-day after the start dialogue."))
    elif to_phase == Phase.FINISHED:
        problems.extend(closing_problems(trajectory))
    return problems


# What each phase change means, shown on the page that asks to confirm it.
PHASE_MEANING = {
    Phase.START_DIALOGUE: gettext_lazy(
        "The organisation said yes and the start agreement is signed. The champion now invites "
        "the team to the start dialogue (half-day 1)."
    ),
    Phase.CUSTOM: gettext_lazy(
        "The start dialogue has been held. The custom trajectory starts: the half-days with the "
        "team coach, the logbooks and follow-up dialogues."
    ),
    Phase.CLOSING: gettext_lazy(
        "The half-days are done. Plan the closing meeting and the closing interviews with the "
        "champion, the buddy and a manager."
    ),
    Phase.FINISHED: gettext_lazy(
        "The closing meeting and the closing interviews are recorded. The trajectory ends; its "
        "data stay available to the research team."
    ),
    Phase.DECLINED: gettext_lazy(
        "The organisation said no. The trajectory ends here; the decision and its factors stay "
        "recorded."
    ),
    Phase.RECRUITMENT: gettext_lazy("Back to recruitment and decision."),
}


def held_half_days(trajectory: Trajectory, now=None) -> int:
    return trajectory.half_days.filter(ends_at__lte=now or timezone.now()).count()


def transition_warnings(trajectory: Trajectory, to_phase: str, now=None) -> list[str]:
    """What is unusual about this phase change: allowed only with a stated reason."""
    now = now or timezone.now()
    warnings = []
    if to_phase == Phase.CUSTOM:
        start = trajectory.half_days.filter(is_start_dialogue=True).first()
        if start is None or start.ends_at > now:
            warnings.append(_("The start dialogue has not taken place yet."))
    elif to_phase == Phase.CLOSING:
        agreement = current_agreement(trajectory)
        agreed = agreement.min_half_days if agreement else 5
        held = held_half_days(trajectory, now)
        if held < agreed:
            warnings.append(
                _("%(held)d of the %(agreed)d agreed half-days have taken place.")
                % {"held": held, "agreed": agreed}
            )
    return warnings


def previous_phase(trajectory: Trajectory) -> str | None:
    """The phase one step back, or None from recruitment."""
    if trajectory.phase == Phase.DECLINED:
        return Phase.RECRUITMENT
    index = PHASE_ORDER.index(trajectory.phase)
    return PHASE_ORDER[index - 1] if index > 0 else None


def next_step(trajectory: Trajectory) -> str:
    """A short sentence saying what to do next."""
    decision = agreement = None
    if trajectory.phase == Phase.RECRUITMENT:
        decision = _decision(trajectory)
        if decision is not None and decision.is_yes:
            agreement = current_agreement(trajectory)
    return next_step_from(
        phase=trajectory.phase,
        decision_is_yes=None if decision is None else decision.is_yes,
        agreement_locked=None if agreement is None else agreement.is_locked,
        custom_half_day_planned=trajectory.phase == Phase.CUSTOM
        and not transition_problems(trajectory, Phase.CLOSING),
    )


def next_step_from(
    *,
    phase: str,
    decision_is_yes: bool | None,
    agreement_locked: bool | None,
    custom_half_day_planned: bool,
) -> str:
    """The next-step rule from facts the caller already has.

    The trajectory page looks the facts up one trajectory at a time; the
    dashboards load them for many trajectories at once. Both come here.
    """
    if phase in (Phase.FINISHED, Phase.DECLINED):
        return _("Nothing: this trajectory has ended.")
    if phase == Phase.RECRUITMENT:
        if decision_is_yes is None:
            return _("Record the organisation's decision (yes or no).")
        if not decision_is_yes:
            return _("Mark the trajectory as declined.")
        if agreement_locked is None:
            return _("Draw up the start agreement.")
        if not agreement_locked:
            return _("Collect the signatures on the start agreement.")
        return _("Start the start dialogue.")
    if phase == Phase.START_DIALOGUE:
        return _("Hold the start dialogue and move on to the custom trajectory.")
    if phase == Phase.CUSTOM:
        if not custom_half_day_planned:
            return _("Plan the half-days of the custom trajectory.")
        return _("Plan the closing meeting when the half-days are done.")
    return _("Hold the closing interviews and finish the trajectory.")


def organisation_name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another organisation has this name, ignoring case and outer spaces."""
    qs = Organisation.objects.filter(name__iexact=name.strip())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def people_of(trajectory):
    """Everyone with a role in the trajectory, grouped by role in Role order."""
    order = {role: index for index, role in enumerate(Role.values)}
    memberships = list(
        Membership.objects.filter(trajectory=trajectory)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    memberships.sort(key=lambda m: order.get(m.role, 99))
    return memberships


def removed_people(trajectory):
    """People removed from the trajectory who hold that role no longer: to add again."""
    current = set(Membership.objects.filter(trajectory=trajectory).values_list("user_id", "role"))
    removed = {}
    for event in (
        HistoryEvent.objects.filter(trajectory=trajectory, kind=HistoryKind.PERSON_REMOVED)
        .exclude(person=None)
        .select_related("person")
        .order_by("-at")
    ):
        key = (event.person_id, event.role)
        if key not in current and key not in removed:
            removed[key] = event
    return list(removed.values())


def history(trajectory, *, limit: int = 100):
    """The trajectory's history, newest first: phase changes and changes to its people."""
    events = [
        {
            "at": e.at,
            "kind": e.get_kind_display(),
            "person": e.person,
            "role": e.role,
            "by": e.by,
            "reason": "",
        }
        for e in HistoryEvent.objects.filter(trajectory=trajectory)
        .select_related("person", "by")
        .order_by("-at", "-pk")[:limit]
    ]
    for transition in trajectory.transitions.select_related("by").order_by("-at")[:limit]:
        events.append(
            {
                "at": transition.at,
                "kind": f"{transition.get_from_phase_display()} → {transition.get_to_phase_display()}"
                + (f" ({_('step back')})" if transition.is_step_back else ""),
                "person": None,
                "role": "",
                "by": transition.by,
                "reason": transition.reason,
            }
        )
    events.sort(key=lambda e: e["at"], reverse=True)
    return events[:limit]
