"""Who reaches the coding workbench and the anonymised exports: the research
team of a study (participating and independent researchers), nobody else.

Built on trajectories.access: a person with no role anywhere in the study
gets 404; a person with a role there but without READ_RESEARCH_DATA on any
of its trajectories (coach, champion, manager, staff ...) gets 403.
"""

from django.core.exceptions import PermissionDenied

from trajectories import access
from trajectories.access import CAPABILITIES, Capability
from trajectories.models import Study

from .models import Category, Code, Coding, Export, Fragment, QdpxImport

CAPABILITY = Capability.READ_RESEARCH_DATA


def research_studies(user):
    """The studies in which `user` may read research data of at least one trajectory."""
    trajectories = access.visible_trajectories(user, CAPABILITY)
    return Study.objects.filter(id__in=trajectories.values("study_id")).order_by("name")


def readable_trajectories(user, study_id: int):
    """The study's trajectories whose research data `user` may read, as a subquery
    of ids for `trajectory_id__in=`: a programme's researcher reads thousands."""
    return (
        access.visible_trajectories(user, CAPABILITY)
        .filter(study_id=study_id)
        .order_by()
        .values("id")
    )


def readable_trajectory_ids(user, study_id: int) -> list[int]:
    """The same as a list, for what stores or compares the ids (exports, imports)."""
    return list(readable_trajectories(user, study_id).values_list("id", flat=True))


def check_study(user, study_id: int) -> None:
    """404 for someone with no role in the study, 403 for a role without research rights."""
    access.deny_unless(access.study_roles(user, study_id), CAPABILITIES[CAPABILITY])


def studies_or_403(user) -> list[Study]:
    """The studies of the coding home page; 403 for someone who researches none."""
    studies = list(research_studies(user))
    if not studies:
        raise PermissionDenied
    return studies


def get_study(user, pk) -> Study:
    study = access.object_or_404(Study.objects, pk)
    check_study(user, study.pk)
    return study


def get_fragment(user, pk) -> Fragment:
    fragment = access.object_or_404(
        Fragment.objects.select_related("trajectory__organisation", "trajectory__study"), pk
    )
    access.check(user, CAPABILITY, fragment.trajectory)
    return fragment


def get_code(user, pk) -> Code:
    code = access.object_or_404(Code.objects.select_related("study", "category"), pk)
    check_study(user, code.study_id)
    return code


def get_category(user, pk) -> Category:
    category = access.object_or_404(Category.objects.select_related("study"), pk)
    check_study(user, category.study_id)
    return category


def get_coding(user, pk) -> Coding:
    coding = access.object_or_404(Coding.objects.select_related("fragment__trajectory", "code"), pk)
    access.check(user, CAPABILITY, coding.fragment.trajectory)
    return coding


def get_export(user, pk) -> Export:
    export = access.object_or_404(Export.objects.select_related("study", "requested_by"), pk)
    check_study(user, export.study_id)
    if not may_read_export(user, export):
        raise PermissionDenied
    return export


def may_read_export(user, export: Export, readable: list[int] | None = None) -> bool:
    """An export holds the trajectories its requester could read; a reader must
    be able to read all of them (a researcher of one trajectory does not get
    another trajectory's material through a colleague's export)."""
    if readable is None:
        readable = readable_trajectory_ids(user, export.study_id)
    return set(export.trajectory_ids) <= set(readable)


def get_import(user, pk) -> QdpxImport:
    """A QDPX import: the study's research team, if they can read every
    trajectory it writes codings onto (as for exports)."""
    qdpx_import = access.object_or_404(
        QdpxImport.objects.select_related("study", "uploaded_by"), pk
    )
    check_study(user, qdpx_import.study_id)
    if not set(qdpx_import.trajectory_ids) <= set(
        readable_trajectory_ids(user, qdpx_import.study_id)
    ):
        raise PermissionDenied
    return qdpx_import
