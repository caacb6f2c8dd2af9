"""What consent and withdrawal need from the dialogues: the invitees.

An invitee is a person research knows only by name and address, unless the
invitation is linked to an account (or the address belongs to one): then
they are that account's person.
"""

from __future__ import annotations

from django.db.models import Max, Q

from research.registry import DataOwner, KnownPerson, Participant, Person, Removal, Scope

from .models import Consent, DialogueSession, HarvestItem, Invitee
from .services import consent_record


class Invitees(DataOwner):
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

    def contributions(self, person: Person, at):
        if not person.invitee_ids:
            return []
        latest = DialogueSession.objects.filter(
            invitees__id__in=person.invitee_ids, starts_at__lte=at
        ).aggregate(latest=Max("starts_at"))["latest"]
        return [(latest, "dialogue")] if latest else []

    def trajectory_ids(self, person: Person) -> set[int]:
        return set(
            DialogueSession.objects.filter(invitees__id__in=person.invitee_ids).values_list(
                "trajectory_id", flat=True
            )
        )

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        invitees = Invitee.objects.filter(pk__in=person.invitee_ids)
        removal.add(
            "harvest_items", HarvestItem.objects.filter(invitee_id__in=person.invitee_ids).count()
        )
        removal.add("invitations", len(person.invitee_ids))
        invitees.delete()  # with their harvest items, consents and approvals

    def stop(self, person: Person) -> None:
        """A "no" as the latest consent answer of each invitation.

        The dialogues count the latest answer, so the person drops out of the
        harvest, the approval round of harvest reports and its reminders, while
        what they gave before stays.
        """
        for invitee in Invitee.objects.filter(pk__in=person.invitee_ids).select_related("session"):
            consent_record(invitee=invitee, agreed=False)

    def known_people(self):
        for name, email, user_id in Invitee.objects.values_list("name", "email", "user_id"):
            yield KnownPerson(name=name, email=email, user_id=user_id)

    def participants(self, trajectory) -> list[Participant]:
        invitees = list(
            Invitee.objects.filter(session__trajectory=trajectory)
            .select_related("user")
            .order_by("name", "id")
        )
        latest: dict[int, Consent] = {}
        for consent in Consent.objects.filter(trajectory=trajectory).select_related("text"):
            latest.setdefault(consent.invitee_id, consent)  # ordered newest first
        return [_participant(invitee, trajectory.pk, latest.get(invitee.pk)) for invitee in invitees]

    def participant(self, trajectory, ref: str) -> Participant | None:
        kind, _sep, number = ref.partition("-")
        if kind != "i" or not number.isdigit():
            return None
        invitee = (
            Invitee.objects.filter(pk=int(number), session__trajectory=trajectory)
            .select_related("user")
            .first()
        )
        return _participant(invitee, trajectory.pk, None) if invitee else None


def _participant(invitee: Invitee, trajectory_id: int, consent: Consent | None) -> Participant:
    return Participant(
        ref=f"i-{invitee.pk}",
        invitee_id=invitee.pk,
        name=invitee.name,
        email=invitee.email,
        user=invitee.user,
        user_id=invitee.user_id,
        trajectory_id=trajectory_id,
        consent_version=consent.text.version if consent else None,
        consent_agreed=consent.agreed if consent else None,
        consent_at=consent.at if consent else None,
    )
