"""Harvest reports, portraits and the per-goal trajectory summary as PDF: their
text, figures, classification metadata and who gets which version."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from dialogues.models import Invitee
from logbooks.models import Entry, EntryStatus
from reports import services
from reports.models import Audience, Portrait, Report, ReportStatus
from research.pseudonymise import organisation_code
from tests.conftest import PERSONAS
from tests.dialogues.factories import DialogueSessionFactory
from tests.factories import HalfDayFactory
from tests.logbooks.factories import EntryFactory
from tests.reports.material import SUMMARY_RESEARCH_FIELDS, final_harvest, plant_markers, squeeze
from tests.reports.test_reports import pdf_text

pytestmark = pytest.mark.django_db


def build(tmp_path: Path, kind: str, object_id: int, audience: str = "research_team") -> Path:
    out = tmp_path / f"{kind}-{audience}.pdf"
    call_command("build_report", kind=kind, object_id=object_id, out=out, audience=audience,
                 stdout=StringIO())
    return out


def metadata(path: Path) -> dict:
    return dict(PdfReader(path).metadata)


# --- harvest report ----------------------------------------------------------


def test_harvest_pdf_for_the_research_team_names_who_approved(world, tmp_path):
    harvest = final_harvest(world)
    out = build(tmp_path, "harvest", harvest.session.pk)
    text = pdf_text(out)
    for heading in ("Inhoud", "De sessie", "Het oogstverslag", "Goedkeuring door de deelnemers",
                    "De oogst zoals verzameld"):
        assert heading in text, heading
    assert "Oogstverslag — Het Baken College" in text
    assert "Het team wil loopbaangesprekken vaker samen voorbereiden." in text
    # Who approved, with Dutch characters intact; Kees did not consent and is not listed.
    for name in ("Anaïs Geërts", "Zoë van Dijk", "Joëlle Smit"):
        assert name in text
    assert "Kees Bakker" not in text
    assert "Goedgekeurd door 3 van de 3 deelnemers die toestemming gaven." in text
    assert "Door iedereen goedgekeurd" in text  # the status on the cover
    # The harvest items, grouped per goal.
    assert "Meer tijd voor ideeën uitwisselen." in text
    assert "Niet aan een doel gekoppeld" in text
    assert "Pagina 2 van" in text


def test_harvest_pdf_for_participants_gives_counts_not_names(world, tmp_path):
    harvest = final_harvest(world, change_first=True)
    out = build(tmp_path, "harvest", harvest.session.pk, audience="participants")
    text = pdf_text(out)
    assert "Het oogstverslag" in text
    assert "Aangepast." in text  # the approved second version, not the first
    assert "versie 2" in text
    assert "Goedgekeurd door 3 van de 3 deelnemers die toestemming gaven." in text
    for name in ("Anaïs Geërts", "Zoë van Dijk", "Joëlle Smit"):
        assert name not in text
    assert "De oogst zoals verzameld" not in text
    assert "Meer tijd voor ideeën uitwisselen." not in text
    assert "Graag mijn naam weglaten." not in text
    assert "Deelnemers en teamcoach" in text
    # The cover and the session details name the organisation by its code, never by name.
    code = organisation_code(world.organisation)
    cover = text.split("Inhoud", 1)[0]
    assert f"Oogstverslag — {code}," in cover
    assert code in text.split("De sessie", 1)[1]
    assert "Het Baken College" not in text and "Baken" not in text


def test_harvest_pdf_is_refused_until_the_report_is_final(world, tmp_path):
    session = DialogueSessionFactory(trajectory=world.trajectory, facilitator=world.coach,
                                     researcher=world.researcher)
    with pytest.raises(CommandError, match="nog niet goedgekeurd"):
        build(tmp_path, "harvest", session.pk)
    with pytest.raises(ValidationError):
        services.report_request(user=world.researcher, kind="harvest", object_id=session.pk)
    assert not Report.objects.exists()


def test_harvest_is_not_made_for_managers(world):
    harvest = final_harvest(world)
    with pytest.raises(ValidationError):
        services.report_request(user=world.researcher, kind="harvest",
                                object_id=harvest.session.pk, audience=Audience.MANAGER)


# --- portrait --------------------------------------------------------------------


def _portrait(world, **fields):
    values = {
        "student_count": 1250,
        "student_note": "Verdeeld over de vmbo-basis en de kaderberoepsgerichte leerweg.",
        "vision": "De school ziet LOB als een gedeelde opdracht van het hele team; ideeën "
                  "van leerlingen zijn het vertrekpunt.",
        "provision": "Mentorlessen, een keuzeweek en gesprekken met ouders.",
        "staff_policy": "Elke mentor volgt een korte scholing in loopbaangesprekken.",
        "expectations": "Docenten beïnvloeden keuzes bewust en met een open blik.",
        "bottlenecks": "Te weinig tijd in het rooster; wens: vaste overlegmomenten.",
        "recommendations": "Maak de visie zichtbaar in de teamplannen.",
    }
    values.update(fields)
    return services.portrait_save(organisation=world.organisation, user=world.researcher,
                                  **values)


def test_portrait_pdf_has_sections_and_figures_from_the_database(world, tmp_path):
    _portrait(world)
    final_harvest(world)  # one start dialogue held, 3 participants consented (Kees did not)
    follow_up = DialogueSessionFactory(trajectory=world.trajectory, facilitator=world.coach,
                                       researcher=world.researcher, kind="follow_up",
                                       starts_at=timezone.now() - timedelta(days=3))
    from dialogues import services as dialogue_services

    again = Invitee.objects.create(session=follow_up, name="Anaïs Geërts",
                                   email="anais@school.test")  # the same person: counted once
    dialogue_services.consent_record(invitee=again, agreed=True)
    DialogueSessionFactory(trajectory=world.trajectory, facilitator=world.coach,
                           researcher=world.researcher,
                           starts_at=timezone.now() + timedelta(days=3))  # still to come: not counted
    HalfDayFactory.create_batch(2, trajectory=world.trajectory,
                                starts_at=timezone.now() - timedelta(days=10))
    HalfDayFactory(trajectory=world.trajectory)  # planned
    out = build(tmp_path, "portrait", world.organisation.pk)
    text = pdf_text(out)
    for heading in ("Kerncijfers", "Hoe de organisatie naar LOB kijkt", "Waaruit LOB hier bestaat",
                    "Personeels- en professionaliseringsbeleid",
                    "Wat van de professionals verwacht wordt", "Knelpunten en wensen",
                    "En nu verder: aanbevelingen"):
        assert heading in text, heading
    assert figure(text, "Aantal studenten") == "1250"
    assert figure(text, "Gehouden dialoogsessies") == "2"
    assert figure(text, "waarvan startdialogen") == "1"
    assert figure(text, "Deelnemers aan de dialogen") == "3"
    assert figure(text, "Dagdelen gehouden") == "2"
    assert figure(text, "Gehouden slotinterviews") == "0"
    assert "ideeën" in text and "beïnvloeden" in text
    assert "Portret — Het Baken College" in text


def figure(text: str, label: str) -> str:
    for line in text.splitlines():
        if line.strip().startswith(label):
            return line.split()[-1]
    raise AssertionError(f"no figure for {label}")


def test_empty_portrait_says_which_sections_are_missing(world, tmp_path):
    text = pdf_text(build(tmp_path, "portrait", world.organisation.pk))
    assert text.count("Dit onderdeel is nog niet geschreven.") == 6
    assert figure(text, "Aantal studenten") == "onbekend"


@pytest.mark.parametrize("persona", PERSONAS)
def test_portrait_page_per_role(world, client_for, persona):
    expected = {"researcher": 200, "independent": 200, "outsider": 404}.get(persona, 403)
    response = client_for(world.users[persona]).get(f"/rapporten/portret/{world.organisation.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert "Portret van Het Baken College" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_portrait_save_per_role(world, client_for, persona):
    expected = {"researcher": 302, "independent": 302, "outsider": 404}.get(persona, 403)
    response = client_for(world.users[persona]).post(
        f"/rapporten/portret/{world.organisation.pk}/",
        {"student_count": "800", "vision": "Een visie in wording."},
    )
    assert response.status_code == expected
    assert Portrait.objects.exists() is (expected == 302)


def test_portrait_page_sends_anonymous_to_login(world, client):
    response = client.get(f"/rapporten/portret/{world.organisation.pk}/")
    assert response.status_code == 302
    assert "/login" in response.url or "inloggen" in response.url


def test_portrait_form_saves_and_shows_dutch_errors(world, client_for):
    client = client_for(world.researcher)
    url = f"/rapporten/portret/{world.organisation.pk}/"
    bad = client.post(url, {"student_count": "-5"})
    assert bad.status_code == 200
    assert "Zorg ervoor dat deze waarde minstens 0 is." in bad.content.decode()
    response = client.post(url, {"student_count": "640", "vision": "Samen verantwoordelijk.",
                                 "recommendations": "Blijf dialogen houden."}, follow=True)
    assert "Het portret is opgeslagen." in response.content.decode()
    portrait = Portrait.objects.get(organisation=world.organisation)
    assert (portrait.student_count, portrait.vision, portrait.updated_by) == (
        640, "Samen verantwoordelijk.", world.researcher)
    # A second save updates the same portrait.
    client.post(url, {"student_count": "650"})
    assert Portrait.objects.get().student_count == 650


# --- trajectory summary per goal; the manager's version -------------------------


def test_manager_summary_has_no_private_text_and_research_summary_has_it(world, tmp_path):
    codes = plant_markers(world)
    manager = squeeze(pdf_text(build(tmp_path, "summary", world.trajectory.pk, "manager")))
    leaked = {field for field, code in codes.items() if code in manager}
    assert not leaked, f"private text in the manager's version: {sorted(leaked)}"
    research = squeeze(pdf_text(build(tmp_path, "summary", world.trajectory.pk)))
    missing = {field for field in SUMMARY_RESEARCH_FIELDS if codes[field] not in research}
    assert not missing, f"research version lacks: {sorted(missing)}"
    # The manager still sees figures, phases and goal statuses, but not what an
    # interviewee answered, nor who missed their interview and why.
    assert "Doel1:" in manager and "deelsbereikt" in manager
    assert "1slotinterviewgingnietdoor." in manager
    assert "volgensdeslotinterviews" not in manager
    assert "wisselingvanbaan" not in manager
    assert "Leidinggevenden" in manager or "Management" in manager


def test_summary_per_goal_shows_steps_factors_statuses_and_still_needed(world, tmp_path):
    plant_markers(world)
    EntryFactory.create_batch(3, trajectory=world.trajectory, author=world.buddy,
                              author_role="buddy", goal_2=True,
                              actions="Wij bespraken de rol van de mentor.")
    EntryFactory(trajectory=world.trajectory, author=world.coach, author_role="coach",
                 goal_2=True, status=EntryStatus.DRAFT, submitted_at=None,
                 actions="Concept dat niemand mag lezen.")
    text = pdf_text(build(tmp_path, "summary", world.trajectory.pk))
    for heading in ("Het startdocument in het kort", "Dagdelen", "De vier doelen",
                    "Gezette stappen", "Wat hielp", "Wat belemmerde", "Voortgang van de doelen",
                    "Slotinterviews en wat er nog nodig is", "Wat er nog nodig is",
                    "Observatie- en gespreksnotities"):
        assert heading in text, heading
    assert "Concept dat niemand mag lezen." not in text  # drafts belong to their author
    goal_two = Entry.objects.filter(trajectory=world.trajectory, goal_2=True,
                                    status=EntryStatus.SUBMITTED).count()
    assert goal_two == 3
    flat = " ".join(text.split())
    assert f"Logboekbijdragen over dit doel {goal_two}" in flat
    assert "training voor (een deel van) een team" in flat
    assert "Facilitering van de aanjager 2,0 uren per week" in flat
    assert "Bereikt, volgens de slotinterviews aanjager: deels" in flat
    assert "leidinggevende wisseling van baan" in flat  # the missed interview and its reason
    # The organisation's own sub-goal, with its status and the closing interview's answer.
    assert "Eigen subdoelen van de organisatie" in flat
    assert "Mentoren voeren elk jaar een loopbaangesprek Status bereikt" in flat


# --- classification on the cover and in the metadata ----------------------------


@pytest.mark.parametrize("kind", ["harvest", "summary", "portrait", "crosscase", "synthesis"])
def test_every_kind_carries_the_classification(world, kind, tmp_path,
                                               django_capture_on_commit_callbacks):
    object_id = {
        "harvest": lambda: final_harvest(world).session.pk,
        "summary": lambda: world.trajectory.pk,
        "portrait": lambda: world.organisation.pk,
        "crosscase": lambda: world.study.pk,
        "synthesis": lambda: world.study.pk,
    }[kind]()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(user=world.researcher, kind=kind, object_id=object_id,
                                          theme="equal_opportunities",
                                          publication_type="article")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    path = Path(report.file.path)
    text = " ".join(pdf_text(path).split())
    year = timezone.localdate().year
    assert "Thema: Kansengelijkheid" in text
    assert "Soort publicatie: Artikel" in text
    assert f"Jaar: {year}" in text
    info = metadata(path)
    assert "Kansengelijkheid" in info["/Keywords"]
    assert "Artikel" in info["/Keywords"]
    assert info["/classificationtheme"] == "Kansengelijkheid"
    assert info["/classificationyear"] == str(year)
    assert info["/classificationpublicationtype"] == "Artikel"
    assert info["/Title"] == report.title
    if kind not in ("crosscase", "synthesis"):
        assert "Sector: vmbo" in text
        assert info["/classificationsector"] == "vmbo"


# --- requesting the new kinds, per role ------------------------------------------

HARVEST_RESEARCH = {"researcher": 302, "independent": 302, "outsider": 404, "participant": 403}
HARVEST_PARTICIPANTS = {"researcher": 302, "independent": 302, "coach": 302, "outsider": 404}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("audience,table", [("research_team", HARVEST_RESEARCH),
                                            ("participants", HARVEST_PARTICIPANTS)])
def test_request_harvest_per_role(world, client_for, persona, audience, table,
                                  django_capture_on_commit_callbacks):
    harvest = final_harvest(world)
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(world.users[persona]).post("/rapporten/aanvragen/", {
            "kind": "harvest", "object_id": harvest.session.pk, "audience": audience,
            "theme": "professionalisation", "publication_type": "research_report"})
    assert response.status_code == table.get(persona, 403)
    assert Report.objects.exists() is (response.status_code == 302)


@pytest.mark.parametrize("persona", PERSONAS)
def test_request_portrait_per_role(world, client_for, persona,
                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(world.users[persona]).post("/rapporten/aanvragen/", {
            "kind": "portrait", "object_id": world.organisation.pk, "audience": "research_team",
            "theme": "professionalisation", "publication_type": "research_report"})
    expected = {"researcher": 302, "independent": 302, "outsider": 404}.get(persona, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_new_report_kinds_per_role(world, client_for, persona,
                                   django_capture_on_commit_callbacks):
    harvest = final_harvest(world)
    with django_capture_on_commit_callbacks(execute=True):
        research = services.report_request(user=world.researcher, kind="harvest",
                                           object_id=harvest.session.pk)
        shared = services.report_request(user=world.researcher, kind="harvest",
                                         object_id=harvest.session.pk,
                                         audience=Audience.PARTICIPANTS)
        portrait = services.report_request(user=world.researcher, kind="portrait",
                                           object_id=world.organisation.pk)
    research_team = persona in {"researcher", "independent"}
    denied = 404 if persona == "outsider" else 403
    client = client_for(world.users[persona])
    for report, allowed in ((research, research_team), (portrait, research_team),
                            (shared, research_team or persona == "coach")):
        for suffix in ("", "status/", "download/"):
            status = client.get(f"/rapporten/{report.pk}/{suffix}").status_code
            assert status == (200 if allowed else denied), (report.kind, suffix)
    listing = client.get("/rapporten/")
    if listing.status_code == 200:
        html = listing.content.decode()
        assert (research.title in html) is (research_team or persona == "coach")


def test_report_page_offers_harvest_and_portrait(world, client_for):
    harvest = final_harvest(world)
    DialogueSessionFactory(trajectory=world.trajectory, facilitator=world.coach,
                           researcher=world.researcher)  # no report yet: not offered
    html = client_for(world.researcher).get("/rapporten/").content.decode()
    assert html.count('value="harvest"') == 2  # research team and participants version
    assert f'name="object_id" value="{harvest.session.pk}"' in html
    assert f"/rapporten/portret/{world.organisation.pk}/" in html
    coach = client_for(world.coach).get("/rapporten/").content.decode()
    assert coach.count('value="harvest"') == 1  # the participants' version only
    assert "/rapporten/portret/" not in coach


# --- pseudonymised text for audiences outside the research team -------------------

NAMED_BODY = ("Anaïs Geërts vertelde dat Sanne de Vries de visie van Het Baken College "
              "helder vond. Mail anais@school.test voor vragen.")


def test_participants_harvest_is_pseudonymised_and_research_version_is_not(world, tmp_path):
    harvest = final_harvest(world, body=NAMED_BODY)
    shared = " ".join(pdf_text(build(tmp_path, "harvest", harvest.session.pk,
                                     "participants")).split())
    for name in ("Anaïs", "Geërts", "Sanne de Vries", "anais@school.test"):
        assert name not in shared, name
    assert "de visie van Het Baken College" not in shared
    assert "vertelde dat" in shared and "[e-mail]" in shared
    research = " ".join(pdf_text(build(tmp_path, "harvest", harvest.session.pk)).split())
    assert NAMED_BODY in research


def test_public_text_is_the_one_gate_for_free_text(world):
    from reports.builders.base import _public_text

    text = "Sanne de Vries sprak met Fatima El Amrani over Het Baken College."
    assert _public_text(text, Audience.RESEARCH_TEAM) == text
    for audience in (Audience.MANAGER, Audience.PARTICIPANTS):
        public = _public_text(text, audience)
        assert "Sanne" not in public and "El Amrani" not in public
        assert "Baken" not in public
        assert "sprak met" in public
    assert _public_text("", Audience.MANAGER) == ""


@pytest.mark.parametrize("audience", ["research_team", "manager"])
def test_summary_query_count_does_not_grow_with_the_material(world, audience):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            services.report_html(kind="summary", object_id=world.trajectory.pk, audience=audience)
        return len(queries)

    plant_markers(world)
    count()  # the first export allocates pseudonyms; later ones only read them
    before = count()
    for week in range(20, 40):
        EntryFactory(trajectory=world.trajectory, author=world.buddy, author_role="buddy",
                     iso_week=week, goal_1=True, goal_4=week % 2 == 0)
    HalfDayFactory.create_batch(4, trajectory=world.trajectory, goals=[2, 3],
                                learning_outcomes="Wat het team leerde.",
                                starts_at=timezone.now() - timedelta(days=9))
    harvest = final_harvest(world)
    from dialogues.models import HarvestItem

    HarvestItem.objects.create(session=harvest.session, invitee=harvest.people[1], goal=4,
                               text="Nog een inzicht.")
    assert count() == before


def test_crosscase_counts_interviews_interventions_and_data_points(world, tmp_path):
    import re

    codes = plant_markers(world)  # vmbo: champion interviewed, manager missed (change of job)
    text = pdf_text(build(tmp_path, "crosscase", world.study.pk))
    for heading in ("Slotinterviews per sector en rol", "Datapunten per bron",
                    "Soorten interventies in de gehouden dagdelen",
                    "Interviews die niet doorgingen"):
        assert heading in text, heading

    def row(label: str, size: int) -> list[str]:
        pattern = re.compile(rf"^\s*{re.escape(label)}((?:\s+\d+){{{size}}})\s*$", re.MULTILINE)
        return [match.split() for match in pattern.findall(text)]

    # Closing interviews: champion, buddy, manager held, then missed.
    assert ["1", "0", "0", "1"] in row("vmbo", 4)
    assert ["0", "0", "0", "0"] in row("mbo", 4)
    # Sources: logbook entries, harvest items, harvest reports, closing interviews,
    # e-mails, research notes.
    assert ["1", "4", "1", "1", "1", "1"] in row("vmbo", 6)
    assert ["1", "4", "1", "1", "1", "1"] in row("Totaal", 6)
    flat = " ".join(text.split())
    assert "wisseling van baan" in flat  # the missed interview's reason, with its note
    assert codes["interview.missed_note"] in squeeze(text)
    assert "training voor (een deel van) een team 1" in flat


# --- changing the classification of a made report --------------------------------


def test_changing_the_classification_rebuilds_the_pdf(world, client_for,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(user=world.researcher, kind="summary",
                                          object_id=world.trajectory.pk)
    client = client_for(world.researcher)
    page = client.get(f"/rapporten/{report.pk}/").content.decode()
    assert "Wijzigen en opnieuw maken" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/rapporten/{report.pk}/", {
            "sector": "vmbo", "theme": "collaboration", "year": "2024",
            "publication_type": "report_summary"}, follow=True)
    assert "De classificatie is gewijzigd" in response.content.decode()
    report.refresh_from_db()
    assert (report.theme, report.year, report.status, report.attempts) == (
        "collaboration", 2024, ReportStatus.DONE, 2)
    info = metadata(Path(report.file.path))
    assert info["/classificationtheme"] == "Samenwerking"
    assert info["/classificationyear"] == "2024"
    text = " ".join(pdf_text(Path(report.file.path)).split())
    assert "Jaar: 2024 (na 2020)" in text


def test_classification_is_refused_while_building_and_for_bad_years(world, client_for,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(user=world.researcher, kind="summary",
                                          object_id=world.trajectory.pk)
    client = client_for(world.researcher)
    data = {"sector": "vmbo", "theme": "collaboration", "year": "2024",
            "publication_type": "report_summary"}
    response = client.post(f"/rapporten/{report.pk}/", data, follow=True)
    assert "Wacht tot het rapport klaar is" in response.content.decode()
    report.refresh_from_db()
    assert report.theme == "professionalisation"
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DONE)
    client.post(f"/rapporten/{report.pk}/", {**data, "year": "1850"})
    report.refresh_from_db()
    assert report.year == timezone.localdate().year


@pytest.mark.parametrize("persona", PERSONAS)
def test_classification_change_per_role(world, client_for, persona,
                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(user=world.researcher, kind="summary",
                                          object_id=world.trajectory.pk)
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(world.users[persona]).post(f"/rapporten/{report.pk}/", {
            "sector": "vmbo", "theme": "collaboration", "year": "2024",
            "publication_type": "report_summary"})
    expected = {"researcher": 302, "independent": 302, "outsider": 404}.get(persona, 403)
    assert response.status_code == expected
    report.refresh_from_db()
    assert (report.theme == "collaboration") is (expected == 302)
