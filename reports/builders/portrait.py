"""The organisation portrait."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from dialogues.models import DialogueSession, Invitee
from dialogues.selectors import latest_consent_subquery
from trajectories.models import (
    HalfDay,
    Organisation,
)

from ..models import Portrait
from . import summary_goals
from .base import _pseudonymiser, _public_text

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
