"""`Trajectory.study_name` and `organisation_name`: the copies the research team's list is
sorted by (one index instead of a sort of every trajectory), kept when either is renamed."""

from importlib import import_module

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory, StudyFactory, TrajectoryFactory
from trajectories.models import Role, Trajectory

pytestmark = pytest.mark.django_db


def copies(trajectory) -> tuple[str, str]:
    return tuple(
        Trajectory.objects.values_list("study_name", "organisation_name").get(pk=trajectory.pk)
    )


def mismatches() -> list[int]:
    """Trajectories whose copies differ from their study's and organisation's names."""
    return [
        pk
        for pk, study, organisation, study_copy, organisation_copy in Trajectory.objects.values_list(
            "pk", "study__name", "organisation__name", "study_name", "organisation_name"
        )
        if (study, organisation) != (study_copy, organisation_copy)
    ]


def test_a_new_trajectory_takes_both_names(world):
    assert copies(world.trajectory) == (world.study.name, world.trajectory.organisation.name)
    assert mismatches() == []


def test_renaming_a_study_or_organisation_renames_the_copies(world):
    world.study.name = "Loopbaanleren Noord 2027"
    world.study.save()
    organisation = world.trajectory.organisation
    organisation.name = "Het Baken Lyceum"
    organisation.save(update_fields=["name"])
    assert copies(world.trajectory) == ("Loopbaanleren Noord 2027", "Het Baken Lyceum")
    assert copies(world.other)[0] == "Loopbaanleren Noord 2027"
    assert mismatches() == []


def test_moving_a_trajectory_to_another_organisation_copies_its_name(world):
    other = OrganisationFactory(name="Zonnewijzer Praktijkschool")
    trajectory = world.trajectory
    trajectory.organisation = other
    trajectory.save(update_fields=["organisation"])
    assert copies(trajectory)[1] == "Zonnewijzer Praktijkschool"
    # A save of other fields leaves the copies alone and does not write them.
    trajectory.phase = "closing"
    with CaptureQueriesContext(connection) as queries:
        trajectory.save(update_fields=["phase"])
    update = next(q["sql"] for q in queries if q["sql"].startswith('UPDATE "trajectories_trajectory"'))
    assert "organisation_name" not in update


def test_the_research_list_follows_study_then_organisation(world, client_for):
    """Two studies, names chosen so that neither the ids nor the organisation alone give
    the order; a rename moves a trajectory at once."""
    later = StudyFactory(name="Zeeland 2027")
    earlier = StudyFactory(name="Achterhoek 2026")
    for study, name in [(later, "Atlas College"), (earlier, "Wellant Vmbo"), (earlier, "Berg College")]:
        trajectory = TrajectoryFactory(study=study, organisation=OrganisationFactory(name=name))
        MembershipFactory(trajectory=trajectory, user=world.researcher, role=Role.RESEARCHER)
    client = client_for(world.researcher)

    def listed():
        html = client.get(reverse("research:index")).content.decode()
        names = ["Atlas College", "Wellant Vmbo", "Berg College"]
        return sorted(names, key=html.index)

    assert listed() == ["Berg College", "Wellant Vmbo", "Atlas College"]
    earlier.name = "Zwolle 2026"  # now after "Zeeland 2027"
    earlier.save()
    assert listed() == ["Atlas College", "Berg College", "Wellant Vmbo"]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("research:index"))
    sql = [q["sql"] for q in queries if 'FROM "trajectories_trajectory"' in q["sql"]]
    assert any('ORDER BY "trajectories_trajectory"."study_name" ASC' in q for q in sql)


def test_the_migration_fills_the_copies_of_existing_trajectories(world):
    """Migration 0012 copies the names for trajectories made before it (run here on the
    current models, with the copies first cleared as an older database has them)."""
    from django.apps import apps

    copy_names = import_module("trajectories.migrations.0012_trajectory_names_for_sorting").copy_names
    Trajectory.objects.update(study_name="", organisation_name="")
    assert len(mismatches()) == Trajectory.objects.count() >= 2
    copy_names(apps, None)
    assert mismatches() == []


@pytest.mark.slow  # seeds the demo again at --scale 2 (bulk rounds, which call no save())
def test_the_seeded_copies_equal_the_names_at_scale_2(demo_data):
    """Also the research team's stored independence (`StudyMembership.independent`) and the
    agreements' `fully_signed`: the bulk rounds refresh them themselves."""
    from tests.trajectories.test_independence import wrong
    from trajectories.models import StudyMembership

    call_command("seed_demo", scale=2, quiet_logins=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Trajectory.objects.count() > 12
    assert mismatches() == []
    assert wrong() == []
    assert StudyMembership.objects.filter(independent=True).count() >= 2
    from tests.trajectories.test_fully_signed import wrong as wrongly_signed
    from trajectories.models import StartAgreement

    assert wrongly_signed() == []
    assert StartAgreement.objects.filter(fully_signed=True).exists()
