"""What consent and withdrawal need from the dialogues: the invitees.

An invitee is a person research knows only by name and address, unless the
invitation is linked to an account (or the address belongs to one): then
they are that account's person.
"""

from __future__ import annotations

from django.db.models import Max, Q

from research.models import ConsentKind
from research.registry import DataOwner, KnownPerson, Participant, Person, Removal, Scope

from .models import Approval, DialogueSession, HarvestItem, Invitee


class Invitees(DataOwner):
    kinds = frozenset({ConsentKind.DIALOGUE})
    scrub_app_label = "dialogues"

    def identify(self, person: Person) -> None:
        if person.user is not None:
            user = person.user
            invitees = Invitee.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        else:
            (email,) = person.emails
            invitees = Invitee.objects.filter(email__iexact=email, user__isnull=True)
        for pk, name, email in invitees.values_list("id", "name", "email"):
            person.invitee_ids.append(pk)
            person.emails.add(email.lower())
            person.names.append(name)

    def contributions(self, person: Person, at, trajectory_ids=None):
        """The real last contribution: the latest harvest item or report answer, or the
        session itself when the person took part without adding anything."""
        invitees = Invitee.objects.filter(pk__in=person.invitee_ids)
        if trajectory_ids is not None:
            invitees = invitees.filter(session__trajectory_id__in=trajectory_ids)
        invitee_ids = list(invitees.values_list("id", flat=True))
        if not invitee_ids:
            return []
        moments = [
            HarvestItem.objects.filter(invitee_id__in=invitee_ids, created_at__lte=at).aggregate(
                latest=Max("created_at")
            )["latest"],
            Approval.objects.filter(invitee_id__in=invitee_ids, at__lte=at).aggregate(
                latest=Max("at")
            )["latest"],
            DialogueSession.objects.filter(
                invitees__id__in=invitee_ids, starts_at__lte=at
            ).aggregate(latest=Max("starts_at"))["latest"],
        ]
        moments = [moment for moment in moments if moment]
        return [(max(moments), ConsentKind.DIALOGUE)] if moments else []

    def trajectory_ids(self, person: Person) -> set[int]:
        return set(
            DialogueSession.objects.filter(invitees__id__in=person.invitee_ids).values_list(
                "trajectory_id", flat=True
            )
        )

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        if not scope.takes(ConsentKind.DIALOGUE):
            return
        invitees = scope.within(
            Invitee.objects.filter(pk__in=person.invitee_ids), "session__trajectory_id"
        )
        invitee_ids = list(invitees.values_list("id", flat=True))
        removal.add("harvest_items", HarvestItem.objects.filter(invitee_id__in=invitee_ids).count())
        removal.add("invitations", len(invitee_ids))
        invitees.delete()  # with their harvest items and approvals (consents: research)

    def known_people(self):
        for name, email, user_id in Invitee.objects.values_list("name", "email", "user_id"):
            yield KnownPerson(name=name, email=email, user_id=user_id)

    def participants(self, trajectory) -> list[Participant]:
        invitees = (
            Invitee.objects.filter(session__trajectory=trajectory)
            .select_related("user")
            .order_by("name", "id")
        )
        return [_participant(invitee, trajectory.pk) for invitee in invitees]

    def participant(self, trajectory, ref: str) -> Participant | None:
        kind, _sep, number = ref.partition("-")
        if kind != "i" or not number.isdigit():
            return None
        invitee = (
            Invitee.objects.filter(pk=int(number), session__trajectory=trajectory)
            .select_related("user")
            .first()
        )
        return _participant(invitee, trajectory.pk) if invitee else None


def _participant(invitee: Invitee, trajectory_id: int) -> Participant:
    return Participant(
        ref=f"i-{invitee.pk}",
        invitee_id=invitee.pk,
        name=invitee.name,
        email=invitee.email,
        user=invitee.user,
        user_id=invitee.user_id,
        trajectory_id=trajectory_id,
    )
