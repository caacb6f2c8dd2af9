"""What a withdrawal of consent erases in trajectories: the person's closing interviews.

A start agreement someone signed and the hours they logged are the
trajectory's administration, not research data: they stay (the account they
point at is anonymised by research).
"""

from __future__ import annotations

from django.db.models import Max

from research.models import ConsentKind
from research.registry import DataOwner, Person, Removal, Scope

from .models import ClosingInterview, InterviewStatus, Membership
from .services import closing_interview_delete


class ClosingInterviews(DataOwner):
    kinds = frozenset({ConsentKind.INTERVIEW})
    scrub_app_label = "trajectories"

    def contributions(self, person: Person, at, trajectory_ids=None):
        if person.user is None:
            return []
        interviews = ClosingInterview.objects.filter(interviewee=person.user, planned_at__lte=at)
        if trajectory_ids is not None:
            interviews = interviews.filter(trajectory_id__in=trajectory_ids)
        latest = interviews.exclude(status=InterviewStatus.MISSED).aggregate(
            latest=Max("planned_at")
        )["latest"]
        return [(latest, ConsentKind.INTERVIEW)] if latest else []

    def trajectory_ids(self, person: Person) -> set[int]:
        if person.user is None:
            return set()
        return set(
            Membership.objects.filter(user=person.user).values_list("trajectory_id", flat=True)
        )

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        if person.user is None or not scope.takes(ConsentKind.INTERVIEW):
            return
        interviews = list(scope.within(ClosingInterview.objects.filter(interviewee=person.user)))
        for interview in interviews:
            # Removes answers, goal statuses and, after commit, the recording.
            closing_interview_delete(interview=interview)
        removal.add("closing_interviews", len(interviews))
