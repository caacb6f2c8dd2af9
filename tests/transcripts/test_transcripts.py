"""Transcripts: made on upload through the outbox, corrected and approved by the right
person, coded only when approved and pseudonymised, erased on withdrawal."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coding import services as coding_services
from coding.exports import export_anonymised
from coding.models import Fragment
from logbooks import services as logbook_services
from logbooks.models import AudioClip, Entry
from research.pseudonymise import person_pseudonym
from research.services import consent_give, consent_withdraw
from research.sources import SourceKind
from tests.logbooks.audio_samples import SAMPLES
from trajectories.models import ClosingInterview
from trajectories.services import closing_interview_add_audio
from transcripts import services
from transcripts.coding_sources import transcripts as approved_texts
from transcripts.models import Segment, Transcript, TranscriptStatus

pytestmark = pytest.mark.django_db


def _write_url(world):
    year, week, _day = timezone.localdate().isocalendar()
    return f"/logboek/{world.trajectory.pk}/week/{year}/{week}/"


def _entry(world, author=None):
    year, week, _day = timezone.localdate().isocalendar()
    author = author or world.champion
    return Entry.objects.create(
        trajectory=world.trajectory,
        author=author,
        author_role="champion",
        iso_year=year,
        iso_week=week,
        week_start=Entry.monday(year, week),
    )


def _clip(world, author=None, content=None):
    entry = _entry(world, author)
    return logbook_services.audio_add(
        entry=entry, uploaded=SimpleUploadedFile("spraak.wav", content or SAMPLES["opname.wav"][0])
    )


def _imported(world, text, author=None, approve=True):
    clip = _clip(world, author)
    author = author or world.champion
    return services.transcript_import(
        kind="logbook_clip",
        audio_id=clip.pk,
        segments=[(0.0, 2.0, text)],
        approved_by=author if approve else None,
    )


def test_a_recorded_voice_message_becomes_a_draft_with_times(
    world, client_for, packaged_model, dutch_webm, django_capture_on_commit_callbacks
):
    champion = client_for(world.champion)
    with django_capture_on_commit_callbacks(execute=True):
        response = champion.post(
            _write_url(world) + "audio/",
            {"audio": SimpleUploadedFile("opname.webm", dutch_webm.read_bytes())},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 200, response.content
    clip = AudioClip.objects.get()
    transcript = Transcript.objects.get(audio_kind="logbook_clip", audio_id=clip.pk)
    assert transcript.status == TranscriptStatus.DRAFT
    assert transcript.speaker == world.champion
    assert 7 < transcript.duration < 11 and transcript.done_seconds == transcript.duration
    assert transcript.progress_percent == 100 and transcript.attempts == 1
    assert transcript.run_seconds > 0 and "whisper-base" in transcript.model_name
    segments = list(transcript.segments.all())
    assert segments and segments[0].start == 0
    words = " ".join(segment.text for segment in segments).lower()
    assert "maatje" in words and "aanjager" in words
    # The draft is no research material yet.
    assert list(approved_texts()) == []
    page = champion.get(f"/transcripties/{transcript.pk}/").content.decode()
    assert f'data-start="{segments[-1].start}"' in page
    assert "/logboek/audio/" in page and "Transcriptie goedkeuren" in page
    progress = champion.get(f"/transcripties/{transcript.pk}/voortgang/?vanaf=1").json()
    assert progress["finished"] and progress["percent"] == 100
    assert [s["position"] for s in progress["segments"]] == list(range(1, len(segments)))


def test_progress_is_stored_per_segment_while_the_machine_runs(world, monkeypatch):
    clip = _clip(world)
    transcript = Transcript.objects.get(audio_id=clip.pk)
    seen = []

    def fake_engine(audio, *, on_segment, **kwargs):
        # The real engine's contract (tested in test_engine.py) without the model's time.
        from lobtraject.transcription import Result
        from lobtraject.transcription import Segment as Said

        result = Result(duration=30.0, language="nl")
        for number in range(3):
            said = Said(start=number * 10.0, end=number * 10.0 + 9.0, text=f"Zin {number}.")
            result.segments.append(said)
            on_segment(said, 30.0)
            row = Transcript.objects.get(pk=transcript.pk)
            seen.append((row.status, row.progress_percent, row.segments.count()))
        return result

    monkeypatch.setattr("lobtraject.transcription.model_available", lambda: True)
    monkeypatch.setattr("lobtraject.transcription.transcribe", fake_engine)
    assert services.transcribe(transcript.pk) == TranscriptStatus.DRAFT
    assert seen == [("running", 30, 1), ("running", 63, 2), ("running", 96, 3)]
    transcript.refresh_from_db()
    assert transcript.status == "draft" and transcript.progress_percent == 100
    # A second delivery of the same task leaves the draft (people's work) alone.
    assert services.transcribe(transcript.pk) == "skipped"


def test_without_a_model_the_recording_is_kept_and_the_page_says_so(
    world, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TRANSCRIPTION_MODEL_DIR = tmp_path / "leeg"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.champion).post(
            _write_url(world) + "audio/",
            {"audio": SimpleUploadedFile("opname.wav", SAMPLES["opname.wav"][0])},
            HTTP_ACCEPT="application/json",
        )
    assert response.status_code == 200
    transcript = Transcript.objects.get()
    assert transcript.status == TranscriptStatus.NO_MODEL
    assert AudioClip.objects.count() == 1
    page = client_for(world.champion).get(f"/transcripties/{transcript.pk}/").content.decode()
    assert "Er is geen spraakmodel geïnstalleerd" in page and "Opnieuw proberen" in page
    # The entry can still be written and submitted.
    entry = Entry.objects.get()
    logbook_services.entry_save(entry=entry, editor=world.champion, data={}, submit=True)
    assert Entry.objects.get().is_submitted


def test_a_failed_transcription_is_stored_and_can_be_retried_by_its_author(
    world, client_for, packaged_model, django_capture_on_commit_callbacks
):
    broken = SAMPLES["opname.webm"][0]  # starts like WebM, decodes to nothing
    with django_capture_on_commit_callbacks(execute=True):
        clip = _clip(world, content=broken)
    transcript = Transcript.objects.get(audio_id=clip.pk)
    assert transcript.status == TranscriptStatus.FAILED and transcript.error
    assert services.requeue_after_failure(transcript.pk)  # what the task does before retrying
    Transcript.objects.filter(pk=transcript.pk).update(status="failed")
    url = f"/transcripties/{transcript.pk}/opnieuw/"
    assert client_for(world.researcher).post(url).status_code == 403
    assert client_for(world.outsider).post(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.champion).post(url)
    assert response.status_code == 302
    transcript.refresh_from_db()
    assert transcript.attempts == 2 and transcript.status == TranscriptStatus.FAILED


def test_only_the_author_corrects_and_approves_and_only_then_it_is_coding_material(
    world, client_for
):
    transcript = _imported(world, "Ik heb met mijn maatje gesproken.", approve=False)
    segment = transcript.segments.get()
    url = f"/transcripties/{transcript.pk}/"
    data = {f"segment-{segment.pk}": "Ik heb met mijn maatje  over het dagdeel gesproken."}
    for user in (world.researcher, world.coach, world.buddy, world.manager):
        assert client_for(user).post(url, {**data, "action": "approve"}).status_code == 403
    assert client_for(world.outsider).post(url, data).status_code == 404
    champion = client_for(world.champion)
    assert champion.post(url, {**data, "action": "save"}).status_code == 302
    segment.refresh_from_db()
    assert segment.text == "Ik heb met mijn maatje over het dagdeel gesproken."
    assert segment.machine_text == "Ik heb met mijn maatje gesproken."
    assert list(approved_texts()) == []
    # The research team does not read a draft transcript, even of a submitted entry.
    entry = AudioClip.objects.get(pk=transcript.audio_id).entry
    logbook_services.entry_save(entry=entry, editor=world.champion, data={}, submit=True)
    page = client_for(world.researcher).get(url).content.decode()
    assert "dagdeel gesproken" not in page and "nog niet goedgekeurd" in page
    champion.post(url, {**data, "action": "approve"})
    transcript.refresh_from_db()
    assert transcript.status == "approved" and transcript.approved_by == world.champion
    [source] = approved_texts()
    assert source.kind == SourceKind.TRANSCRIPT and source.user_id == world.champion.pk
    assert source.text == "Ik heb met mijn maatje over het dagdeel gesproken."
    assert "dagdeel gesproken" in client_for(world.researcher).get(url).content.decode()
    # Saving as a draft takes it out of the material again.
    champion.post(url, {**data, "action": "save"})
    assert list(approved_texts()) == []


def test_a_changed_segment_list_or_an_empty_text_is_refused(world):
    transcript = _imported(world, "Tekst.", approve=False)
    with pytest.raises(Exception, match="veranderd"):
        services.transcript_correct(
            transcript=transcript, user=world.champion, texts={999999: "x"}, approve=False
        )
    segment = transcript.segments.get()
    with pytest.raises(Exception, match="lege"):
        services.transcript_correct(
            transcript=transcript, user=world.champion, texts={segment.pk: "  "}, approve=True
        )


def test_who_sees_a_voice_transcript(world, client_for):
    transcript = _imported(world, "Vandaag ging het over de visie.")
    entry = AudioClip.objects.get(pk=transcript.audio_id).entry
    url = f"/transcripties/{transcript.pk}/"
    expected = {
        "champion": 200,
        "researcher": 200,
        "independent": 200,
        "coach": 403,
        "buddy": 403,
        "manager": 403,
        "participant": 403,
        "outsider": 404,
        "staff": 403,
    }
    # The entry is a draft: only the author reads it (like the entry and its audio).
    got = {key: client_for(world.users[key]).get(url).status_code for key in expected}
    assert got == {**expected, "researcher": 403, "independent": 403}
    logbook_services.entry_save(entry=entry, editor=world.champion, data={}, submit=True)
    got = {key: client_for(world.users[key]).get(url).status_code for key in expected}
    assert got == expected
    Entry.objects.filter(pk=entry.pk).update(shared_with_coach=True)
    assert client_for(world.coach).get(url).status_code == 200
    assert client_for(None).get(url).status_code == 302


def _interview(world):
    return ClosingInterview.objects.create(
        trajectory=world.trajectory,
        interviewee=world.buddy,
        interviewee_role="buddy",
        interviewer=world.independent,
        status="held",
        planned_at=timezone.now() - timedelta(days=2),
    )


def test_an_interview_recording_is_corrected_by_its_interviewer_only(
    world, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TRANSCRIPTION_MODEL_DIR = tmp_path / "leeg"  # the machine's part is tested above
    interview = _interview(world)
    with django_capture_on_commit_callbacks(execute=True):
        closing_interview_add_audio(
            interview=interview, uploaded=SimpleUploadedFile("i.wav", SAMPLES["opname.wav"][0])
        )
    transcript = Transcript.objects.get(audio_kind="interview", audio_id=interview.pk)
    assert transcript.status == "no_model" and transcript.speaker == world.buddy
    services.transcript_import(
        kind="interview", audio_id=interview.pk, segments=[(0, 3, "Het team praat nu over LOB.")]
    )
    url = f"/transcripties/{transcript.pk}/"
    codes = {
        key: client_for(world.users[key]).get(url).status_code
        for key in (
            "independent",
            "researcher",
            "coach",
            "champion",
            "buddy",
            "manager",
            "outsider",
        )
    }
    assert codes == {
        "independent": 200,
        "researcher": 200,
        "coach": 403,
        "champion": 403,
        "buddy": 403,
        "manager": 403,
        "outsider": 404,
    }
    segment = Segment.objects.get(transcript=transcript)
    data = {f"segment-{segment.pk}": "Het team praat nu over LOB.", "action": "approve"}
    assert client_for(world.researcher).post(url, data).status_code == 403
    assert client_for(world.independent).post(url, data).status_code == 302
    transcript.refresh_from_db()
    assert transcript.status == "approved"
    # A new recording replaces the old text; deleting the interview removes it.
    with django_capture_on_commit_callbacks(execute=True):
        closing_interview_add_audio(
            interview=interview, uploaded=SimpleUploadedFile("j.wav", SAMPLES["opname.wav"][0])
        )
    transcript.refresh_from_db()
    assert transcript.status == "no_model" and not transcript.segments.exists()
    interview.delete()
    assert not Transcript.objects.exists()


def test_a_name_said_aloud_reaches_the_export_only_pseudonymised(world):
    said = "Ik sprak met Jan-Willem van der Berg en Fatima El Amrani over de keuzeweek."
    transcript = _imported(world, said)
    entry = AudioClip.objects.get(pk=transcript.audio_id).entry
    logbook_services.entry_save(entry=entry, editor=world.champion, data={}, submit=True)
    coding_services.fragments_sync()
    fragment = Fragment.objects.get(kind=SourceKind.TRANSCRIPT)
    buddy, manager = person_pseudonym(user=world.buddy), person_pseudonym(user=world.manager)
    assert fragment.text == f"Ik sprak met {buddy} en {manager} over de keuzeweek."
    out = io.BytesIO()
    export_anonymised(out=out, fmt="json")
    exported = out.getvalue().decode()
    assert "over de keuzeweek" in exported
    for word in ("Jan-Willem", "Berg", "Fatima", "El Amrani"):
        assert word not in exported


def test_withdrawal_erases_the_persons_transcripts_and_scrubs_their_name_elsewhere(
    world, django_capture_on_commit_callbacks
):
    own = _imported(world, "Mijn eigen woorden over het dagdeel.")
    other = _imported(world, "Sanne de Vries had het dagdeel goed voorbereid.", author=world.buddy)
    coding_services.fragments_sync()
    assert Fragment.objects.filter(kind=SourceKind.TRANSCRIPT).count() == 2
    label = person_pseudonym(user=world.champion)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawal = consent_withdraw(
            user=world.champion, requested_by=world.researcher, trajectory=world.trajectory
        )
    assert withdrawal.within_window
    assert not Transcript.objects.filter(pk=own.pk).exists()
    assert not Segment.objects.filter(transcript_id=own.pk).exists()
    other.refresh_from_db()
    assert other.text == f"{label} had het dagdeel goed voorbereid."
    assert other.segments.get().text == f"{label} had het dagdeel goed voorbereid."
    assert other.segments.get().machine_text == f"{label} had het dagdeel goed voorbereid."
    assert not Fragment.objects.filter(kind=SourceKind.TRANSCRIPT, user_id=world.champion.pk)


def test_withdrawing_the_logbook_takes_the_voice_transcripts_and_leaves_the_interviews(
    world, django_capture_on_commit_callbacks
):
    voice = _imported(world, "Mijn spraakbericht over de keuzeweek.", author=world.buddy)
    entry = AudioClip.objects.get(pk=voice.audio_id).entry
    logbook_services.entry_save(entry=entry, editor=world.buddy, data={}, submit=True)
    interview = _interview(world)
    with django_capture_on_commit_callbacks(execute=True):
        closing_interview_add_audio(
            interview=interview, uploaded=SimpleUploadedFile("j.wav", SAMPLES["opname.wav"][0])
        )
    spoken = services.transcript_import(
        kind="interview",
        audio_id=interview.pk,
        segments=[(0.0, 2.0, "Het interview over de keuzeweek blijft.")],
        approved_by=world.independent,
    )
    coding_services.fragments_sync()
    assert Fragment.objects.filter(kind=SourceKind.TRANSCRIPT).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        answer = consent_give(
            trajectory=world.trajectory, kind="logbook", agreed=False, user=world.buddy
        )

    assert (answer.withdrawal.kind, answer.withdrawal.within_window) == ("logbook", True)
    assert list(Transcript.objects.values_list("pk", flat=True)) == [spoken.pk]
    transcribed = Fragment.objects.filter(kind=SourceKind.TRANSCRIPT)
    assert list(transcribed.values_list("source_id", flat=True)) == [spoken.pk]


def test_a_run_overtaken_by_a_new_recording_stops_and_leaves_the_new_one_alone(world, monkeypatch):
    clip = _clip(world)
    transcript = Transcript.objects.get(audio_id=clip.pk)

    def engine_meanwhile_replaced(audio, *, on_segment, **kwargs):
        from lobtraject.transcription import Segment as Said

        on_segment(Said(start=0.0, end=5.0, text="Oude opname."), 20.0)
        services.transcript_request(kind="logbook_clip", audio_id=clip.pk)  # a new recording
        on_segment(Said(start=5.0, end=9.0, text="Nog meer van de oude."), 20.0)
        raise AssertionError("the old run should have stopped")

    monkeypatch.setattr("lobtraject.transcription.model_available", lambda: True)
    monkeypatch.setattr("lobtraject.transcription.transcribe", engine_meanwhile_replaced)
    assert services.transcribe(transcript.pk) == "skipped"
    transcript.refresh_from_db()
    assert transcript.status == TranscriptStatus.QUEUED and not transcript.segments.exists()


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_saving_returns_at_once_and_a_thread_transcribes(
    world, client_for, settings, monkeypatch
):
    """`make run` (tasks in-process): the upload does not wait for the model."""
    import threading

    from lobtraject.transcription import Result
    from lobtraject.transcription import Segment as Said

    settings.TRANSCRIPTION_EAGER_IN_THREAD = True
    go_on = threading.Event()

    def slow_engine(audio, *, on_segment, **kwargs):
        assert go_on.wait(30)
        said = Said(start=0.0, end=1.5, text="Dag allemaal.")
        on_segment(said, 1.5)
        return Result(duration=1.5, language="nl", segments=[said])

    threads = []
    start_thread = services._start_thread
    monkeypatch.setattr(services, "_start_thread", lambda pk: threads.append(start_thread(pk)))
    monkeypatch.setattr("lobtraject.transcription.model_available", lambda: True)
    monkeypatch.setattr("lobtraject.transcription.transcribe", slow_engine)
    response = client_for(world.champion).post(
        _write_url(world) + "audio/",
        {"audio": SimpleUploadedFile("opname.wav", SAMPLES["opname.wav"][0])},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    transcript = Transcript.objects.get()
    assert transcript.in_progress  # the request came back while the model still works
    go_on.set()
    [thread] = threads
    thread.join(30)
    transcript.refresh_from_db()
    assert transcript.status == TranscriptStatus.DRAFT
    assert transcript.segments.get().text == "Dag allemaal."
