"""Journey: the independent researcher reads and completes a closing interview; the
team coach sees the closing overview and the goal progress. axe runs on every page."""

import pytest

from lobtraject.demo import DEMO_PASSWORD
from trajectories.models import ClosingInterview, InterviewStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_independent_researcher_completes_a_closing_interview(browser, demo_data):
    missed = ClosingInterview.objects.get(status=InterviewStatus.MISSED)
    trajectory = missed.trajectory
    held = trajectory.closing_interviews.filter(status=InterviewStatus.HELD).first()

    browser.login("onafhankelijk@demo.test", DEMO_PASSWORD)
    browser.visit(f"/trajecten/{trajectory.pk}/afsluiting/")
    assert "Slotinterviews" in browser.find("main").text
    assert "wisseling van baan" in browser.find("#interviews").text
    browser.visit(f"/trajecten/{trajectory.pk}/afsluiting/slotinterviews/{held.pk}/")
    assert "Doel 1" in browser.find("main").text
    assert browser.find("audio") is not None
    browser.visit(
        f"/trajecten/{trajectory.pk}/afsluiting/slotinterviews/{held.pk}/gespreksleidraad/"
    )
    browser.fill("#id_still_needed", "Een vaste werkgroep die het onderwerp bewaakt.")
    browser.driver.execute_script(
        "arguments[0].form.requestSubmit(arguments[0]);",
        browser.find("main form button[type=submit]"),
    )
    browser.wait_for("#interview-status")
    browser.check_accessibility()
    assert "Een vaste werkgroep die het onderwerp bewaakt." in browser.find("main").text


def test_team_coach_sees_closing_overview_and_goal_progress(browser, demo_data):
    trajectory = ClosingInterview.objects.get(status=InterviewStatus.MISSED).trajectory
    browser.login("teamcoach@demo.test", DEMO_PASSWORD)
    browser.visit(f"/trajecten/{trajectory.pk}/")
    assert browser.find("#goal-progress") is not None
    browser.visit(f"/trajecten/{trajectory.pk}/afsluiting/")
    assert "1 niet doorgegaan" in browser.find("#interview-counts").text
    browser.visit(f"/trajecten/{trajectory.pk}/afsluiting/slotbijeenkomst/")
    browser.visit(
        f"/trajecten/{trajectory.pk}/afsluiting/slotinterviews/{ClosingInterview.objects.filter(trajectory=trajectory).first().pk}/niet-doorgegaan/"
    )


def test_team_coach_plans_the_remaining_interview_and_an_interim_evaluation(browser, demo_data):
    from trajectories.models import HalfDay, Phase, Trajectory

    trajectory = Trajectory.objects.filter(phase=Phase.CLOSING).first()
    interim = HalfDay.objects.filter(
        trajectory=trajectory, intervention_types__contains=["interim"]
    ).first()
    browser.login("teamcoach@demo.test", DEMO_PASSWORD)
    browser.visit(f"/trajecten/{trajectory.pk}/afsluiting/")
    assert "Nog te plannen" in browser.find("main").text
    browser.visit(f"/trajecten/{trajectory.pk}/afsluiting/slotinterviews/nieuw/")
    options = [o.text for o in browser.find_all("#id_interviewer option")]
    assert any("Annemiek" in text for text in options)
    assert not any("Bouzid" in text for text in options)
    browser.visit(f"/trajecten/{trajectory.pk}/planning/{interim.pk}/tussenevaluatie/")
