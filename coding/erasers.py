"""What a withdrawal of consent erases in coding: the person's fragments and the exports.

Fragments holding the person's words go, and so do the fragments cut from the
rows that withdrawal deletes next (their sources register which rows those
are). Exports of the person's studies copied their data into files; they are
deleted and can simply be made again. Other people's fragments stay as they
are: they were pseudonymised when they were made, and rewriting them would move
the character offsets of every coding.
"""

from __future__ import annotations

from django.db.models import Q

from research.registry import DataOwner, Person, Removal, Scope, Stage
from research.sources import coding_sources

from .models import Export, Fragment
from .services import fragment_forget_person


class CodingData(DataOwner):
    stage = Stage.CODED

    def erase(self, person: Person, removal: Removal, *, scope: Scope) -> None:
        exports = Export.objects.filter(study_id__in=scope.study_ids)
        for export in exports:
            removal.file(export.file)
        removal.add("exports", exports.delete()[0])

        sources = coding_sources()
        if scope.kind:
            # Only the fragments of what was given under the withdrawn kind, in its trajectory.
            count = fragment_forget_person(
                user_id=person.user.pk if person.user else None,
                invitee_ids=person.invitee_ids,
                kinds=[source.kind for source in sources if source.consent_kind == scope.kind],
                trajectory_ids=scope.trajectory_ids,
            )
        else:
            count = fragment_forget_person(
                user_id=person.user.pk if person.user else None, invitee_ids=person.invitee_ids
            )
        by_source = Q(pk__in=[])
        for source in sources:
            if not source.rows_of or (source.consent_kind and not scope.takes(source.consent_kind)):
                continue
            ids = (
                source.rows_of(person, kind=scope.kind)
                if not source.consent_kind and scope.kind
                else source.rows_of(person)
            )
            if ids:
                by_source |= Q(kind=source.kind, source_id__in=ids)
        _total, details = scope.within(Fragment.objects.filter(by_source)).delete()
        removal.add("fragments", count + details.get(Fragment._meta.label, 0))
