"""Leak test: tricky names planted as real people and organisations and inside
every kind of free text must not appear in any file of any export format, and
nothing of the pseudonym key may appear either."""

import html
import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from coding import services
from coding.exports import export_anonymised
from coding.models import Fragment
from tests.factories import HalfDayFactory
from trajectories.models import Organisation

from .factories import make_material

PHONE = "06-12345678"
EMAIL = "sanne.devries@hetbaken.nl"
# The world's people: Sanne de Vries (champion), Jan-Willem van der Berg (buddy),
# Fatima El Amrani (manager); the organisation is Het Baken College ("Baken").
PLANTED = (
    f"Jan-Willem van der Berg sprak met Fatima El Amrani. Sanne zei het ook, en De Vries' "
    f"collega's van het Baken waren er. Mail {EMAIL} of bel {PHONE}. "
    f"SANNE belde Jan-Willem, daarna Van der Berg en El Amrani over Het Baken College."
)
FORBIDDEN = [
    "Jan-Willem", "van der Berg", "Van der Berg", "Fatima", "El Amrani", "Sanne", "SANNE",
    "De Vries'", "Vries", "Baken", EMAIL, PHONE, "12345678",
]


@pytest.fixture
def planted(world):
    User.objects.filter(pk=world.champion.pk).update(email=EMAIL)
    world.champion.refresh_from_db()
    make_material(world, text=PLANTED)
    HalfDayFactory(trajectory=world.trajectory, title=f"Dagdeel met {PLANTED[:60]}",
                   starts_at=timezone.now() - timedelta(days=30),
                   intervention_types=["sparring"], unit="year_group")
    services.fragments_sync()
    fragment = Fragment.objects.order_by("id").first()
    category = services.category_create(study=world.study, name="Rol van Sanne",
                                        user=world.researcher)
    code = services.code_for_name(study=world.study, name="Fatima's steun", user=world.researcher)
    services.code_set_category(code=code, category=category, user=world.researcher)
    services.memo_add(code=code, text=PLANTED, user=world.researcher)
    services.coding_add(fragment=fragment, user=world.researcher, start=0, end=10, codes=[code])
    return world


def _files(fmt: str, data: bytes) -> dict[str, str]:
    """Every file of the export as text (XML entities decoded, so "&apos;" counts)."""
    if fmt == "json":
        return {"export.json": data.decode("utf-8")}
    files = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8-sig", errors="replace")
            files[name] = html.unescape(text)
    return files


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "qdpx"])
def test_no_planted_name_and_no_key_in_any_export_file(planted, fmt):
    out = io.BytesIO()
    export_anonymised(out=out, fmt=fmt)
    files = _files(fmt, out.getvalue())
    assert len(files) >= 1
    everything = "\n".join(files.values())
    # The planted text did reach the export, pseudonymised: the test would
    # catch a leak rather than pass on an empty file.
    assert "sprak met" in everything and "[telefoon]" in everything
    for name, text in files.items():
        for word in FORBIDDEN:
            assert word not in text, f"{word!r} leaked into {name} ({fmt})"
        # The key: no real name or login of anyone in the system.
        for first, infix, last, email in User.objects.values_list(
            "first_name", "infix", "last_name", "email"
        ):
            full = " ".join(part for part in (first, infix, last) if part)
            assert full not in text, f"{full!r} leaked into {name} ({fmt})"
            assert email not in text, f"{email!r} leaked into {name} ({fmt})"
        for org_name, short_name in Organisation.objects.values_list("name", "short_name"):
            assert org_name not in text and short_name not in text, (org_name, name, fmt)
