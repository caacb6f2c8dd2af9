"""The consent data migration (research 0003) on a populated database.

The schema is taken back to the migration before consent per kind existed, old
rows are written through the historical models (a member's consent recorded by a
researcher in `research.ResearchConsent`, an invitee's answer in
`dialogues.Consent`, both against the one dialogue text), and the schema is
migrated forward again: every old answer must be a `research.Consent` of the
kinds the person gives data of, under version 1 of each kind's text (the words
they saw), marked "migrated".
"""

from datetime import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from research import consent as consent_reads
from research.models import Consent, ConsentKind, ConsentText
from tests.dialogues.factories import InviteeFactory
from tests.factories import MembershipFactory, TrajectoryFactory, UserFactory
from trajectories.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("research", "0002_consent_per_kind"), ("dialogues", "0002_invitee_unique_message")]
OLD_TEXT = "Tijdens deze dialoog verzamelen de deelnemers zelf de oogst (oude tekst, versie 1)."


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_consents_become_consents_per_kind():
    trajectory = TrajectoryFactory()
    champion = UserFactory(first_name="Sanne", infix="de", last_name="Vries")
    manager = UserFactory(first_name="Fatima", infix="", last_name="El Amrani")
    researcher = UserFactory()
    MembershipFactory(trajectory=trajectory, user=champion, role=Role.CHAMPION, consent=False)
    MembershipFactory(trajectory=trajectory, user=manager, role=Role.MANAGER, consent=False)
    invitee = InviteeFactory(
        session__trajectory=trajectory, name="Kees van Dam", email="Kees.vanDam@School.test"
    )
    at = datetime(2026, 3, 2, 10, 0).astimezone()
    leaf = MigrationExecutor(connection).loader.graph.leaf_nodes()

    old = _migrate(BEFORE)
    try:
        text = old.get_model("dialogues", "ConsentText").objects.create(version=1, body=OLD_TEXT)
        ResearchConsent = old.get_model("research", "ResearchConsent")
        ResearchConsent.objects.create(
            trajectory_id=trajectory.pk,
            user_id=champion.pk,
            text=text,
            agreed=True,
            at=at,
            recorded_by_id=researcher.pk,
        )
        ResearchConsent.objects.create(
            trajectory_id=trajectory.pk, user_id=manager.pk, text=text, agreed=False, at=at
        )
        old.get_model("dialogues", "Consent").objects.create(
            trajectory_id=trajectory.pk,
            session_id=invitee.session_id,
            invitee_id=invitee.pk,
            text=text,
            agreed=True,
            at=at,
        )
    finally:
        _migrate(leaf)

    migrated = Consent.objects.filter(via="migrated").select_related("text")
    rows = {(c.user_id, c.email, c.kind, c.agreed) for c in migrated}
    assert rows == {
        # A champion gives logbook entries, a closing interview and e-mails/notes.
        (champion.pk, champion.email.lower(), "logbook", True),
        (champion.pk, champion.email.lower(), "interview", True),
        (champion.pk, champion.email.lower(), "notes", True),
        # A manager is interviewed and may be observed; the "no" is kept as a "no".
        (manager.pk, manager.email.lower(), "interview", False),
        (manager.pk, manager.email.lower(), "notes", False),
        # The invitee's answer is a dialogue consent, under the address they were invited at.
        (None, "kees.vandam@school.test", "dialogue", True),
    }
    assert {c.text.version for c in migrated} == {1}
    assert {c.text.body for c in migrated} == {OLD_TEXT}  # the words they agreed to
    assert {c.at for c in migrated} == {at}
    assert {c.recorded_by_id for c in migrated if c.user_id == champion.pk} == {researcher.pk}
    assert {c.name for c in migrated if c.user_id == champion.pk} == {"Sanne de Vries"}
    assert {c.name for c in migrated if c.kind == "dialogue"} == {"Kees van Dam"}
    # Version 1 of every kind holds the old text; the current texts are newer.
    assert ConsentText.objects.filter(version=1).count() == len(ConsentKind.values)

    # What the champion gave under the old text stays covered; new data need the new text.
    assert consent_reads.has_agreed(trajectory=trajectory, kind="logbook", user=champion)
    assert not consent_reads.has_current_consent(
        trajectory=trajectory, kind="logbook", user=champion
    )
    assert not consent_reads.has_agreed(trajectory=trajectory, kind="interview", user=manager)
