"""F3: the invitation preview printed the rendered mail body unescaped.

The invitation is a plain-text mail; a plain text must never reach an HTML page
as markup, whoever typed the theme, place, agenda or invitee name.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeData

from dialogues import selectors, services
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.hardening.payloads import PAYLOADS, assert_escaped_in_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile_session(world):
    payload = " ".join(PAYLOADS)
    session = DialogueSessionFactory(
        trajectory=world.trajectory,
        facilitator=world.coach,
        researcher=world.researcher,
        theme=payload[:200],
        place=payload[:200],
        agenda=payload,
    )
    InviteeFactory(session=session, name=PAYLOADS[1][:100], email="docent@school.test")
    return session


def test_rendered_invitation_is_plain_text_not_markup(hostile_session):
    subject, body = selectors.invitation_render(hostile_session)
    assert not isinstance(body, SafeData), "the mail body is marked safe for HTML"
    assert not isinstance(subject, SafeData)
    # In the text itself the payload stays as typed (a plain-text mail shows it literally).
    assert PAYLOADS[0] in body


@pytest.mark.parametrize("persona", ["coach", "champion"])
def test_invitation_preview_escapes_theme_place_and_agenda(
    client_for, world, hostile_session, persona
):
    page = client_for(getattr(world, persona)).get(
        reverse("dialogues:invitation_preview", args=[hostile_session.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert_escaped_in_html(html, PAYLOADS)
    assert escape(PAYLOADS[0]) in html
    assert "{{7*7}}" in html, "template syntax in the agenda was evaluated or lost"


def test_sent_invitation_is_plain_text_only(
    world, hostile_session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(session=hostile_session, by=world.champion)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert not getattr(message, "alternatives", []), "an HTML part would render the markup"
    assert PAYLOADS[0] in message.body
