"""What goes into each kind of report. One builder per kind: which object it is
about, its title, its template and the figures it shows.

Figures come from the database in a fixed number of queries; text that only
the research team may read is added only when the audience is the research
team (see `Audience`). Every free text that goes to another audience passes
through `_public_text`, which pseudonymises it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dashboards.charts import bar_chart
from dialogues.models import Decision as ApprovalDecision
from dialogues.models import DialogueSession, HarvestItem, HarvestReport, Invitee
from dialogues.models import ReportStatus as HarvestStatus
from dialogues.services import latest_consent_subquery
from logbooks.models import EmailDataPoint, Entry, EntryStatus, ResearchNote
from trajectories.goals import GOAL_SHORT_LABELS, Goal
from trajectories.models import (
    ClosingInterview,
    Duty,
    HalfDay,
    InterventionType,
    IntervieweeRole,
    InterviewStatus,
    Organisation,
    Phase,
    Sector,
    Signature,
    StartAgreement,
    Study,
    Trajectory,
    Unit,
)

from . import summary_goals
from .models import Audience, Portrait, ReportKind


@dataclass(frozen=True)
class Builder:
    kind: str
    model: type
    template: str
    title: Callable
    context: Callable
    sector: Callable
    # Audiences this kind may be built for; the first is the default.
    audiences: tuple = (Audience.RESEARCH_TEAM,)
    # Raises ValidationError (Dutch) when the object cannot be reported on yet.
    check: Callable = field(default=lambda target: None)
    # select_related paths for loading the object, so titles cost no queries.
    related: tuple = ()

    def load(self, object_id: int):
        return self.model.objects.select_related(*self.related).get(pk=object_id)


# --- free text for audiences outside the research team ------------------------


class _Unchanged:
    def apply(self, text: str) -> str:
        return text


class _ExportPseudonymiser:
    """The research module's export pseudonymiser, built on first use: building
    it reads every known name, which a report without free text need not pay for."""

    def __init__(self):
        self._real = None

    def apply(self, text: str) -> str:
        if self._real is None:
            from research.pseudonymise import pseudonymiser_for_export

            self._real = pseudonymiser_for_export()
        return self._real.apply(text)


def _pseudonymiser(audience: str):
    """The pseudonymiser for free text in a report for `audience`.

    The research team reads text as written; every other audience gets the
    export pseudonymiser of `research.pseudonymise`. Texts that must
    never leave the research team (logbooks, harvest items, interviews) are
    not put into such a report at all; this is for texts that may go out
    pseudonymised (a harvest report for its participants, sub-goals).
    """
    if audience == Audience.RESEARCH_TEAM:
        return _Unchanged()
    return _ExportPseudonymiser()


def _public_text(text: str, audience: str, pseudonymiser=None) -> str:
    """The one way free text reaches a report for `audience`.

    The research team reads text as written; every other audience gets it
    through the export pseudonymiser (names of people and organisations
    replaced). Pass a `pseudonymiser` made once per report to avoid building
    it per text.
    """
    if not text or audience == Audience.RESEARCH_TEAM:
        return text
    return (pseudonymiser or _pseudonymiser(audience)).apply(text)


# --- cross-case overview --------------------------------------------------------


def _sector_rows(study: Study) -> list[dict]:
    """Approached, declined and joined organisations and half-days held, per sector."""
    now = timezone.now()
    trajectory_figures = {
        row["organisation__sector"]: row
        for row in Trajectory.objects.filter(study=study)
        .values("organisation__sector")
        .annotate(
            approached=Count("id"),
            declined=Count("id", filter=Q(phase=Phase.DECLINED)),
            joined=Count("id", filter=~Q(phase__in=[Phase.RECRUITMENT, Phase.DECLINED])),
        )
    }
    half_day_figures = {
        row["trajectory__organisation__sector"]: row
        for row in HalfDay.objects.filter(trajectory__study=study, starts_at__lt=now)
        .values("trajectory__organisation__sector")
        .annotate(held=Count("id"), start_dialogues=Count("id", filter=Q(is_start_dialogue=True)))
    }
    rows = []
    for sector in Sector:
        figures = trajectory_figures.get(sector.value, {})
        held = half_day_figures.get(sector.value, {})
        rows.append(
            {
                "sector": sector.label,
                "approached": figures.get("approached", 0),
                "declined": figures.get("declined", 0),
                "joined": figures.get("joined", 0),
                "start_dialogues": held.get("start_dialogues", 0),
                "half_days": held.get("held", 0),
            }
        )
    return rows


def _sector_table(rows_by_sector: dict[str, dict[str, int]], keys: list[str]) -> list[dict]:
    """One row per sector with a figure per key, then a total row."""
    table = []
    for sector in Sector:
        figures = rows_by_sector.get(sector.value, {})
        table.append({"label": sector.label, "figures": [figures.get(key, 0) for key in keys]})
    table.append(
        {"label": _("Total"), "total": True,
         "figures": [sum(row["figures"][index] for row in table) for index in range(len(keys))]}
    )
    return table


def _interview_rows(study: Study) -> list[dict]:
    """Closing interviews held per sector and interviewee role, and those missed."""
    figures: dict[str, dict[str, int]] = {}
    for row in (
        ClosingInterview.objects.filter(trajectory__study=study)
        .values("trajectory__organisation__sector", "interviewee_role", "status")
        .annotate(count=Count("id"))
    ):
        sector = figures.setdefault(row["trajectory__organisation__sector"], {})
        if row["status"] == InterviewStatus.HELD:
            sector[row["interviewee_role"]] = sector.get(row["interviewee_role"], 0) + row["count"]
        elif row["status"] == InterviewStatus.MISSED:
            sector["missed"] = sector.get("missed", 0) + row["count"]
    return _sector_table(figures, [*IntervieweeRole.values, "missed"])


def _data_point_rows(study: Study) -> tuple[list[str], list[dict]]:
    """Data points per source (columns) and sector (rows), one query per source."""
    in_study = {"trajectory__study": study}
    sector = "trajectory__organisation__sector"
    sources = [
        (_("Logbook entries"),
         Entry.objects.filter(status=EntryStatus.SUBMITTED, **in_study)),
        (_("Harvest items"), HarvestItem.objects.filter(session__trajectory__study=study)),
        (_("Harvest reports"),
         HarvestReport.objects.filter(session__trajectory__study=study,
                                      status__in=FINAL_HARVEST)),
        (_("Closing interviews"),
         ClosingInterview.objects.filter(status=InterviewStatus.HELD, **in_study)),
        (_("E-mails"), EmailDataPoint.objects.filter(**in_study)),
        (_("Research notes"), ResearchNote.objects.filter(**in_study)),
    ]
    figures: dict[str, dict[str, int]] = {}
    for index, (_label, queryset) in enumerate(sources):
        path = "session__" + sector if queryset.model in (HarvestItem, HarvestReport) else sector
        for row in queryset.values(path).annotate(count=Count("id")):
            figures.setdefault(row[path], {})[str(index)] = row["count"]
    return [label for label, _qs in sources], _sector_table(
        figures, [str(index) for index in range(len(sources))]
    )


def crosscase_context(study: Study, audience: str) -> dict:
    rows = _sector_rows(study)
    trajectories = list(
        Trajectory.objects.filter(study=study)
        .select_related("organisation")
        .annotate(
            half_days_held=Count("half_days", filter=Q(half_days__starts_at__lt=timezone.now()))
        )
        .order_by("organisation__sector", "organisation__name")
    )
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("approached", "declined", "joined", "start_dialogues", "half_days")
    }
    phases = Counter(trajectory.get_phase_display() for trajectory in trajectories)
    interventions = Counter(
        value
        for types in HalfDay.objects.filter(
            trajectory__study=study, starts_at__lt=timezone.now()
        ).values_list("intervention_types", flat=True)
        for value in types
        if value in InterventionType.values
    )
    missed = list(
        ClosingInterview.objects.filter(trajectory__study=study, status=InterviewStatus.MISSED)
        .select_related("trajectory__organisation")
        .order_by("trajectory__organisation__name", "interviewee_role")
    )
    source_labels, source_rows = _data_point_rows(study)
    return {
        "study": study,
        "interview_roles": [label for _value, label in IntervieweeRole.choices],
        "interview_rows": _interview_rows(study),
        "missed_interviews": missed,
        "intervention_rows": [
            (InterventionType(value).label, interventions[value])
            for value in InterventionType.values
        ],
        "source_labels": source_labels,
        "source_rows": source_rows,
        "rows": rows,
        "totals": totals,
        "trajectories": trajectories,
        "phase_rows": sorted(phases.items()),
        "phase_chart": bar_chart(sorted(phases.items()), title=_("Trajectories per phase")),
        "sector_chart": bar_chart(
            [(row["sector"], row["joined"]) for row in rows],
            title=_("Organisations that joined, per sector"),
        ),
    }


# --- trajectory summary ----------------------------------------------------------


def _agreement_in_brief(trajectory: Trajectory, audience: str, pseudonymiser) -> dict | None:
    agreement = (
        StartAgreement.objects.filter(trajectory=trajectory)
        .prefetch_related(Prefetch("signatures", queryset=Signature.objects.order_by("signed_at")))
        .order_by("-version")
        .first()
    )
    if agreement is None:
        return None
    duties = [Duty(value).label for value in agreement.duties if value in Duty.values]
    return {
        "version": agreement.version,
        "facilitation_hours": agreement.facilitation_hours,
        "facilitation_period": agreement.facilitation_period,
        "coach_hours_budget": agreement.coach_hours_budget,
        "min_half_days": agreement.min_half_days,
        "duties": duties,
        "sub_goal_lines": agreement.sub_goal_list,
        "sub_goals": [
            _public_text(line, audience, pseudonymiser) for line in agreement.sub_goal_list
        ],
        # Who signed is a fact every party of the agreement knows; the support
        # text is written for the champion and stays with the research team.
        "signatures": [
            {"party": signature.get_party_display(), "signed_at": signature.signed_at}
            for signature in agreement.signatures.all()
        ],
        "support": agreement.support if audience == Audience.RESEARCH_TEAM else "",
    }


def _half_day_rows(half_days: list[HalfDay]) -> list[dict]:
    rows = []
    for number, half_day in enumerate(half_days, start=1):
        rows.append(
            {
                "number": number,
                "half_day": half_day,
                "unit": Unit(half_day.unit).label if half_day.unit in Unit.values else "",
                "interventions": [
                    InterventionType(value).label
                    for value in half_day.intervention_types
                    if value in InterventionType.values
                ],
                "goals": [
                    GOAL_SHORT_LABELS[Goal(value)] for value in half_day.goals
                    if value in Goal.values
                ],
            }
        )
    return rows


def summary_context(trajectory: Trajectory, audience: str) -> dict:
    now = timezone.now()
    research_team = audience == Audience.RESEARCH_TEAM
    pseudonymiser = _pseudonymiser(audience)
    half_days = list(trajectory.half_days.order_by("starts_at"))
    held = [half_day for half_day in half_days if half_day.starts_at < now]
    intervention_counts = Counter(
        value for half_day in held for value in half_day.intervention_types
        if value in InterventionType.values
    )
    unit_counts = Counter(half_day.unit for half_day in held if half_day.unit in Unit.values)
    entries = list(
        Entry.objects.filter(trajectory=trajectory, status=EntryStatus.SUBMITTED)
        .order_by("week_start", "id")
        .only(
            "id", "author_role", "iso_year", "iso_week", "week_start",
            "actions", "effects", "helped", "hindered", "other",
            "goal_1", "goal_2", "goal_3", "goal_4",
        )
        if research_team
        else ()
    )
    entry_counts = (
        Entry.objects.filter(trajectory=trajectory, status=EntryStatus.SUBMITTED).aggregate(
            total=Count("id"),
            **{f"goal_{int(goal)}": Count("id", filter=Q(**{f"goal_{int(goal)}": True}))
               for goal in Goal},
        )
    )
    closing = summary_goals.closing_material(trajectory, with_text=research_team)
    harvest_items = (
        list(
            HarvestItem.objects.filter(session__trajectory=trajectory, goal__isnull=False)
            .select_related("session")
            .only("text", "goal", "session__starts_at")
            .order_by("session__starts_at", "created_at", "id")
        )
        if research_team
        else []
    )
    goals = summary_goals.per_goal(
        trajectory=trajectory,
        entries=entries,
        held_half_days=held,
        entry_counts=entry_counts,
        closing=closing,
        with_text=research_team,
        harvest_items=harvest_items,
    )
    agreement = _agreement_in_brief(trajectory, audience, pseudonymiser)
    sub_goals = summary_goals.per_sub_goal(
        trajectory=trajectory,
        sub_goals=agreement["sub_goal_lines"] if agreement else [],
        closing=closing,
        with_text=research_team,
        label=lambda text: _public_text(text, audience, pseudonymiser),
    )
    notes = (
        list(
            ResearchNote.objects.filter(trajectory=trajectory).order_by("occurred_on", "id")
        )
        if research_team
        else []
    )
    return {
        "trajectory": trajectory,
        "organisation": trajectory.organisation,
        "agreement": agreement,
        "sub_goals": sub_goals,
        "half_days": _half_day_rows(half_days),
        "held_count": len(held),
        "planned_count": len(half_days) - len(held),
        "entry_total": entry_counts["total"],
        "goals": goals,
        "goal_chart": summary_goals.progress_chart(trajectory),
        "closing": closing,
        "notes": notes,
        "is_manager_version": not research_team,
        "half_day_chart": bar_chart(
            [(_("held"), len(held)), (_("planned"), len(half_days) - len(held))],
            title=_("Half-days held and planned"),
        ),
        "intervention_rows": [
            (InterventionType(value).label, intervention_counts[value])
            for value in InterventionType.values
            if intervention_counts[value]
        ],
        "unit_rows": [
            (Unit(value).label, unit_counts[value])
            for value in Unit.values
            if unit_counts[value]
        ],
        "intervention_chart": bar_chart(
            [
                (InterventionType(value).label, intervention_counts[value])
                for value in InterventionType.values
                if intervention_counts[value]
            ],
            title=_("Intervention types in the half-days held"),
        )
        if intervention_counts
        else "",
    }


# --- harvest report --------------------------------------------------------------

FINAL_HARVEST = (HarvestStatus.FINAL, HarvestStatus.CLOSED)


def _harvest_report_of(session: DialogueSession):
    try:
        return session.report
    except DialogueSession.report.RelatedObjectDoesNotExist:
        return None


def harvest_check(session: DialogueSession) -> None:
    report = _harvest_report_of(session)
    if report is None or report.status not in FINAL_HARVEST:
        raise ValidationError(
            _("The harvest report of this session has not been approved yet: "
              "it can be put in a PDF once it is final.")
        )


def harvest_context(session: DialogueSession, audience: str) -> dict:
    research_team = audience == Audience.RESEARCH_TEAM
    pseudonymiser = _pseudonymiser(audience)
    harvest_check(session)
    report = session.report
    version = report.versions.filter(submitted_at__isnull=False).order_by("-number").first()
    if version is None:
        raise ValidationError(_("The harvest report has no submitted version."))
    consented = list(
        session.invitees.annotate(consent_agreed=latest_consent_subquery())
        .filter(consent_agreed=True)
        .order_by("name")
    )
    answers = {answer.invitee_id: answer for answer in version.answers.all()}
    rows = [{"invitee": invitee, "answer": answers.get(invitee.pk)} for invitee in consented]
    approved = sum(
        1 for row in rows if row["answer"] and row["answer"].decision == ApprovalDecision.APPROVE
    )
    changes = sum(
        1 for row in rows if row["answer"] and row["answer"].decision == ApprovalDecision.CHANGE
    )
    items_by_goal = []
    if research_team:
        items = list(
            HarvestItem.objects.filter(session=session)
            .select_related("invitee")
            .order_by("goal", "group", "created_at", "id")
        )
        for goal in [*Goal, None]:
            goal_items = [item for item in items if item.goal == (goal and int(goal))]
            if goal_items:
                items_by_goal.append(
                    {"label": goal.label if goal else _("Not linked to a goal"),
                     "items": goal_items}
                )
    return {
        "session": session,
        "trajectory": session.trajectory,
        "organisation": session.trajectory.organisation,
        "harvest_report": report,
        "version": version,
        "body": _public_text(version.body, audience, pseudonymiser),
        "closed_reason": _public_text(report.closed_reason, audience, pseudonymiser),
        "invited_count": session.invitees.count(),
        "consented_count": len(consented),
        "approved_count": approved,
        "change_count": changes,
        "unanswered_count": len(consented) - approved - changes,
        # Names of who approved are for the research team; others get counts.
        "approval_rows": rows if research_team else [],
        "items_by_goal": items_by_goal,
        "item_count": sum(len(group["items"]) for group in items_by_goal),
    }


def _harvest_title(session: DialogueSession) -> str:
    return _("Harvest report — %(organisation)s, %(date)s") % {
        "organisation": session.trajectory.organisation.name,
        "date": date_format(timezone.localtime(session.starts_at), "j F Y"),
    }


# --- organisation portrait ---------------------------------------------------------


def portrait_figures(organisation: Organisation) -> dict:
    """The key figures of a portrait that the system knows, in four queries."""
    now = timezone.now()
    sessions = DialogueSession.objects.filter(
        trajectory__organisation=organisation, starts_at__lt=now
    )
    session_figures = sessions.aggregate(
        held=Count("id"), start=Count("id", filter=Q(kind="start"))
    )
    participants = (
        Invitee.objects.filter(session__in=sessions)
        .annotate(consent_agreed=latest_consent_subquery())
        .filter(consent_agreed=True)
        .values("email")
        .distinct()
        .count()
    )
    half_days_held = HalfDay.objects.filter(
        trajectory__organisation=organisation, starts_at__lt=now
    ).count()
    return {
        "dialogue_sessions": session_figures["held"],
        "start_dialogues": session_figures["start"],
        "participants": participants,
        "half_days": half_days_held,
        "closing_interviews": summary_goals.closing_interviews_held(organisation),
    }


def portrait_context(organisation: Organisation, audience: str) -> dict:
    pseudonymiser = _pseudonymiser(audience)
    portrait = Portrait.objects.filter(organisation=organisation).first() or Portrait(
        organisation=organisation
    )
    sections = [
        {"name": name, "heading": heading,
         "text": _public_text(text, audience, pseudonymiser)}
        for name, heading, text in portrait.sections()
    ]
    return {
        "organisation": organisation,
        "portrait": portrait,
        "student_note": _public_text(portrait.student_note, audience, pseudonymiser),
        "locations": list(organisation.locations.all()),
        "figures": portrait_figures(organisation),
        "sections": sections,
    }


BUILDERS: dict[str, Builder] = {
    ReportKind.HARVEST: Builder(
        kind=ReportKind.HARVEST,
        model=DialogueSession,
        template="reports/pdf/harvest.html",
        title=_harvest_title,
        context=harvest_context,
        sector=lambda session: session.trajectory.organisation.sector,
        audiences=(Audience.RESEARCH_TEAM, Audience.PARTICIPANTS),
        check=harvest_check,
        related=("trajectory__organisation", "trajectory__study", "report"),
    ),
    ReportKind.SUMMARY: Builder(
        kind=ReportKind.SUMMARY,
        model=Trajectory,
        template="reports/pdf/summary.html",
        title=lambda trajectory: _("Trajectory summary — %(organisation)s")
        % {"organisation": trajectory.organisation.name},
        context=summary_context,
        sector=lambda trajectory: trajectory.organisation.sector,
        audiences=(Audience.RESEARCH_TEAM, Audience.MANAGER),
        related=("organisation", "study"),
    ),
    ReportKind.PORTRAIT: Builder(
        kind=ReportKind.PORTRAIT,
        model=Organisation,
        template="reports/pdf/portrait.html",
        title=lambda organisation: _("Organisation portrait — %(organisation)s")
        % {"organisation": organisation.name},
        context=portrait_context,
        sector=lambda organisation: organisation.sector,
    ),
    ReportKind.CROSSCASE: Builder(
        kind=ReportKind.CROSSCASE,
        model=Study,
        template="reports/pdf/crosscase.html",
        title=lambda study: _("Cross-case overview — %(study)s") % {"study": study.name},
        context=crosscase_context,
        sector=lambda study: "",
    ),
}


def builder_for(kind: str) -> Builder:
    try:
        return BUILDERS[kind]
    except KeyError:
        raise ValueError(f"no builder for report kind {kind!r}") from None
