"""deduce as a safety net: names the system does not know are reported on the
fragment for a researcher to review, never replaced silently."""

import pytest
from django.urls import reverse

from coding import services
from coding.models import Fragment
from tests.conftest import PERSONAS

from .factories import make_material

ALLOWED = {"researcher", "independent"}
UNKNOWN = "Gerrit Hoogeveen"


@pytest.fixture
def material(world):
    """Every kind of source, each mentioning a known person and an unknown one."""
    champion = world.champion.get_full_name()
    make_material(world, text=f"{champion} belde met {UNKNOWN} over de stages.")
    services.fragments_sync()
    return world


def test_check_reports_the_unknown_name_and_not_the_pseudonymised_known_one(
    material, deduce_model
):
    ids = list(Fragment.objects.values_list("pk", flat=True))
    with_findings = services.fragments_check_names(fragment_ids=ids)

    fragments = list(Fragment.objects.all())
    champion = material.champion
    assert with_findings == len(fragments) > 0
    for fragment in fragments:
        assert fragment.names_checked_at is not None
        found = [finding["text"] for finding in fragment.name_findings]
        assert any("Hoogeveen" in text for text in found), (fragment.kind, found)
        # The champion's name was replaced by a pseudonym before the check.
        assert champion.first_name not in fragment.text
        assert not any(champion.last_name in text for text in found)
        for finding in fragment.name_findings:
            assert fragment.text[finding["start"]:finding["end"]] == finding["text"]
            assert finding["tag"]


def test_a_fragment_without_unknown_names_is_marked_checked_with_nothing_found(
    world, deduce_model
):
    make_material(world)
    services.fragments_sync()
    ids = list(Fragment.objects.values_list("pk", flat=True))

    assert services.fragments_check_names(fragment_ids=ids) == 0
    assert not Fragment.objects.filter(names_checked_at__isnull=True).exists()
    assert not Fragment.objects.exclude(name_findings=[]).exists()


def test_checked_fragments_are_not_checked_again_until_their_text_changes(
    material, deduce_model
):
    ids = list(Fragment.objects.values_list("pk", flat=True))
    services.fragments_check_names(fragment_ids=ids)
    assert services.fragments_check_names_request(fragment_ids=ids) == 0

    # The source text changes: the next sync updates the fragment and the old
    # findings no longer describe it.
    entry = material.trajectory.logbook_entries.get()
    entry.actions = "Ik sprak met het team over de keuzeweek."
    entry.helped = "Niets bijzonders."
    entry.save()
    services.fragments_sync()

    changed = Fragment.objects.get(kind="logbook")
    assert changed.names_checked_at is None
    assert changed.name_findings == []
    assert services.fragments_check_names_request(fragment_ids=ids) == 1
    assert Fragment.objects.exclude(pk=changed.pk).filter(names_checked_at__isnull=True).count() == 0


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_researchers_start_the_check_and_see_what_it_found(
    material, client_for, persona, deduce_model, django_capture_on_commit_callbacks
):
    client = client_for(material.users[persona])
    url = reverse("coding:check_names", args=[material.study.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    listing = client.get(response.url)
    messages = [str(message) for message in listing.context["messages"]]
    assert any("worden nagekeken" in message for message in messages), messages
    assert "mogelijke namen om na te kijken" in listing.content.decode()

    fragment = Fragment.objects.exclude(name_findings=[]).first()
    page = client.get(reverse("coding:fragment", args=[fragment.pk])).content.decode()
    assert "Mogelijke namen die het systeem niet kent" in page
    assert UNKNOWN.split()[1] in page

    again = client.post(url, follow=True)
    messages = [str(message) for message in again.context["messages"]]
    assert any("al nagekeken" in message for message in messages), messages


def test_the_check_is_refused_to_everyone_else(material, client_for):
    url = reverse("coding:check_names", args=[material.study.pk])
    for persona in sorted(set(PERSONAS) - ALLOWED):
        response = client_for(material.users[persona]).post(url)
        assert response.status_code == 403, persona
    anonymous = client_for(None).post(url)
    assert anonymous.status_code == 302
    assert "/account/" in anonymous.url
    assert not Fragment.objects.filter(names_checked_at__isnull=False).exists()
