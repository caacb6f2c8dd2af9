"""List pages keep a flat number of queries as the data grows."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogues import services

from .factories import DialogueSessionFactory, HarvestItemFactory, InviteeFactory


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_sessions(world, n):
    for _ in range(n):
        session = DialogueSessionFactory(
            trajectory=world.trajectory, facilitator=world.coach, researcher=world.researcher
        )
        invitee = InviteeFactory(session=session)
        services.report_save_draft(session=session, body="Verslag")
        HarvestItemFactory(invitee=invitee)


def _more_items(dialogue, n):
    for _ in range(n):
        invitee = InviteeFactory(session=dialogue.session)
        services.consent_record(invitee=invitee, agreed=True)
        HarvestItemFactory(invitee=invitee)


def test_session_list_queries_are_flat(world, dialogue, client_for):
    client = client_for(world.manager)
    url = reverse("dialogues:list", args=[world.trajectory.pk])
    _more_sessions(world, 1)
    before = _count(client, url)
    _more_sessions(world, 6)
    assert _count(client, url) == before == 6


def test_session_detail_and_live_items_queries_are_flat(world, dialogue, client_for):
    client = client_for(world.coach)
    detail = reverse("dialogues:detail", args=[dialogue.session.pk])
    items = reverse("dialogues:items", args=[dialogue.session.pk])
    _more_items(dialogue, 1)
    detail_before, items_before = _count(client, detail), _count(client, items)
    _more_items(dialogue, 8)
    assert _count(client, detail) == detail_before == 11  # + the hidden items
    assert _count(client, items) == items_before == 6


def test_session_index_queries_are_flat(world, dialogue, client_for):
    client = client_for(world.coach)
    url = reverse("dialogues:index")
    _more_sessions(world, 1)
    before = _count(client, url)
    _more_sessions(world, 30)
    # a page of 25 plus the page count; the user's trajectories are a subquery, not a query
    assert _count(client, url) == before == 5
    html = client.get(url).content.decode()
    assert len(re.findall(r'<td><a href="/dialogen/\d+/">', html)) == 25
    assert "Pagina 1 van 2" in html
