import pytest

from tests.transcripts import speech


@pytest.fixture(autouse=True)
def transcribe_inline(settings):
    """These tests run the task on commit in the test's own thread, to see its result
    (tests/conftest.py sets this for the whole suite; said here because they rely on it)."""
    settings.TRANSCRIPTION_EAGER_IN_THREAD = False


@pytest.fixture(scope="session")
def dutch_wav(tmp_path_factory):
    if speech.ESPEAK is None:
        pytest.fail("espeak-ng is needed for the transcription tests (apt-get install espeak-ng)")
    return speech.speak_wav(speech.SENTENCES, tmp_path_factory.mktemp("speech") / "nl.wav")


@pytest.fixture(scope="session")
def dutch_webm(dutch_wav):
    return speech.to_webm_opus(dutch_wav, dutch_wav.with_suffix(".webm"))
