"""The speech engine on real Dutch speech made in the test, and the packaged model."""

import hashlib

import pytest

from lobtraject import transcription, whisper_model
from tests.transcripts import speech
from transcripts.services import hotwords, vocabulary_prompt


def _run(path):
    seen = []
    result = transcription.transcribe(
        path,
        language="nl",
        prompt=vocabulary_prompt(),
        hotwords=hotwords(),
        on_segment=lambda segment, duration: seen.append((segment, duration)),
    )
    return result, seen


@pytest.mark.parametrize("kind", ["wav", "webm"])
def test_dutch_speech_becomes_dutch_text(packaged_model, dutch_wav, dutch_webm, kind):
    result, seen = _run(dutch_wav if kind == "wav" else dutch_webm)
    text = result.text.lower()
    found = [word for word in speech.EXPECTED_WORDS if word in speech.words(text)]
    assert len(found) >= 4, (found, result.text)
    assert speech.word_error_rate(speech.SENTENCES, result.text) < 0.6, result.text
    assert 7 < result.duration < 11
    # Progress: each segment is reported as it is ready, with times inside the recording.
    assert [segment for segment, _duration in seen] == result.segments
    assert all(0 <= s.start < s.end <= result.duration + 0.5 for s in result.segments)
    assert {duration for _segment, duration in seen} == {result.duration}


def test_a_missing_model_is_said_not_downloaded(settings, tmp_path, dutch_wav):
    settings.TRANSCRIPTION_MODEL_DIR = tmp_path / "geen-model"
    assert not transcription.model_available()
    with pytest.raises(transcription.ModelMissing):
        transcription.transcribe(dutch_wav)


def test_the_packaged_model_is_assembled_once_and_checked(tmp_path, monkeypatch):
    folder = whisper_model.assemble(tmp_path / "model")
    assert whisper_model.is_assembled(folder)
    digest = hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest()
    assert digest == whisper_model.MODEL_SHA256
    assert transcription.model_available(folder)
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert whisper_model.assemble(folder) == folder  # already there: left alone
    assert (folder / "model.bin").stat().st_mtime_ns == stamp
    # A join that does not match the checksum leaves no model behind.
    monkeypatch.setattr(whisper_model, "MODEL_SHA256", "0" * 64)
    with pytest.raises(whisper_model.AssemblyError):
        whisper_model.assemble(tmp_path / "bad")
    assert not (tmp_path / "bad" / "model.bin").exists()
    assert not (tmp_path / "bad" / ".model.bin.part").exists()


def test_word_error_rate_counts_words():
    assert speech.word_error_rate("een twee drie vier", "een twee drie vier") == 0
    assert speech.word_error_rate("een twee drie vier", "een drie vier vijf") == 0.5
