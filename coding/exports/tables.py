"""What an anonymised export holds: its scope, its tables and the helpers
every writer shares (GUIDs, cleaning, progress).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Substr
from django.utils import timezone

from dialogues.models import Invitee
from research.models import (
    Consent,
    ConsentKind,
    OrganisationCode,
    Withdrawal,
    format_organisation_code,
)
from research.pseudonymise import pseudonymiser_for_export
from trajectories.models import HalfDay, Membership, Organisation, PhaseTransition, Trajectory

from ..models import Category, Code, Coding, Fragment, Memo
from ..selectors import person_labels

CHUNK = 200


FORMAT_VERSION = 1


# GUIDs are derived from this namespace and the row id, so an export made twice
# gives the same GUIDs (a QDA program can then recognise a re-import).
GUID_NAMESPACE = uuid.UUID("5b0b7c3e-8f5d-4d8e-9a55-6c0f5a1e2d01")


# XML 1.0 forbids most control characters; openpyxl refuses them too.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def guid(kind: str, pk) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{pk}"))


def clean(value: str) -> str:
    return _ILLEGAL_XML.sub(" ", value)


@dataclass
class Table:
    name: str
    columns: list[str]
    count: Callable[[], int]
    rows: Callable[[], Iterator[tuple]]


class Scope:
    """What one export covers, and the labels it may print instead of names."""

    def __init__(self, trajectory_ids=None, *, case_codes: bool = False):

        # Building the pseudonymiser allocates every missing pseudonym and code,
        # so the label look-ups below are complete.
        self.pseudonymiser = pseudonymiser_for_export()
        self.by_user, self.by_email, self.by_invitee = person_labels()
        self.org_codes = {
            organisation_id: format_organisation_code(number)
            for organisation_id, number in OrganisationCode.objects.values_list(
                "organisation_id", "number"
            )
        }
        trajectories = Trajectory.objects.all()
        if trajectory_ids is not None:
            trajectories = trajectories.filter(id__in=list(trajectory_ids))
        self.trajectory_ids = list(trajectories.values_list("id", flat=True))
        self.study_ids = sorted(set(trajectories.values_list("study_id", flat=True)))
        # QDPX only: also give each organisation (case) as a code on its sources.
        self.case_codes = case_codes

    def text(self, value: str | None) -> str:
        return self.pseudonymiser.apply(value) if value else ""

    def person(self, user_id: int | None) -> str:
        return self.by_user.get(user_id, "") if user_id else ""

    def organisation(self, organisation_id: int) -> str:
        return self.org_codes.get(organisation_id, "")

    # -- querysets ------------------------------------------------------------

    def fragments(self):
        return Fragment.objects.filter(trajectory_id__in=self.trajectory_ids)

    def codings(self):
        return Coding.objects.filter(fragment__trajectory_id__in=self.trajectory_ids)

    def codes(self):
        return Code.objects.filter(study_id__in=self.study_ids)

    def categories(self):
        return Category.objects.filter(study_id__in=self.study_ids)


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _ref(prefix: str, pk) -> str:
    return f"{prefix}-{pk}" if pk else ""


# --- the tables ----------------------------------------------------------------


def tables(scope: Scope) -> list[Table]:

    trajectories = Trajectory.objects.filter(id__in=scope.trajectory_ids)
    organisations = Organisation.objects.filter(
        id__in=trajectories.values("organisation_id")
    ).order_by("id")

    def organisation_rows():
        for org_id, sector, kind in organisations.values_list("id", "sector", "kind").iterator(
            chunk_size=CHUNK
        ):
            yield (scope.organisation(org_id), sector, kind)

    def trajectory_rows():
        qs = trajectories.order_by("id").values_list(
            "id", "organisation_id", "study_id", "phase", "starts_on", "ends_on",
            "decision__is_yes", "decision__decided_on",
        )
        for pk, org_id, study_id, phase, starts, ends, yes, decided in qs.iterator(
            chunk_size=CHUNK
        ):
            decision = "" if yes is None else ("yes" if yes else "no")
            yield (_ref("T", pk), scope.organisation(org_id), _ref("STUDY", study_id), phase,
                   _iso(starts), _iso(ends), decision, _iso(decided))

    transitions = PhaseTransition.objects.filter(trajectory_id__in=scope.trajectory_ids)

    def transition_rows():
        qs = transitions.order_by("trajectory_id", "at", "id").values_list(
            "trajectory_id", "from_phase", "to_phase", "at"
        )
        for trajectory_id, from_phase, to_phase, at in qs.iterator(chunk_size=CHUNK):
            yield (_ref("T", trajectory_id), from_phase, to_phase, _iso(at))

    half_days = HalfDay.objects.filter(trajectory_id__in=scope.trajectory_ids)

    def half_day_rows():
        qs = half_days.order_by("trajectory_id", "starts_at", "id").values_list(
            "id", "trajectory_id", "starts_at", "ends_at", "is_start_dialogue", "is_online",
            "unit", "intervention_types", "goals", "title",
        )
        for (pk, trajectory_id, starts, ends, start_dialogue, online, unit, interventions,
             goals, title) in qs.iterator(chunk_size=CHUNK):
            yield (_ref("H", pk), _ref("T", trajectory_id), _iso(starts), _iso(ends),
                   start_dialogue, online, unit, ";".join(map(str, interventions or [])),
                   ";".join(map(str, goals or [])), scope.text(title))

    withdrawn = Withdrawal.objects.filter(
        user=OuterRef("user_id"), trajectory=OuterRef("trajectory_id")
    )
    memberships = Membership.objects.filter(trajectory_id__in=scope.trajectory_ids)
    invitees = Invitee.objects.filter(session__trajectory_id__in=scope.trajectory_ids)

    def latest_answers() -> dict[tuple[int, str], dict[str, bool]]:
        """{(trajectory, e-mail): {kind: agreed}} from the latest answer per kind."""
        answers: dict[tuple[int, str], dict[str, bool]] = {}
        rows = Consent.objects.filter(trajectory_id__in=scope.trajectory_ids).order_by(
            "at", "id"
        )
        for trajectory_id, email, kind, agreed in rows.values_list(
            "trajectory_id", "email", "kind", "agreed"
        ).iterator(chunk_size=CHUNK):
            answers.setdefault((trajectory_id, email), {})[kind] = agreed  # later wins
        return answers

    def consent_word(answers: dict[str, bool] | None, is_withdrawn) -> str:
        """Per kind: "dialogue:given;logbook:refused"; "not recorded" without any answer."""
        if is_withdrawn:
            return "withdrawn"
        if not answers:
            return "not recorded"
        return ";".join(
            f"{kind}:{'given' if answers[kind] else 'refused'}"
            for kind in ConsentKind.values
            if kind in answers
        )

    def person_rows():
        answers = latest_answers()
        qs = (
            memberships.annotate(withdrawn=Exists(withdrawn))
            .order_by("trajectory_id", "id")
            .values_list("trajectory_id", "trajectory__organisation_id", "user_id", "role",
                         "user__email", "withdrawn")
        )
        for trajectory_id, org_id, user_id, role, email, is_withdrawn in qs.iterator(
            chunk_size=CHUNK
        ):
            yield (scope.person(user_id), role, scope.organisation(org_id),
                   _ref("T", trajectory_id),
                   consent_word(answers.get((trajectory_id, email.lower())), is_withdrawn))
        qs = invitees.order_by("session__trajectory_id", "id").values_list(
            "id", "session__trajectory_id", "session__trajectory__organisation_id", "email"
        )
        for invitee_id, trajectory_id, org_id, email in qs.iterator(chunk_size=CHUNK):
            yield (scope.by_invitee.get(invitee_id, ""), "invitee", scope.organisation(org_id),
                   _ref("T", trajectory_id),
                   consent_word(answers.get((trajectory_id, email.lower())), False))

    withdrawals = Withdrawal.objects.filter(trajectory_id__in=scope.trajectory_ids)

    def withdrawal_rows():
        qs = withdrawals.order_by("withdrawn_on", "id").values_list(
            "pseudonym_label", "trajectory_id", "trajectory__organisation_id", "within_window",
            "withdrawn_on",
        )
        for label, trajectory_id, org_id, within, on in qs.iterator(chunk_size=CHUNK):
            yield (label, scope.organisation(org_id), _ref("T", trajectory_id), within, _iso(on))

    def source_rows():
        qs = scope.fragments().order_by("id").values_list(
            "id", "trajectory_id", "trajectory__organisation_id", "kind", "occurred_on",
            "author_label", "title", "text",
        )
        for pk, trajectory_id, org_id, kind, on, author, title, text in qs.iterator(
            chunk_size=CHUNK
        ):
            yield (_ref("S", pk), scope.organisation(org_id), _ref("T", trajectory_id), kind,
                   _iso(on), author, title, text)

    def category_rows():
        qs = scope.categories().order_by("id").values_list("id", "name", "parent_id")
        for pk, name, parent in qs.iterator(chunk_size=CHUNK):
            yield (_ref("C", pk), scope.text(name), _ref("C", parent))

    def code_rows():
        qs = scope.codes().order_by("id").values_list("id", "name", "category_id", "created_by_id")
        for pk, name, category, by in qs.iterator(chunk_size=CHUNK):
            yield (_ref("K", pk), scope.text(name), _ref("C", category), scope.person(by))

    # Memos on a code, on a fragment (source) or on one coding: one of the three refs is set.
    memos = Memo.objects.filter(
        Q(code__study_id__in=scope.study_ids)
        | Q(fragment__in=scope.fragments().values("id"))
        | Q(coding__in=scope.codings().values("id"))
    )

    def memo_rows():
        qs = memos.order_by("created_at", "id").values_list(
            "code_id", "fragment_id", "coding_id", "author_id", "created_at", "text"
        )
        for code_id, fragment_id, coding_id, author, at, text in qs.iterator(chunk_size=CHUNK):
            yield (_ref("K", code_id), _ref("S", fragment_id), _ref("X", coding_id),
                   scope.person(author), _iso(at), scope.text(text))

    def coding_rows():
        qs = (
            scope.codings()
            .annotate(quote=Substr("fragment__text", F("start") + 1, F("end") - F("start")))
            .order_by("fragment_id", "start", "id")
            .values_list(
                "id", "fragment_id", "code_id", "start", "end", "coder_id", "created_at", "quote"
            )
        )
        for pk, fragment_id, code_id, start, end, coder, at, quote in qs.iterator(
            chunk_size=CHUNK
        ):
            yield (_ref("X", pk), _ref("S", fragment_id), _ref("K", code_id), start, end,
                   scope.person(coder), _iso(at), quote)

    return [
        Table("organisations", ["organisation", "sector", "kind"], organisations.count,
              organisation_rows),
        Table("trajectories", ["trajectory", "organisation", "study", "phase", "starts_on",
                               "ends_on", "decision", "decided_on"],
              trajectories.count, trajectory_rows),
        Table("phase_transitions", ["trajectory", "from_phase", "to_phase", "at"],
              transitions.count, transition_rows),
        Table("half_days", ["half_day", "trajectory", "starts_at", "ends_at",
                            "is_start_dialogue", "is_online", "unit", "intervention_types",
                            "goals", "title"], half_days.count, half_day_rows),
        Table("persons", ["pseudonym", "role", "organisation", "trajectory", "consent"],
              lambda: memberships.count() + invitees.count(), person_rows),
        Table("withdrawals", ["pseudonym", "organisation", "trajectory", "within_window",
                              "withdrawn_on"], withdrawals.count, withdrawal_rows),
        Table("sources", ["source", "organisation", "trajectory", "kind", "date", "author",
                          "title", "text"], lambda: scope.fragments().count(), source_rows),
        Table("categories", ["category", "name", "parent"], lambda: scope.categories().count(),
              category_rows),
        Table("codes", ["code", "name", "category", "created_by"], lambda: scope.codes().count(),
              code_rows),
        Table("memos", ["code", "source", "coding", "author", "written_at", "text"],
              memos.count, memo_rows),
        Table("codings", ["coding", "source", "code", "start", "end", "coder", "created_at",
                          "quote"], lambda: scope.codings().count(), coding_rows),
    ]


class _Progress:
    """Calls `progress(fraction)` now and then while rows are written."""

    def __init__(self, callback, total: int):
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0

    def tick(self, rows: int = 1) -> None:
        self.done += rows
        if self.callback and self.done % 200 == 0:
            self.callback(min(self.done / self.total, 1.0))

    def finish(self) -> None:
        if self.callback:
            self.callback(1.0)
