"""The journey from an empty install to a running trajectory, in the browser.

An empty database plus one administrator account. The administrator creates a
study, registers an organisation with its trajectory and adds the team coach;
the coach adds a champion and a manager. Each follows the link in the
invitation e-mail that the real Celery worker sent, chooses a password, sees
the start agreement under "Wat wacht op mij" and signs it. The champion then
plans the start dialogue half-day, creates its dialogue session (with the
researcher the administrator put in the study's team), writes the invitation's
opening and signature and invites two participants, who get the invitation
with their personal link from the worker. axe-core checks every page at 390,
800 and 1366 px.
"""

import re
import time
from datetime import date, timedelta

import pytest

from accounts.models import User
from accounts.services import administrator_make
from dialogues.models import DialogueSession
from trajectories.models import (
    HalfDay,
    HistoryEvent,
    HistoryKind,
    Membership,
    Organisation,
    Role,
    Signature,
    Study,
    Trajectory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

PASSWORDS = {
    "coach": "Teamcoach-Utrecht-27",
    "champion": "Aanjager-DeBrug-27",
    "manager": "Leidinggevende-27!",
}


def check_widths(browser) -> None:
    """axe-core on the current page at 390, 800 and 1366 px: Browser.check_accessibility
    runs every width itself (calling it once per width ran each page nine times)."""
    browser.check_accessibility()


def visit(browser, path: str) -> None:
    browser.visit(path, check=False)
    check_widths(browser)


def set_value(browser, css: str, value: str) -> None:
    """Date and datetime inputs do not take typed text reliably; set the value directly."""
    browser.driver.execute_script("arguments[0].value = arguments[1];", browser.find(css), value)


def choose(browser, css: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(browser.find(css)).select_by_value(value)


def submit(browser, css: str) -> None:
    """Press the button (scrolled into view at once) and check the page it leads to."""
    browser.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", browser.find(css)
    )
    browser.click_and_load(css, check=False)
    check_widths(browser)


def wait_for_mail(mail_dir, to: str, seen: set, timeout: float = 30.0) -> str:
    """The next e-mail the worker wrote to `to` (the file backend: one file per send)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.iterdir()):
            if path in seen or not path.stat().st_size:
                continue
            text = path.read_text()
            if f"To: {to}" in text:
                seen.add(path)
                return text
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {to} within {timeout}s")


def set_password_path(message: str) -> str:
    match = re.search(r"http://[^/\s]+(/account/uitnodiging/\S+/)", message)
    assert match, message
    return match.group(1)


def accept_invitation(browser, message: str, password: str) -> None:
    browser.logout()
    visit(browser, set_password_path(message))
    browser.fill("#id_new_password1", password)
    browser.fill("#id_new_password2", password)
    submit(browser, "#set-password")
    assert "Je wachtwoord is ingesteld en je bent ingelogd" in browser.find("main").text


def add_person(browser, role: str | None, email: str, first: str, last: str) -> None:
    if role is not None:
        choose(browser, "#id_role", role)
    browser.fill("#id_email", email)
    browser.fill("#id_first_name", first)
    browser.fill("#id_last_name", last)
    submit(browser, "#person-add")
    assert "is aan het traject toegevoegd en krijgt een e-mail" in browser.find("main").text


def sign_from_waiting_list(browser) -> None:
    waiting = browser.find("#waiting").text
    assert "Onderteken het startdocument — Christelijk College De Brug" in waiting, waiting
    submit(browser, "#waiting a[href$='/startdocument/']")
    submit(browser, "form[action$='/startdocument/ondertekenen/'] button[type=submit]")
    assert "ondertekend" in browser.find("main").text.lower()
    visit(browser, "/")
    assert "Onderteken het startdocument" not in browser.find("#waiting").text


def test_from_an_empty_install_to_a_running_trajectory(celery_live, browser):
    mail_dir, seen = celery_live.mail_dir, set()
    for old in mail_dir.iterdir():
        old.unlink()
    assert not Organisation.objects.exists() and not Study.objects.exists()
    admin = User.objects.create_user(
        email="beheer@hu.test", password="Beheer-LOB-2027!", first_name="Gijs", last_name="Laan"
    )
    administrator_make(admin)

    # The administrator: a study, then the organisation with its trajectory, then the coach.
    browser.login("beheer@hu.test", "Beheer-LOB-2027!")
    check_widths(browser)
    visit(browser, "/trajecten/onderzoeken/")
    browser.fill("#id_name", "LOB in het team — cohort najaar 2027")
    submit(browser, "#study-create")
    assert "Het onderzoek is aangemaakt" in browser.find("main").text
    # Its research team: the researcher who will do the dialogues (seed 003).
    choose(browser, "#id_role", "researcher")
    browser.fill("#id_email", "lotte.bakker@hu.test")
    browser.fill("#id_first_name", "Lotte")
    browser.fill("#id_last_name", "Bakker")
    submit(browser, "#study-member-add")
    assert "Lotte Bakker (lotte.bakker@hu.test) — onderzoeker" in browser.find("main").text
    visit(browser, "/trajecten/")
    submit(browser, "#trajectory-open-link")
    starts = date.today()
    browser.fill("#id_name", "Christelijk College De Brug")
    choose(browser, "#id_sector", "vmbo")
    browser.fill("#id_locations", "Hoofdgebouw, Zwolle")
    set_value(browser, "#id_starts_on", starts.isoformat())
    set_value(browser, "#id_ends_on", (starts + timedelta(days=240)).isoformat())
    submit(browser, "#trajectory-open")
    assert "het traject staat open in fase 1" in browser.find("main").text
    trajectory = Trajectory.objects.get(organisation__name="Christelijk College De Brug")
    submit(browser, "#people-link")
    add_person(browser, "coach", "marieke.linden@hu.test", "Marieke", "van der Linden")

    # The coach: sets a password from the e-mail and adds the champion and the manager.
    accept_invitation(
        browser, wait_for_mail(mail_dir, "marieke.linden@hu.test", seen), PASSWORDS["coach"]
    )
    assert "Wat wacht op mij" in browser.find("main").text
    visit(browser, f"/trajecten/{trajectory.pk}/")
    submit(browser, "#people-link")
    add_person(browser, "champion", "sanne.devries@debrug.test", "Sanne", "de Vries")
    add_person(browser, "manager", "fatima.elamrani@debrug.test", "Fatima", "El Amrani")
    # The start agreement: the coach saves the first version, then signs it from the list.
    visit(browser, f"/trajecten/{trajectory.pk}/startdocument/bewerken/")
    submit(browser, "main form button[type=submit]")
    visit(browser, "/")
    sign_from_waiting_list(browser)

    # The champion and the manager: their e-mail, a password, the agreement to sign.
    for role, email in (
        ("champion", "sanne.devries@debrug.test"),
        ("manager", "fatima.elamrani@debrug.test"),
    ):
        message = wait_for_mail(mail_dir, email, seen)
        assert "Christelijk College De Brug" in message and "Marieke van der Linden" in message
        accept_invitation(browser, message, PASSWORDS[role])
        sign_from_waiting_list(browser)
    assert sorted(Signature.objects.values_list("party", flat=True)) == [
        "champion",
        "management",
        "research_team",
    ]

    # The champion logs in with the new password, plans the start dialogue half-day,
    # creates its session, writes the invitation in own words and invites two
    # participants, who get the invitation with their personal link from the worker.
    browser.logout()
    browser.login("sanne.devries@debrug.test", PASSWORDS["champion"])
    check_widths(browser)
    visit(browser, f"/trajecten/{trajectory.pk}/planning/")
    submit(browser, "#plan-half-day")
    day = (starts + timedelta(days=21)).isoformat()
    browser.fill("#id_title", "Startdialoog Ik en loopbaanbegeleiding")
    set_value(browser, "#id_starts_at", f"{day}T13:30")
    set_value(browser, "#id_ends_at", f"{day}T15:30")
    browser.fill("#id_place", "Teamruimte")
    browser.driver.execute_script("arguments[0].click();", browser.find("#id_is_start_dialogue"))
    choose(browser, "#id_unit", "year_group")
    submit(browser, "main form button[type=submit]")
    assert "Het dagdeel is opgeslagen." in browser.find("main").text
    half_day = HalfDay.objects.get(trajectory=trajectory, is_start_dialogue=True)

    visit(browser, f"/dialogen/traject/{trajectory.pk}/")
    submit(browser, "#session-create-link")
    # The half-day, its time and place, the one coach and the study's one researcher
    # come preselected; the champion only checks them.
    assert browser.find("#id_half_day").get_attribute("value") == str(half_day.pk)
    assert browser.find("#id_starts_at").get_attribute("value") == f"{day}T13:30"
    assert browser.find("#id_place").get_attribute("value") == "Teamruimte"
    researcher = User.objects.get(email="lotte.bakker@hu.test")
    assert browser.find("#id_researcher").get_attribute("value") == str(researcher.pk)
    browser.fill("#id_theme", "Ik als mentor")
    submit(browser, "#session-save")
    assert "De dialoogsessie is aangemaakt." in browser.find("main").text
    session = DialogueSession.objects.get(trajectory=trajectory)
    assert (session.half_day, session.researcher, session.facilitator.email) == (
        half_day,
        researcher,
        "marieke.linden@hu.test",
    )
    for name, email in (
        ("Daan Visser", "daan.visser@debrug.test"),
        ("Noor Jansen", "noor.jansen@debrug.test"),
    ):
        browser.fill("#id_name", name)
        browser.fill("#id_email", email)
        submit(browser, "#invitee-add")
        assert "De genodigde is toegevoegd." in browser.find("main").text
    submit(browser, "#invitation-preview-link")
    submit(browser, "#invitation-text-link")
    browser.fill(
        "#id_invitation_opening",
        "Beste collega's van leerjaar 2, op onze studiedag praten we met elkaar over wat "
        "wij als mentor voor de loopbaan van onze leerlingen doen.",
    )
    browser.fill(
        "#id_invitation_signature", "Sanne de Vries, namens de aanjagers, mede namens het MT"
    )
    submit(browser, "#invitation-text-save")
    assert "namens de aanjagers, mede namens het MT" in browser.find("pre").text
    submit(browser, "#invitation-send")
    assert "Uitnodigingen klaargezet voor verzending: 2." in browser.find("main").text
    rows = browser.find("#invitees").text
    assert "Daan Visser" in rows and "Noor Jansen" in rows, rows
    for email in ("daan.visser@debrug.test", "noor.jansen@debrug.test"):
        message = wait_for_mail(mail_dir, email, seen)
        assert "/dialogen/p/" in message and "op onze studiedag praten we" in message, message
        assert "Sanne de Vries, namens de aanjagers" in message
    assert session.invitees.count() == 2 and not session.invitees.filter(user__isnull=False)

    assert set(Membership.objects.filter(trajectory=trajectory).values_list("role", flat=True)) == {
        Role.COACH,
        Role.CHAMPION,
        Role.MANAGER,
    }
    assert (
        HistoryEvent.objects.filter(trajectory=trajectory, kind=HistoryKind.INVITATION_SENT).count()
        == 3
    )
    assert "/account/uitnodiging/" in wait_for_mail(mail_dir, "lotte.bakker@hu.test", seen)
    assert "send_person_invitation" in celery_live.worker.log()
    assert "send_invitation" in celery_live.worker.log()
    # Every page at the three widths, the new dialogue pages among them.
    assert len(browser.pages_checked) >= 3 * 48, len(browser.pages_checked)
    assert {width for _url, width in browser.pages_checked} == {390, 800, 1366}
    checked = {url for url, _width in browser.pages_checked}
    for path in (
        f"/trajecten/onderzoeken/{trajectory.study_id}/",
        f"/dialogen/traject/{trajectory.pk}/",
        f"/dialogen/traject/{trajectory.pk}/nieuw/",
        f"/dialogen/{session.pk}/",
        f"/dialogen/{session.pk}/uitnodiging/",
        f"/dialogen/{session.pk}/uitnodiging/tekst/",
    ):
        assert any(url.endswith(path) for url in checked), path
