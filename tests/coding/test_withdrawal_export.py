"""Withdrawal and the coding data: inside the window the person's fragments and
codings are gone (also from the export); after it their data stay and the
export marks them as withdrawn."""

import io
import json
from datetime import timedelta

from django.utils import timezone

from coding.exports import export_anonymised
from coding.models import Coding, Fragment
from research.pseudonymise import person_pseudonym
from research.services import consent_withdraw


def _export(**kwargs) -> dict:
    out = io.BytesIO()
    export_anonymised(out=out, fmt="json", **kwargs)
    return json.loads(out.getvalue())["tables"]


def test_withdrawal_inside_the_window_removes_fragments_and_codings(coded):
    interview = Fragment.objects.get(kind="interview", user=coded.buddy)
    label = interview.author_label
    assert Coding.objects.filter(fragment=interview).count() == 2
    withdrawal = consent_withdraw(user=coded.buddy, requested_by=coded.researcher,
                                  trajectory=coded.trajectory)
    assert withdrawal.within_window
    assert not Fragment.objects.filter(pk=interview.pk).exists()
    assert not Coding.objects.filter(fragment_id=interview.pk).exists()
    tables = _export()
    assert label not in {row["author"] for row in tables["sources"]}
    assert len(tables["sources"]) == 5
    assert [(row["pseudonym"], row["within_window"]) for row in tables["withdrawals"]] == [
        (label, True)
    ]


def test_withdrawal_after_the_window_keeps_the_data_and_marks_the_person(coded):
    label = person_pseudonym(user=coded.champion)
    later = timezone.now() + timedelta(days=120)
    withdrawal = consent_withdraw(user=coded.champion, requested_by=coded.researcher,
                                  trajectory=coded.trajectory, at=later)
    assert not withdrawal.within_window
    assert Fragment.objects.filter(user=coded.champion).count() == 2
    tables = _export()
    rows = [row for row in tables["persons"] if row["pseudonym"] == label]
    assert rows and {row["consent"] for row in rows} == {"withdrawn"}
    assert len(tables["sources"]) == 6
