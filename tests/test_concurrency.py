"""Many saves at once against the running server on PostgreSQL: nothing lost, nothing doubled.

Real HTTP from threads (requests with session cookies and CSRF tokens, as the
browser and static/js/logbooks.js send them) to Django's threaded live server.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings
from django.test import Client

from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.postgres]

WORKERS = 25


def session_for(live_server, user=None) -> requests.Session:
    http = requests.Session()
    if user is not None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        http.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return http


def csrf_from(http: requests.Session, url: str) -> str:
    """Open the page (as the browser does first) and read the form's CSRF token."""
    response = http.get(url, timeout=30)
    assert response.status_code == 200, (url, response.status_code)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def run_all(jobs) -> list:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda job: job(), jobs))


def past_weeks(count: int) -> list[tuple[int, int]]:
    """`count` distinct ISO weeks before this one (entries for the future are refused)."""
    monday = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
    weeks = []
    for back in range(1, count + 1):
        year, week, _day = (monday - datetime.timedelta(weeks=back)).isocalendar()
        weeks.append((year, week))
    return weeks


def test_fifty_concurrent_logbook_saves_lose_nothing_and_duplicate_nothing(
    require_postgres, transactional_db, live_server, world
):
    from logbooks.models import Entry, EntryStatus

    champion = world.champion
    http = session_for(live_server, champion)
    base = f"{live_server.url}/logboek/{world.trajectory.pk}/week"
    weeks = past_weeks(20)
    token = csrf_from(http, f"{base}/{weeks[0][0]}/{weeks[0][1]}/")
    headers = {"X-CSRFToken": token, "Referer": live_server.url + "/"}

    def autosave(year, week, text):
        def job():
            response = http.post(f"{base}/{year}/{week}/autosave/", data={"actions": text, "goals": ["1"]},
                                 headers={**headers, "Accept": "application/json"}, timeout=60)
            if response.status_code in (400, 409):
                assert "Ingediende bijdragen sla je op" in response.json()["error"], response.text
            return ("autosave", year, week, text, response.status_code)
        return job

    def final_save(year, week, text):
        def job():
            response = http.post(f"{base}/{year}/{week}/", data={
                "actions": text, "goals": ["2"], "action": "submit", "csrfmiddlewaretoken": token,
            }, headers=headers, timeout=60, allow_redirects=False)
            return ("final", year, week, text, response.status_code)
        return job

    # 15 new weeks get an autosave and a final save at the same moment (30 requests);
    # one more new week gets 20 autosaves at once (two tabs, a slow network).
    jobs = []
    for year, week in weeks[:15]:
        jobs.append(autosave(year, week, f"concept week {week}"))
        jobs.append(final_save(year, week, f"definitief week {week}"))
    crowded_year, crowded_week = weeks[15]
    crowded_texts = [f"versie {n} van week {crowded_week}" for n in range(20)]
    jobs += [autosave(crowded_year, crowded_week, text) for text in crowded_texts]
    assert len(jobs) == 50
    results = run_all(jobs)

    statuses = Counter((kind, status) for kind, _y, _w, _t, status in results)
    errors = [r for r in results if r[4] >= 500]
    assert not errors, f"server errors: {errors[:5]}"
    # A final save redirects to the entry; an autosave is saved (200) or, when the
    # final save came first, refused in Dutch (409 when it saw the submitted entry at
    # once, 400 when it had to wait for the final save to commit).
    assert statuses[("final", 302)] == 15, statuses
    autosaves = [r for r in results if r[0] == "autosave"]
    assert len(autosaves) == 35
    assert {status for *_rest, status in autosaves} <= {200, 400, 409}, statuses

    entries = Entry.objects.filter(author=champion, trajectory=world.trajectory)
    per_week = Counter((e.iso_year, e.iso_week) for e in entries)
    assert all(count == 1 for count in per_week.values()), "an entry was created twice"
    assert len(per_week) == 16
    for year, week in weeks[:15]:
        entry = entries.get(iso_year=year, iso_week=week)
        assert entry.status == EntryStatus.SUBMITTED
        assert entry.actions == f"definitief week {week}", "the final save was lost"
    crowded = entries.get(iso_year=crowded_year, iso_week=crowded_week)
    assert crowded.status == EntryStatus.DRAFT
    assert crowded.actions in crowded_texts


def test_fifty_concurrent_harvest_submissions_all_arrive_once(
    require_postgres, transactional_db, live_server, world
):
    from dialogues import services
    from dialogues.models import HarvestItem
    from dialogues.tokens import make_token
    from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory

    session = DialogueSessionFactory(trajectory=world.trajectory, facilitator=world.coach,
                                     researcher=world.researcher)
    invitees = []
    for _number in range(10):
        user = UserFactory()
        MembershipFactory(trajectory=world.trajectory, user=user, role="participant")
        invitee = InviteeFactory(session=session, user=user, email=user.email)
        services.consent_record(invitee=invitee, agreed=True)
        invitees.append(invitee)

    def submit(invitee, text):
        def job():
            http = session_for(live_server)
            url = f"{live_server.url}/dialogen/p/{make_token(invitee)}/"
            token = csrf_from(http, url)
            response = http.post(url + "oogst/", data={"text": text, "csrfmiddlewaretoken": token},
                                 headers={"Referer": url}, timeout=60, allow_redirects=False)
            return text, response.status_code
        return job

    texts = [f"Inzicht {i} van deelnemer {n}" for n, _invitee in enumerate(invitees) for i in range(5)]
    jobs = [submit(invitees[n], f"Inzicht {i} van deelnemer {n}") for n in range(10) for i in range(5)]
    results = run_all(jobs)

    assert [status for _text, status in results] == [302] * 50, results
    stored = list(HarvestItem.objects.filter(session=session).values_list("text", "invitee_id"))
    assert sorted(text for text, _invitee in stored) == sorted(texts), "items lost or doubled"
    assert Counter(invitee for _text, invitee in stored) == {i.pk: 5 for i in invitees}


def test_participants_approving_at_the_same_moment_are_all_counted_once(
    require_postgres, transactional_db, live_server, world
):
    """Ten participants approve the harvest report at once, each double-clicking:
    ten approvals, ten polite refusals, and the report ends approved."""
    from dialogues import services
    from dialogues.models import Approval, ReportStatus
    from dialogues.tokens import make_token
    from tests.dialogues.factories import DialogueSessionFactory, InviteeFactory

    session = DialogueSessionFactory(trajectory=world.trajectory, facilitator=world.coach,
                                     researcher=world.researcher)
    invitees = [InviteeFactory(session=session) for _n in range(10)]
    for invitee in invitees:
        services.consent_record(invitee=invitee, agreed=True)
    services.harvest_close(session=session)
    version = services.report_save_draft(session=session, body="Wat we oogstten: tijd voor gesprekken.")
    services.report_submit(report=session.report, notify=False)

    def prepared(invitee):
        http = session_for(live_server)
        url = f"{live_server.url}/dialogen/p/{make_token(invitee)}/"
        return http, url, csrf_from(http, url)

    pages = [prepared(invitee) for invitee in invitees]

    def approve(http, url, token):
        def job():
            response = http.post(url + "verslag/", data={
                "version": version.pk, "decision": "approve", "comment": "",
                "csrfmiddlewaretoken": token,
            }, headers={"Referer": url}, timeout=60, allow_redirects=False)
            return response.status_code, response.text
        return job

    results = run_all([approve(*page) for page in pages for _click in range(2)])
    statuses = Counter(status for status, _text in results)
    assert statuses == {302: 10, 400: 10}, statuses
    # The second click is refused; the page it gets shows the answer already recorded.
    refusals = [re.sub(r"\s+", " ", text) for status, text in results if status == 400]
    assert all("Jouw antwoord: Akkoord" in text for text in refusals)
    # ...and says why: answered already, or the report became final in the meantime.
    reasons = ("Je hebt al gereageerd op deze versie.", "staat niet meer open voor akkoord")
    assert all(any(reason in text for reason in reasons) for text in refusals)
    assert Approval.objects.filter(version=version).count() == 10
    assert Counter(Approval.objects.values_list("invitee_id", flat=True)) == {i.pk: 1 for i in invitees}
    session.report.refresh_from_db()
    assert session.report.status == ReportStatus.FINAL
