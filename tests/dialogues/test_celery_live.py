"""The invitation goes through Redis to a real Celery worker, which sends it."""

import time

import pytest
from django.db import transaction

from dialogues import services
from dialogues.models import InvitationSend

from .factories import DialogueSessionFactory, InviteeFactory

pytestmark = pytest.mark.celery


def test_invitation_is_sent_by_the_real_worker(celery_live, world):
    session = DialogueSessionFactory(
        trajectory=world.trajectory,
        facilitator=world.coach,
        researcher=world.researcher,
        lob_term="LB",
    )
    invitee = InviteeFactory(session=session, name="Piet Kok", email="piet.kok@school.test")
    with transaction.atomic():
        assert services.invitations_send(session=session, by=world.champion) == 1
    deadline = time.monotonic() + 30
    files = []
    while time.monotonic() < deadline:
        files = [p for p in celery_live.mail_dir.iterdir() if p.stat().st_size]
        if files and InvitationSend.objects.filter(invitee=invitee).exists():
            break
        time.sleep(0.3)
    text = "\n".join(p.read_text() for p in files)
    assert "piet.kok@school.test" in text
    assert "Beste Piet Kok" in text and "LB" in text
    assert InvitationSend.objects.get(invitee=invitee).sent_by == world.champion
