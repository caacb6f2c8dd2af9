import io

import pytest
from django.core.management import call_command

from logbooks.models import AudioClip, EmailDataPoint, Entry, ResearchNote

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_logbooks_once(demo_data, client_for):
    from django.contrib.auth import get_user_model

    counts = (
        Entry.objects.count(),
        AudioClip.objects.count(),
        EmailDataPoint.objects.count(),
        ResearchNote.objects.count(),
    )
    assert counts[0] > 50
    assert counts[1] == 3 and counts[2] == 2 and counts[3] > 5
    champion = get_user_model().objects.get(email="aanjager@demo.test")
    assert Entry.objects.filter(author=champion).count() >= 3
    # Trajectories of the spring cohort have months of weekly entries per writer.
    from django.db.models import Count

    longest = Entry.objects.values("author", "trajectory").annotate(n=Count("id"))
    assert max(row["n"] for row in longest) >= 10
    call_command("seed_demo", quiet_logins=True, stdout=io.StringIO())
    assert (
        Entry.objects.count(),
        AudioClip.objects.count(),
        EmailDataPoint.objects.count(),
        ResearchNote.objects.count(),
    ) == counts
    researcher = get_user_model().objects.get(email="onderzoeker@demo.test")
    main = Entry.objects.filter(author=champion).first().trajectory
    response = client_for(researcher).get(f"/logboek/{main.pk}/tijdlijn/")
    assert response.status_code == 200
    clip = AudioClip.objects.first()
    audio = client_for(researcher).get(f"/logboek/audio/{clip.pk}/", HTTP_RANGE="bytes=0-3")
    assert b"".join(audio.streaming_content) == b"RIFF"
