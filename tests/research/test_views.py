"""Research pages: only the research team; the key is audited; withdrawal asks first."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from dialogues import services as dialogue_services
from research.audit import audit_record
from research.models import AuditAction, AuditEvent, Consent, OrganisationAlias, Withdrawal
from research.pseudonymise import person_pseudonym
from tests.conftest import PERSONAS
from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TrajectoryFactory,
    UserFactory,
)
from tests.logbooks.factories import EntryFactory
from trajectories.models import Role

RESEARCH_TEAM = {"researcher", "independent"}


def count_queries(client, url) -> int:
    """Queries of one GET. The test client resets Django's query log when a request
    starts, so the log is emptied first to keep the captured slice right."""
    reset_queries()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _trajectory_pages(world):
    pk = world.trajectory.pk
    return [
        reverse("research:registry", args=[pk]),
        reverse("research:key", args=[pk]),
        reverse("research:withdraw", args=[pk, f"u-{world.champion.pk}"]),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_trajectory_pages_are_for_the_research_team_only(world, client_for, persona):
    client = client_for(world.users[persona])
    for url in _trajectory_pages(world):
        status = client.get(url).status_code
        if persona in RESEARCH_TEAM:
            assert status == 200, url
        elif persona == "outsider":
            assert status == 404, url  # no role in this trajectory: it does not exist
        else:
            assert status == 403, (url, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_overview_and_audit_log_are_for_researchers_only(world, client_for, persona):
    client = client_for(world.users[persona])
    for url in (reverse("research:index"), reverse("research:audit_log")):
        expected = 200 if persona in RESEARCH_TEAM else 403
        assert client.get(url).status_code == expected, (url, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_posts_are_for_the_research_team_only(world, client_for, persona):
    pk = world.trajectory.pk
    alias = OrganisationAlias.objects.create(organisation=world.organisation, alias="het Baken")
    client = client_for(world.users[persona])
    posts = [
        (
            reverse("research:consent_add", args=[pk]),
            {"user": world.buddy.pk, "agreed_on": "2026-03-01"},
        ),
        (reverse("research:alias_add", args=[pk]), {"alias": "BC"}),
        (reverse("research:alias_remove", args=[pk, alias.pk]), {}),
        (reverse("research:withdraw", args=[pk, f"u-{world.manager.pk}"]), {}),
    ]
    for url, data in posts:
        status = client.post(url, data).status_code
        if persona in RESEARCH_TEAM:
            assert status == 302, url
        elif persona == "outsider":
            assert status == 404
        else:
            assert status == 403
    if persona not in RESEARCH_TEAM:
        assert not Withdrawal.objects.exists()
        assert OrganisationAlias.objects.filter(pk=alias.pk).exists()


def test_anonymous_visitors_are_sent_to_login(world, client):
    for url in [
        reverse("research:index"),
        reverse("research:audit_log"),
        *_trajectory_pages(world),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_navigation_shows_research_to_researchers_only(world, client_for):
    url = reverse("research:index")
    assert f'href="{url}"' in client_for(world.researcher).get("/").content.decode()
    assert f'href="{url}"' not in client_for(world.coach).get("/").content.decode()


def test_my_consent_is_in_the_menu_of_everyone_with_a_role(world, client_for):
    """Issue 15: "Mijn toestemming" is reachable from the navigation for every person who
    holds a role in a trajectory; it leads to their own page."""
    index = reverse("research:my_consent_index")
    own = reverse("research:my_consent", args=[world.trajectory.pk])
    for persona in ("coach", "researcher", "manager", "champion", "buddy", "participant"):
        client = client_for(world.users[persona])
        with translation.override("nl"):
            html = client.get("/").content.decode()
        assert f'href="{index}"' in html, persona
        assert "Mijn toestemming" in html, persona
        response = client.get(index)
        if persona == "coach":  # the coach holds a role in both trajectories: a choice
            assert response.status_code == 200
            assert f'href="{own}"' in response.content.decode()
        else:
            assert (response.status_code, response["Location"]) == (302, own), persona
    # People without a role in any trajectory have no own consent to give here.
    for persona in ("staff", "independent"):
        client = client_for(world.users[persona])
        assert f'href="{index}"' not in client.get("/").content.decode(), persona
        assert client.get(index).status_code == 200  # an empty state, not an error


def test_key_shows_pseudonyms_and_every_viewing_is_audited(world, client_for):
    guest = InviteeFactory(
        session=DialogueSessionFactory(trajectory=world.trajectory),
        name="Kees van Dam",
        email="kees@gast.test",
    )
    client = client_for(world.independent)
    response = client.get(reverse("research:key", args=[world.trajectory.pk]))
    html = response.content.decode()
    assert person_pseudonym(user=world.champion) in html
    assert "Sanne de Vries" in html
    assert person_pseudonym(invitee=guest) in html and "Kees van Dam" in html
    client.get(reverse("research:key", args=[world.trajectory.pk]))
    events = AuditEvent.objects.filter(action=AuditAction.VIEW_KEY)
    assert events.count() == 2
    assert {event.actor for event in events} == {world.independent}
    assert all(event.trajectory == world.trajectory for event in events)
    # The log holds codes, never names.
    assert "Sanne" not in str(list(events.values("target", "detail")))


def test_withdraw_page_explains_the_path_and_the_post_withdraws(world, client_for):
    session = DialogueSessionFactory(
        trajectory=world.trajectory, starts_at=timezone.now() - timedelta(days=1)
    )
    guest = InviteeFactory(session=session, name="Kees van Dam", email="kees@gast.test")
    dialogue_services.consent_record(invitee=guest, agreed=True)
    client = client_for(world.researcher)
    url = reverse("research:withdraw", args=[world.trajectory.pk, f"i-{guest.pk}"])
    page = client.get(url).content.decode()
    assert "Binnen de termijn" in page
    assert "Kees van Dam" in page
    response = client.post(url)
    assert response.status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert withdrawal.within_window and withdrawal.requested_by == world.researcher
    assert AuditEvent.objects.filter(action=AuditAction.WITHDRAW, actor=world.researcher).exists()
    # The old reference no longer exists.
    assert client.get(url).status_code == 404


def test_withdraw_page_after_the_window_says_collection_stops(world, client_for):
    EntryFactory(
        trajectory=world.trajectory,
        author=world.champion,
        submitted_at=timezone.now() - timedelta(days=30),
    )
    url = reverse("research:withdraw", args=[world.trajectory.pk, f"u-{world.champion.pk}"])
    page = client_for(world.researcher).get(url).content.decode()
    assert "Na de termijn" in page


def test_withdraw_refuses_people_of_other_trajectories(world, client_for):
    client = client_for(world.researcher)
    url = reverse("research:withdraw", args=[world.trajectory.pk, f"u-{world.outsider.pk}"])
    assert client.get(url).status_code == 404
    assert client.get(url.replace(f"u-{world.outsider.pk}", "x-1")).status_code == 404


def test_registry_lists_members_and_invitees_and_records_consent(world, client_for):
    session = DialogueSessionFactory(trajectory=world.trajectory)
    guest = InviteeFactory(session=session, name="Kees van Dam")
    dialogue_services.consent_record(invitee=guest, agreed=True)
    client = client_for(world.researcher)
    url = reverse("research:registry", args=[world.trajectory.pk])
    html = client.get(url).content.decode()
    for name in ("Sanne de Vries", "Jan-Willem van der Berg", "Fatima El Amrani", "Kees van Dam"):
        assert name in html
    url = reverse("research:consent_add", args=[world.trajectory.pk])
    before = Consent.objects.filter(user=world.buddy).count()
    # Without the signed form a researcher cannot record consent on someone's behalf.
    response = client.post(
        url, {"user": world.buddy.pk, "kind": "interview", "agreed_on": "2026-03-01"}, follow=True
    )
    assert "Ondertekend formulier" in response.content.decode()
    assert Consent.objects.filter(user=world.buddy).count() == before
    # Nor with a file that is no scan of a form.
    fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    response = client.post(
        url,
        {"user": world.buddy.pk, "kind": "interview", "agreed_on": "2026-03-01", "signed_form": fake},
        follow=True,
    )
    assert "PDF, JPEG of PNG" in response.content.decode()
    form = SimpleUploadedFile("form.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    response = client.post(
        url,
        {"user": world.buddy.pk, "kind": "interview", "agreed_on": "2026-03-01", "signed_form": form},
    )
    assert response.status_code == 302
    paper = Consent.objects.filter(user=world.buddy, via="paper").get()
    assert paper.kind == "interview" and paper.recorded_by == world.researcher
    assert paper.signed_form.name.startswith("private/consent-forms/")
    assert timezone.localtime(paper.at).date().isoformat() == "2026-03-01"
    event = AuditEvent.objects.get(action=AuditAction.RECORD_CONSENT, detail__via="paper")
    assert event.detail["via"] == "paper" and event.actor == world.researcher


def test_registry_query_count_does_not_grow(world, client_for):
    client = client_for(world.researcher)
    url = reverse("research:registry", args=[world.trajectory.pk])
    session = DialogueSessionFactory(trajectory=world.trajectory)
    InviteeFactory(session=session)
    client.get(url)
    small = count_queries(client, url)
    assert small <= 20
    for _n in range(10):
        guest = InviteeFactory(session=session)
        dialogue_services.consent_record(invitee=guest, agreed=True)
        MembershipFactory(trajectory=world.trajectory, user=UserFactory(), role=Role.CHAMPION)
    assert count_queries(client, url) == small


def test_audit_log_is_paginated_filtered_and_limited_to_own_studies(world, client_for):
    for n in range(30):
        audit_record(world.researcher, AuditAction.EXPORT, target=f"export:{n}", study=world.study)
    audit_record(
        world.researcher, AuditAction.VIEW_KEY, target="ORG-01", trajectory=world.trajectory
    )
    from tests.factories import StudyFactory

    audit_record(world.researcher, AuditAction.EXPORT, target="elsewhere", study=StudyFactory())
    client = client_for(world.independent)
    url = reverse("research:audit_log")
    first = client.get(url).content.decode()
    assert "Pagina 1 van 2" in first  # the shared pagination label
    second = client.get(url, {"page": 2}).content.decode()
    assert "elsewhere" not in first + second
    filtered = client.get(url, {"action": AuditAction.VIEW_KEY}).content.decode()
    assert "ORG-01" in filtered and "export:" not in filtered
    audit_record(
        world.independent, AuditAction.VIEW_KEY, target="ORG-02", trajectory=world.trajectory
    )
    by_actor = client.get(url, {"actor": world.independent.pk}).content.decode()
    assert "ORG-02" in by_actor and "ORG-01" not in by_actor


def test_audit_log_query_count_does_not_grow(world, client_for):
    client = client_for(world.researcher)
    url = reverse("research:audit_log")
    audit_record(world.researcher, AuditAction.EXPORT, study=world.study)
    client.get(url)
    small = count_queries(client, url)
    assert small <= 20
    for _n in range(20):
        audit_record(world.independent, AuditAction.VIEW_KEY, trajectory=world.trajectory)
    assert count_queries(client, url) == small


def test_key_query_count_does_not_grow(world, client_for):
    client = client_for(world.researcher)
    url = reverse("research:key", args=[world.trajectory.pk])
    session = DialogueSessionFactory(trajectory=world.trajectory)
    InviteeFactory(session=session)
    client.get(url)
    small = count_queries(client, url)
    assert small <= 40
    for _n in range(10):
        InviteeFactory(session=session)
        MembershipFactory(trajectory=world.trajectory, user=UserFactory(), role=Role.PARTICIPANT)
    client.get(url)  # the first view after newcomers allocates their pseudonyms
    assert count_queries(client, url) == small


def test_alias_is_added_and_removed_with_audit(world, client_for):
    client = client_for(world.researcher)
    client.post(reverse("research:alias_add", args=[world.trajectory.pk]), {"alias": "het Baken"})
    alias = OrganisationAlias.objects.get(organisation=world.organisation)
    assert alias.alias == "het Baken"
    response = client.post(
        reverse("research:alias_add", args=[world.trajectory.pk]), {"alias": "HET BAKEN"}
    )
    assert OrganisationAlias.objects.count() == 1
    assert response.status_code == 302
    client.post(reverse("research:alias_remove", args=[world.trajectory.pk, alias.pk]))
    assert not OrganisationAlias.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_ALIAS).count() == 2


def test_index_is_paged_searchable_and_costs_the_same_with_more_trajectories(world, client_for):
    client = client_for(world.researcher)
    url = reverse("research:index")
    client.get(url)
    before = count_queries(client, url)
    for n in range(30):
        trajectory = TrajectoryFactory(
            study=world.study, organisation=OrganisationFactory(name=f"Zuiderlicht College {n}")
        )
        MembershipFactory(trajectory=trajectory, user=world.researcher, role=Role.RESEARCHER)
    assert count_queries(client, url) == before
    html = client.get(url).content.decode()
    assert len(re.findall(r'href="/onderzoek/traject/\d+/toestemming/"', html)) == 25
    assert "Pagina 1 van 2" in html
    found = client.get(url, {"q": "Zuiderlicht College 7"}).content.decode()
    assert "Zuiderlicht College 7" in found and "Zuiderlicht College 8" not in found
    empty = client.get(url, {"q": "bestaat niet"}).content.decode()
    assert "bestaat niet" in empty and "Pagina" not in empty
