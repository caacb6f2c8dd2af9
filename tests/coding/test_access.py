"""Only the research team (participating and independent researchers) reaches
the workbench and the exports; every view is tried for every persona."""

import pytest
from django.urls import reverse

from coding.models import Coding, Export, ExportStatus
from tests.conftest import PERSONAS
from tests.factories import UserFactory

ALLOWED = {"researcher", "independent"}


def _expected_refusal(persona: str, *, in_trajectory: bool) -> int:
    # The outsider holds a role only in the study's other trajectory: objects of
    # this trajectory do not exist for them (404); study pages refuse (403).
    if persona == "outsider" and in_trajectory:
        return 404
    return 403


def _get_urls(world):
    export = Export.objects.create(study=world.study, fmt="json", requested_by=world.researcher,
                                   trajectory_ids=[world.trajectory.pk])
    coding = Coding.objects.filter(fragment=world.fragment).first()
    return [
        (reverse("coding:fragments", args=[world.study.pk]), False),
        (reverse("coding:fragments", args=[world.study.pk]) + "?kind=logbook&q=team", False),
        (reverse("coding:codebook", args=[world.study.pk]), False),
        (reverse("coding:exports", args=[world.study.pk]), False),
        (reverse("coding:export", args=[export.pk]), False),
        (reverse("coding:export_status", args=[export.pk]), False),
        (reverse("coding:code", args=[world.code.pk]), False),
        (reverse("coding:category", args=[world.category.pk]), False),
        (reverse("coding:fragment", args=[coding.fragment_id]), True),
    ]


def test_every_page_for_every_persona(coded, client_for):
    urls = _get_urls(coded)
    for persona in PERSONAS:
        client = client_for(coded.users[persona])
        for url, in_trajectory in urls:
            response = client.get(url)
            expected = 200 if persona in ALLOWED else _expected_refusal(
                persona, in_trajectory=in_trajectory
            )
            assert response.status_code == expected, (persona, url)


def test_index_sends_researchers_to_their_study_and_refuses_others(coded, client_for):
    url = reverse("coding:index")
    for persona in PERSONAS:
        response = client_for(coded.users[persona]).get(url)
        if persona in ALLOWED:
            assert response.status_code == 302
            assert response.url == reverse("coding:fragments", args=[coded.study.pk])
        else:
            assert response.status_code == 403, persona


def test_anonymous_is_sent_to_login(coded, client_for):
    client = client_for(None)
    for url, _in_trajectory in _get_urls(coded):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/" in response.url


def test_someone_outside_the_study_gets_404(coded, client_for):
    stranger = client_for(UserFactory())
    for url, _in_trajectory in _get_urls(coded):
        assert stranger.get(url).status_code == 404, url


def test_download_only_for_researchers(coded, client_for, settings, tmp_path):
    from pathlib import Path

    export = Export.objects.create(study=coded.study, fmt="json", requested_by=coded.researcher,
                                   trajectory_ids=[coded.trajectory.pk],
                                   status=ExportStatus.DONE, file="private/exports/t.json")
    path = Path(settings.MEDIA_ROOT, "private/exports/t.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    url = reverse("coding:export_download", args=[export.pk])
    for persona in PERSONAS:
        response = client_for(coded.users[persona]).get(url)
        if persona in ALLOWED:
            assert response.status_code == 200
            assert response["Cache-Control"] == "private, no-store"
            assert b"".join(response.streaming_content) == b"{}"
        else:
            assert response.status_code == 403, persona


def _posts(world):
    coding = Coding.objects.filter(fragment=world.fragment, coder=world.researcher).first()
    other_code = world.code.study.codes.exclude(pk=world.code.pk).first()
    return [
        (reverse("coding:sync", args=[world.study.pk]), {}, False),
        (reverse("coding:coding_add", args=[world.fragment.pk]),
         {"start": 2, "end": 9, "new_codes": "nieuwe code"}, True),
        (reverse("coding:category_create", args=[world.study.pk]), {"name": "Nieuw"}, False),
        (reverse("coding:code_rename", args=[world.code.pk]), {"name": "ruimte"}, False),
        (reverse("coding:code_category", args=[world.code.pk]), {"category": ""}, False),
        (reverse("coding:memo_add", args=[world.code.pk]), {"text": "Let op."}, False),
        (reverse("coding:category", args=[world.subcategory.pk]),
         {"name": "Leiding", "parent": world.category.pk}, False),
        (reverse("coding:export_request", args=[world.study.pk]), {"fmt": "json"}, False),
        (reverse("coding:code_merge", args=[other_code.pk]), {"target": world.code.pk}, False),
        (reverse("coding:coding_delete", args=[coding.pk]), {}, True),
        (reverse("coding:category_delete", args=[world.subcategory.pk]), {}, False),
    ]


def test_every_action_is_refused_to_everyone_but_researchers(coded, client_for):
    posts = _posts(coded)
    for persona in sorted(set(PERSONAS) - ALLOWED):
        client = client_for(coded.users[persona])
        for url, data, in_trajectory in posts:
            response = client.post(url, data)
            assert response.status_code == _expected_refusal(
                persona, in_trajectory=in_trajectory
            ), (persona, url)
    for url, data, _in_trajectory in posts:
        assert client_for(None).post(url, data).status_code == 302


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_researchers_can_do_every_action(coded, client_for, persona):
    client = client_for(coded.users[persona])
    for url, data, _in_trajectory in _posts(coded):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert "/account/" not in response.url


def test_an_export_is_only_for_readers_of_all_its_trajectories(coded, client_for):
    from tests.factories import MembershipFactory
    from trajectories.models import Role

    wide = Export.objects.create(study=coded.study, fmt="json", requested_by=coded.independent,
                                 trajectory_ids=[coded.trajectory.pk, coded.other.pk])
    narrow = Export.objects.create(study=coded.study, fmt="json", requested_by=coded.researcher,
                                   trajectory_ids=[coded.trajectory.pk])
    only_here = UserFactory()
    MembershipFactory(trajectory=coded.trajectory, user=only_here, role=Role.RESEARCHER)
    client = client_for(only_here)
    assert client.get(reverse("coding:export", args=[wide.pk])).status_code == 403
    assert client.get(reverse("coding:export_download", args=[wide.pk])).status_code == 403
    assert client.get(reverse("coding:export", args=[narrow.pk])).status_code == 200
    listed = client.get(reverse("coding:exports", args=[coded.study.pk])).context["page"]
    assert [export.pk for export in listed.object_list] == [narrow.pk]
