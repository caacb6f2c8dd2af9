from types import SimpleNamespace

import pytest

from dialogues import services
from dialogues.tokens import make_token

from .factories import DialogueSessionFactory, InviteeFactory


@pytest.fixture
def dialogue(world):
    """A start dialogue of world.trajectory with three invitees.

    `world.participant` is invitee `noor` (with account) and has consented, as
    has `piet` (no account); `lies` has not answered. `stranger` is a
    participant invited to another session of the same trajectory.
    """
    session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )
    noor = InviteeFactory(
        session=session, name="Noor Jansen", email="noor@school.test", user=world.participant
    )
    piet = InviteeFactory(session=session, name="Piet Kok", email="piet@school.test")
    lies = InviteeFactory(session=session, name="Lies Maas", email="lies@school.test")
    for invitee in (noor, piet):
        services.consent_record(invitee=invitee, agreed=True)
    other_session = DialogueSessionFactory(
        trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
    )
    from tests.factories import MembershipFactory, UserFactory
    from trajectories.models import Role

    stranger_user = UserFactory(first_name="Karin", last_name="Bos")
    MembershipFactory(trajectory=world.trajectory, user=stranger_user, role=Role.PARTICIPANT)
    stranger = InviteeFactory(
        session=other_session, name="Karin Bos", email="karin@school.test", user=stranger_user
    )
    services.consent_record(invitee=stranger, agreed=True)
    return SimpleNamespace(
        session=session,
        noor=noor,
        piet=piet,
        lies=lies,
        other_session=other_session,
        stranger=stranger,
        stranger_user=stranger_user,
        token=make_token,
    )
