"""Speech to text on this machine: faster-whisper (CTranslate2, int8 on the CPU).

The infrastructure part of transcription, below every app: it knows audio
files and a model folder, nothing of logbooks or interviews. The model is the
setting ``TRANSCRIPTION_MODEL_DIR``, a folder in CTranslate2 format (by default
the packaged Whisper base model that ``make install`` assembles, see
``lobtraject.whisper_model``). It is loaded from that folder only; nothing is
fetched from a model hub (``HF_HUB_OFFLINE`` is set before faster-whisper is
imported).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")

_lock = threading.Lock()
_models: dict[tuple, object] = {}


class ModelMissing(RuntimeError):
    """No speech model is installed in TRANSCRIPTION_MODEL_DIR."""


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass
class Result:
    duration: float
    language: str
    segments: list[Segment] = field(default_factory=list)
    load_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments).strip()


def model_dir() -> Path:
    return Path(settings.TRANSCRIPTION_MODEL_DIR)


def model_available(path: Path | None = None) -> bool:
    folder = Path(path) if path is not None else model_dir()
    return all((folder / name).is_file() for name in REQUIRED_FILES)


def _load(folder: Path):
    key = (str(folder), settings.TRANSCRIPTION_COMPUTE_TYPE, settings.TRANSCRIPTION_THREADS)
    with _lock:
        if key not in _models:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from faster_whisper import WhisperModel

            _models[key] = WhisperModel(
                str(folder),
                device="cpu",
                compute_type=settings.TRANSCRIPTION_COMPUTE_TYPE,
                cpu_threads=settings.TRANSCRIPTION_THREADS,
                local_files_only=True,
            )
        return _models[key]


def load_model(path: Path | None = None):
    """The WhisperModel for `path` (the setting by default), loaded once per process."""
    folder = Path(path) if path is not None else model_dir()
    if not model_available(folder):
        raise ModelMissing(str(folder))
    return _load(folder)


def transcribe(
    audio,
    *,
    language: str = "nl",
    prompt: str = "",
    hotwords: str = "",
    on_segment: Callable[[Segment, float], None] | None = None,
    model_path: Path | None = None,
) -> Result:
    """Transcribe `audio` (a path or a binary file), calling `on_segment(segment, duration)`
    as each segment is ready, so a caller can store progress while it runs.

    Decoding goes through PyAV (bundled FFmpeg), so webm/opus from a browser's
    recorder, ogg, m4a, mp3 and wav all work without a system FFmpeg.
    """
    started = time.perf_counter()
    model = load_model(model_path)
    loaded = time.perf_counter()
    segments, info = model.transcribe(
        str(audio) if isinstance(audio, Path) else audio,
        language=language,
        task="transcribe",
        beam_size=settings.TRANSCRIPTION_BEAM_SIZE,
        initial_prompt=prompt or None,
        hotwords=hotwords or None,
        vad_filter=False,
        condition_on_previous_text=True,
    )
    result = Result(duration=float(info.duration), language=info.language)
    for raw in segments:
        segment = Segment(start=float(raw.start), end=float(raw.end), text=raw.text.strip())
        if not segment.text:
            continue
        result.segments.append(segment)
        if on_segment is not None:
            on_segment(segment, result.duration)
    result.load_seconds = loaded - started
    result.seconds = time.perf_counter() - loaded
    return result
