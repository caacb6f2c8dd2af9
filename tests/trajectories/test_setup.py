"""Setting up in the browser: studies, organisations, trajectories, people and invitations."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from accounts.services import administrator_make
from logbooks.models import Entry
from tests.factories import StudyMembershipFactory, UserFactory
from tests.logbooks.factories import EntryFactory
from trajectories import services
from trajectories.models import (
    HistoryEvent,
    HistoryKind,
    Location,
    Membership,
    Organisation,
    Phase,
    Role,
    Study,
    StudyMembership,
    StudyRole,
    Trajectory,
)

pytestmark = pytest.mark.django_db

NEW_SCHOOL = {
    "name": "Christelijk College De Brug",
    "short_name": "De Brug",
    "kind": "school",
    "sector": "vmbo",
    "locations": "Hoofdgebouw, Zwolle\nDependance Zuid, Zwolle\n",
    "starts_on": "2026-12-07",
    "ends_on": "2027-07-09",
}


def set_password_path(message) -> str:
    match = re.search(r"http://[^/\s]+(/account/uitnodiging/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture(autouse=True)
def tasks_run_at_once(monkeypatch):
    """Eager tasks run on commit, which a test's transaction never reaches: run them
    when they are enqueued (the real worker does the same in the browser journey)."""
    from types import SimpleNamespace

    from django.db import transaction

    from lobtraject import outbox

    monkeypatch.setattr(
        outbox, "transaction", SimpleNamespace(on_commit=lambda fn: fn(), atomic=transaction.atomic)
    )


@pytest.fixture
def study_coach(world):
    StudyMembershipFactory(study=world.study, user=world.coach, role=StudyRole.COACH)
    return world.coach


# --- studies ---------------------------------------------------------------------------


def test_administrator_creates_a_study_and_its_team_gets_invited(world, client_for):
    client = client_for(world.staff)
    response = client.post(
        "/trajecten/onderzoeken/",
        {"name": "LOB in het team — cohort najaar 2027", "starts_on": "2027-09-01"},
    )
    study = Study.objects.get(name="LOB in het team — cohort najaar 2027")
    assert response.status_code == 302 and response.url == f"/trajecten/onderzoeken/{study.pk}/"
    response = client.post(
        f"/trajecten/onderzoeken/{study.pk}/",
        {"role": "coach", "email": "Ilse.Smit@hu.test", "first_name": "Ilse", "last_name": "Smit"},
    )
    assert response.status_code == 302
    assert StudyMembership.objects.filter(
        study=study, user__email="ilse.smit@hu.test", role="coach"
    ).exists()
    (message,) = mail.outbox
    assert message.to == ["ilse.smit@hu.test"]
    assert "onderzoeksteam" in message.body and study.name in message.body
    # The same name again, in other capitals, is refused with a message.
    again = client.post("/trajecten/onderzoeken/", {"name": "lob in het team — cohort najaar 2027"})
    assert again.status_code == 200
    assert "bestaat al" in again.content.decode()
    assert Study.objects.filter(name__iexact=study.name).count() == 1


@pytest.mark.parametrize("persona", ["coach", "researcher", "champion", "manager", "outsider"])
def test_only_the_administrator_manages_studies(world, client_for, persona):
    client = client_for(world.users[persona])
    assert client.get("/trajecten/onderzoeken/").status_code == 403
    assert client.get(f"/trajecten/onderzoeken/{world.study.pk}/").status_code == 403


# --- organisations and trajectories --------------------------------------------------


def test_coach_registers_an_organisation_and_opens_its_trajectory(world, study_coach, client_for):
    client = client_for(study_coach)
    assert "Registreer een organisatie" in client.get("/trajecten/").content.decode()
    response = client.post("/trajecten/nieuw/", {**NEW_SCHOOL, "study": world.study.pk})
    organisation = Organisation.objects.get(name="Christelijk College De Brug")
    trajectory = Trajectory.objects.get(organisation=organisation)
    assert response.status_code == 302 and response.url == f"/trajecten/{trajectory.pk}/"
    assert trajectory.phase == Phase.RECRUITMENT and trajectory.study == world.study
    assert sorted(
        Location.objects.filter(organisation=organisation).values_list("name", "city")
    ) == [
        ("Dependance Zuid", "Zwolle"),
        ("Hoofdgebouw", "Zwolle"),
    ]
    assert Membership.objects.filter(
        trajectory=trajectory, user=study_coach, role=Role.COACH
    ).exists()
    kinds = list(HistoryEvent.objects.filter(trajectory=trajectory).values_list("kind", flat=True))
    assert kinds == [HistoryKind.CREATED, HistoryKind.PERSON_ADDED]
    page = client.get(f"/trajecten/{trajectory.pk}/").content.decode()
    assert "Traject geopend" in page


@pytest.mark.parametrize("name", ["het baken college", "  HET BAKEN COLLEGE "])
def test_the_same_organisation_name_in_other_capitals_is_caught(
    world, study_coach, client_for, name
):
    response = client_for(study_coach).post(
        "/trajecten/nieuw/", {**NEW_SCHOOL, "name": name, "study": world.study.pk}
    )
    assert response.status_code == 200
    assert "Er bestaat al een organisatie met deze naam" in response.content.decode()
    assert Organisation.objects.filter(name__iexact="het baken college").count() == 1
    with pytest.raises(ValidationError):
        services.trajectory_open(
            study=world.study, name=name, sector="vmbo", kind="school", by=study_coach
        )


def test_a_coach_opens_trajectories_only_in_the_studies_they_coach(world, client_for):
    other_study = Study.objects.create(name="Ander onderzoek")
    client = client_for(world.coach)  # coach of trajectories, but in no study's team
    assert client.get("/trajecten/nieuw/").status_code == 403
    StudyMembershipFactory(study=world.study, user=world.coach, role=StudyRole.COACH)
    response = client.post("/trajecten/nieuw/", {**NEW_SCHOOL, "study": other_study.pk})
    assert (
        response.status_code == 200
        and not Organisation.objects.filter(name=NEW_SCHOOL["name"]).exists()
    )


def test_organisation_details_are_edited_and_written_to_the_history(world, client_for):
    client = client_for(world.coach)
    url = f"/trajecten/{world.trajectory.pk}/organisatie/"
    response = client.post(
        url,
        {
            "name": "Het Baken College Almere",
            "kind": "school",
            "sector": "havo_vwo",
            "locations": "Noord, Almere",
        },
    )
    assert response.status_code == 302
    world.organisation.refresh_from_db()
    assert world.organisation.name == "Het Baken College Almere"
    assert world.organisation.locations.get().city == "Almere"
    assert HistoryEvent.objects.filter(
        kind=HistoryKind.ORGANISATION_CHANGED, by=world.coach
    ).exists()
    taken = client.post(url, {"name": "roc de delta", "kind": "school", "sector": "mbo"})
    assert "Er bestaat al een organisatie met deze naam" in taken.content.decode()


def test_an_outsider_gets_404_on_another_organisations_setup_and_people_pages(world, client_for):
    client = client_for(world.outsider)
    t = world.trajectory.pk
    membership = Membership.objects.get(trajectory=world.trajectory, role=Role.PARTICIPANT)
    for url in (
        f"/trajecten/{t}/organisatie/",
        f"/trajecten/{t}/mensen/",
        f"/trajecten/{t}/mensen/{membership.pk}/verwijderen/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/trajecten/{t}/mensen/",
        f"/trajecten/{t}/mensen/opnieuw/",
        f"/trajecten/{t}/mensen/{membership.pk}/verwijderen/",
        f"/trajecten/{t}/mensen/{membership.pk}/uitnodiging/",
    ):
        assert client.post(url, {"role": "participant", "email": "x@y.test"}).status_code == 404, (
            url
        )
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- people and invitations ----------------------------------------------------------


def test_coach_adds_a_champion_who_is_invited_and_sets_a_password(world, client, client_for):
    response = client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/mensen/",
        {
            "role": "champion",
            "email": "Lotte.Bakker@school.test",
            "first_name": "Lotte",
            "last_name": "Bakker",
        },
    )
    assert response.status_code == 302
    user = Membership.objects.get(
        trajectory=world.trajectory, user__email="lotte.bakker@school.test"
    ).user
    assert not user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["lotte.bakker@school.test"]
    assert "Het Baken College" in message.body and "aanjager" in message.body
    assert "Marieke van der Linden" in message.body
    path = set_password_path(message)
    form = client.get(path, follow=True)
    assert b'name="new_password1"' in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Loopbaan-2027!", "new_password2": "Loopbaan-2027!"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/"
    user.refresh_from_db()
    assert user.check_password("Loopbaan-2027!")
    assert done.context["user"] == user  # logged in
    # Used once: the link no longer works.
    client.logout()
    assert b"niet meer geldig" in client.get(path, follow=True).content
    kinds = set(HistoryEvent.objects.filter(person=user).values_list("kind", flat=True))
    assert kinds == {HistoryKind.PERSON_ADDED, HistoryKind.INVITATION_SENT}


def test_someone_who_already_logs_in_gets_a_notice_instead(world, client_for):
    existing = UserFactory(email="fatima.manager@school.test", first_name="Fatima")
    client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/mensen/",
        {
            "role": "manager",
            "email": "FATIMA.manager@school.test",
            "first_name": "F",
            "last_name": "X",
        },
    )
    assert Membership.objects.filter(user=existing, role=Role.MANAGER).exists()
    (message,) = mail.outbox
    assert "/account/uitnodiging/" not in message.body
    assert "/account/inloggen/" in message.body
    assert HistoryEvent.objects.filter(person=existing, kind=HistoryKind.NOTICE_SENT).exists()


@override_settings(INVITATION_TIMEOUT=-1)
def test_an_expired_invitation_link_is_refused(world, client, client_for):
    client_for(world.coach).post(
        f"/trajecten/{world.trajectory.pk}/mensen/",
        {
            "role": "buddy",
            "email": "nieuw@school.test",
            "first_name": "Nieuw",
            "last_name": "Maatje",
        },
    )
    response = client.get(set_password_path(mail.outbox[0]), follow=True)
    assert b"niet meer geldig" in response.content
    assert b'name="new_password1"' not in response.content


def test_the_invitation_can_be_sent_again(world, client_for):
    client = client_for(world.coach)
    client.post(
        f"/trajecten/{world.trajectory.pk}/mensen/",
        {
            "role": "buddy",
            "email": "nieuw@school.test",
            "first_name": "Nieuw",
            "last_name": "Maatje",
        },
    )
    membership = Membership.objects.get(user__email="nieuw@school.test")
    page = client.get(f"/trajecten/{world.trajectory.pk}/mensen/").content.decode()
    assert "Uitnodiging opnieuw sturen" in page
    response = client.post(f"/trajecten/{world.trajectory.pk}/mensen/{membership.pk}/uitnodiging/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and set_password_path(mail.outbox[1])


def test_a_champion_adds_participants_but_no_manager_or_coach(world, client_for):
    client = client_for(world.champion)
    url = f"/trajecten/{world.trajectory.pk}/mensen/"
    for role in ("manager", "coach", "champion", "buddy"):
        response = client.post(
            url, {"role": role, "email": f"{role}@school.test", "first_name": "A", "last_name": "B"}
        )
        assert response.status_code == 200, role
        assert not Membership.objects.filter(user__email=f"{role}@school.test").exists(), role
    with pytest.raises(ValidationError):
        services.person_assign(
            trajectory=world.trajectory,
            role=Role.MANAGER,
            email="m@school.test",
            first_name="M",
            last_name="N",
            by=world.champion,
        )
    response = client.post(
        url,
        {
            "role": "participant",
            "email": "docent@school.test",
            "first_name": "Daan",
            "last_name": "Visser",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user__email="docent@school.test", role=Role.PARTICIPANT
    ).exists()
    # Nor can the champion remove the team coach or the manager.
    manager = Membership.objects.get(trajectory=world.trajectory, role=Role.MANAGER)
    assert client.get(f"{url}{manager.pk}/verwijderen/").status_code == 403
    assert client.post(f"{url}{manager.pk}/verwijderen/").status_code == 403
    assert Membership.objects.filter(pk=manager.pk).exists()


def test_removed_person_loses_access_keeps_data_and_can_be_added_again(world, client_for):
    EntryFactory(trajectory=world.trajectory, author=world.buddy, author_role="buddy")
    coach = client_for(world.coach)
    buddy = client_for(world.buddy)
    t = world.trajectory.pk
    assert buddy.get(f"/trajecten/{t}/").status_code == 200
    membership = Membership.objects.get(trajectory=world.trajectory, user=world.buddy)
    confirm = coach.get(f"/trajecten/{t}/mensen/{membership.pk}/verwijderen/")
    assert "Ja, verwijderen" in confirm.content.decode()
    assert coach.post(f"/trajecten/{t}/mensen/{membership.pk}/verwijderen/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert client_for(world.buddy).get(f"/trajecten/{t}/").status_code == 404
    assert Entry.objects.filter(author=world.buddy).count() == 1  # research data stay
    page = coach.get(f"/trajecten/{t}/mensen/").content.decode()
    assert "Eerder verwijderd" in page and "Jan-Willem van der Berg" in page
    response = coach.post(
        f"/trajecten/{t}/mensen/opnieuw/", {"user": world.buddy.pk, "role": "buddy"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        trajectory=world.trajectory, user=world.buddy, role="buddy"
    ).exists()
    assert client_for(world.buddy).get(f"/trajecten/{t}/").status_code == 200
    kinds = list(
        HistoryEvent.objects.filter(person=world.buddy)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        HistoryKind.PERSON_REMOVED,
        HistoryKind.PERSON_READDED,
        HistoryKind.NOTICE_SENT,
    ]
    history = coach.get(f"/trajecten/{t}/").content.decode()
    assert "Persoon verwijderd" in history and "Persoon opnieuw toegevoegd" in history


def test_nobody_removes_themselves_and_readding_needs_a_removal(world, client_for):
    own = Membership.objects.create(trajectory=world.trajectory, user=world.staff, role=Role.COACH)
    with pytest.raises(ValidationError):
        services.person_remove(membership=own, by=world.staff)
    assert Membership.objects.filter(pk=own.pk).exists()
    with pytest.raises(ValidationError):
        services.person_readd(
            trajectory=world.trajectory, user_id=world.outsider.pk, role="champion", by=world.coach
        )


def test_the_administrator_adds_the_team_coach(world, client_for):
    response = client_for(world.staff).post(
        f"/trajecten/{world.other.pk}/mensen/",
        {"role": "coach", "email": "coach2@hu.test", "first_name": "Ilse", "last_name": "Smit"},
    )
    assert response.status_code == 302
    user = Membership.objects.get(
        trajectory=world.other, role=Role.COACH, user__email="coach2@hu.test"
    ).user
    # The trajectory's coach is in its study's team, so they can open the next ones.
    assert StudyMembership.objects.filter(
        study=world.study, user=user, role=StudyRole.COACH
    ).exists()


def test_the_demo_administrator_can_work_in_django_admin(world, client_for):
    administrator_make(world.staff)
    client = client_for(world.staff)
    assert client.get("/beheer/").status_code == 200
    for path in (
        "trajectories/organisation/",
        "trajectories/study/",
        "accounts/user/",
        "trajectories/trajectory/",
    ):
        assert client.get(f"/beheer/{path}").status_code == 200, path
    # Research data stay out of reach, also in admin.
    assert client.get("/beheer/research/researchconsent/").status_code in (403, 404)


# --- champions plan half-days -----------------------------------------------------------


@pytest.mark.parametrize("persona", ["champion", "buddy"])
def test_champions_and_buddies_plan_half_days(world, client_for, persona):
    response = client_for(world.users[persona]).post(
        f"/trajecten/{world.trajectory.pk}/planning/nieuw/",
        {
            "title": "Training mentoren",
            "starts_at": "2026-04-14T13:00",
            "ends_at": "2026-04-14T16:30",
            "place": "Aula",
            "unit": "year_group",
            "intervention_types": ["training"],
            "goals": ["2"],
        },
    )
    assert response.status_code == 302
    assert world.trajectory.half_days.get().title == "Training mentoren"


def test_the_manager_still_cannot_plan(world, client_for):
    assert (
        client_for(world.manager)
        .get(f"/trajecten/{world.trajectory.pk}/planning/nieuw/")
        .status_code
        == 403
    )


# --- notification preferences -----------------------------------------------------------


def test_each_person_chooses_their_notification_emails(world, client_for):
    client = client_for(world.champion)
    page = client.get("/account/voorkeuren/").content.decode()
    assert "Een startdocument wacht op je handtekening" in page
    response = client.post(
        "/account/voorkeuren/", {"kinds": ["report_ready"], "weekly_digest": "on"}
    )
    assert response.status_code == 302
    preference = world.champion.notification_preference
    assert preference.weekly_digest and preference.wants("report_ready")
    assert not preference.wants("sign_agreement")


def test_make_run_and_the_readme_say_how_to_start_from_scratch():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    run_target = root.joinpath("Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "from scratch" in run_target and "teamcoach@demo.test" in run_target
    assert "createsuperuser" in run_target
    readme = root.joinpath("README.md").read_text()
    assert "**Starting a new school from scratch:**" in readme
