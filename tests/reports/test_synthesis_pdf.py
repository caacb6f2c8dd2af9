"""The cross-case synthesis as a PDF for the research team (issue 18, point 6): the page's
figures, each organisation a column, printed in groups of a few cases per table."""

from io import StringIO

import pytest
from django.core.management import call_command

from coding import services as coding_services
from coding.models import Fragment
from reports.builders.synthesis import CASES_PER_TABLE, synthesis_context
from tests.coding.factories import make_material
from tests.factories import OrganisationFactory, TrajectoryFactory
from tests.reports.test_reports import pdf_text

pytestmark = pytest.mark.django_db


def test_the_synthesis_pdf_shows_each_case_as_a_column_with_its_codes(world, tmp_path):
    make_material(world)
    coding_services.fragments_sync()
    fragment = Fragment.objects.filter(trajectory=world.trajectory).first()
    coding_services.coding_add(fragment=fragment, user=world.researcher, start=0, end=4,
                               new_names=["ruimte voor dialoog"])
    for number in range(CASES_PER_TABLE):  # more cases than fit in one table
        TrajectoryFactory(study=world.study,
                          organisation=OrganisationFactory(name=f"Lyceum Zuidrand {number}"))
    out = tmp_path / "synthesis.pdf"
    call_command("build_report", kind="synthesis", object_id=world.study.pk, out=out,
                 stdout=StringIO())
    text = " ".join(pdf_text(out).split())
    assert "Cross-case synthese — Cohort Testland 2026" in text
    for name in ("Het Baken College", "ROC De Delta", "Lyceum Zuidrand 3"):
        assert name in text, name
    assert "Fase 1: factoren in de beslissing" in text
    assert "ruimte voor dialoog 1" in text  # the code's row: one coding in Het Baken College

    context = synthesis_context(world.study, "research_team")
    cases = len(context["cases"])
    assert cases == 2 + CASES_PER_TABLE
    assert [len(group["cases"]) for group in context["groups"]] == [
        CASES_PER_TABLE, cases - CASES_PER_TABLE
    ]
    # A code row appears only in the group whose cases have codings for it.
    rows = [[row["name"] for row in group["codes"]] for group in context["groups"]]
    assert sum(row.count("ruimte voor dialoog") for row in rows) == 1


@pytest.mark.parametrize("persona,status", [("researcher", 302), ("independent", 302),
                                            ("coach", 404), ("manager", 404), ("outsider", 404)])
def test_only_the_studys_research_team_requests_it(world, client_for, persona, status):
    response = client_for(getattr(world, persona)).post("/rapporten/aanvragen/", {
        "kind": "synthesis", "object_id": world.study.pk, "audience": "research_team",
        "theme": "professionalisation", "publication_type": "research_report",
    })
    assert response.status_code == status
