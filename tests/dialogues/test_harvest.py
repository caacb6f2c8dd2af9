import pytest
from django.urls import reverse

from dialogues.models import HarvestItem
from dialogues.tokens import make_token


def _post(client, invitee, text, goal=""):
    return client.post(
        reverse("dialogues:personal_item", args=[make_token(invitee)]), {"text": text, "goal": goal}
    )


def test_several_participants_add_items_and_they_appear_live(world, dialogue, client, client_for):
    _post(client, dialogue.noor, "Ik merk dat ik vaker doorvraag", goal="3")
    _post(client, dialogue.piet, "LOB is van ons allemaal")
    live = client_for(world.coach).get(reverse("dialogues:items", args=[dialogue.session.pk]))
    text = live.content.decode()
    assert "Ik merk dat ik vaker doorvraag" in text and "LOB is van ons allemaal" in text
    assert HarvestItem.objects.get(invitee=dialogue.noor).goal == 3
    data = (
        client_for(world.researcher)
        .get(reverse("dialogues:items_json", args=[dialogue.session.pk]))
        .json()
    )
    assert len(data["items"]) == 2


def test_board_has_qr_code_and_polling(world, dialogue, client_for):
    body = client_for(world.coach).get(reverse("dialogues:board", args=[dialogue.session.pk]))
    text = body.content.decode()
    assert "<svg" in text and 'hx-trigger="every 2s"' in text
    assert dialogue.session.code in text
    assert "<script>" not in text and "style=" not in text.split("<svg")[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Schrijf iets op"), ("   ", "Schrijf iets op"), ("x" * 10_000, "maximaal 2000 tekens")],
)
def test_empty_or_too_long_item_is_refused_in_dutch(world, dialogue, client, text, message):
    response = _post(client, dialogue.noor, text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HarvestItem.objects.exists()


def test_html_in_an_item_is_shown_as_text(world, dialogue, client, client_for):
    _post(client, dialogue.noor, "<script>alert('x')</script><b>vet</b>")
    body = client_for(world.coach).get(reverse("dialogues:items", args=[dialogue.session.pk]))
    text = body.content.decode()
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;" in text


def test_submission_after_close_is_refused(world, dialogue, client, client_for):
    client_for(world.coach).post(reverse("dialogues:close_harvest", args=[dialogue.session.pk]))
    response = _post(client, dialogue.noor, "Te laat")
    assert response.status_code == 400
    assert "oogst van deze sessie is gesloten" in response.content.decode()
    assert not HarvestItem.objects.exists()


def test_items_only_from_consented_invitees(world, dialogue, client):
    response = _post(client, dialogue.lies, "Zonder toestemming")
    assert response.status_code == 400
    assert "toestemming" in response.content.decode()
    assert not HarvestItem.objects.exists()


def test_items_can_be_added_after_the_session_until_closed(world, dialogue, client):
    from datetime import timedelta

    from django.utils import timezone

    dialogue.session.starts_at = timezone.now() - timedelta(days=2)
    dialogue.session.save()
    assert _post(client, dialogue.noor, "Later nog bedacht").status_code == 302
    assert HarvestItem.objects.count() == 1


def test_facilitator_groups_items(world, dialogue, client, client_for):
    _post(client, dialogue.noor, "Visie ontbreekt nog")
    item = HarvestItem.objects.get()
    client_for(world.coach).post(
        reverse("dialogues:groups", args=[dialogue.session.pk]), {"item": item.pk, "group": "Visie"}
    )
    item.refresh_from_db()
    assert item.group == "Visie"


def test_short_url_continues_with_the_personal_link_opened_on_this_phone(world, dialogue, client):
    code = dialogue.session.code
    first = client.get(reverse("dialogues:short", args=[code]))
    assert first.status_code == 200 and code in first.content.decode()
    token = make_token(dialogue.noor)
    client.get(reverse("dialogues:personal", args=[token]))
    again = client.get(reverse("dialogues:short", args=[code.lower()]))
    assert again.status_code == 302 and token in again["Location"]
