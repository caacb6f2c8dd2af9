"""The data the load tests need, written into the server's database by
`manage.py shell` (run by tests/hardening/test_load.py before it starts gunicorn).

Prints one JSON line: the champion's login, the trajectory, and ten personal
links of consenting invitees of one open dialogue session.
"""

from __future__ import annotations

import json

from dialogues import services
from dialogues.tokens import make_token
from tests.conftest import _make_world
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from trajectories.models import Role

INVITEES = 10


def build() -> None:
    world = _make_world()
    session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )
    tokens = []
    for _number in range(INVITEES):
        user = UserFactory()
        MembershipFactory(trajectory=world.trajectory, user=user, role=Role.PARTICIPANT)
        invitee = InviteeFactory(session=session, user=user, email=user.email)
        services.consent_record(invitee=invitee, agreed=True)
        tokens.append(make_token(invitee))
    print(
        json.dumps(
            {
                "champion": world.champion.email,
                "champion_id": world.champion.pk,
                "password": TEST_PASSWORD,
                "trajectory": world.trajectory.pk,
                "session": session.pk,
                "tokens": tokens,
            }
        )
    )
