"""Dutch speech made in the test: espeak-ng to WAV, and the same as WebM/Opus as a
browser's MediaRecorder makes it (encoded with PyAV, which faster-whisper brings)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import av

ESPEAK = shutil.which("espeak-ng")

SENTENCES = (
    "Vandaag heb ik met mijn maatje het dagdeel voorbereid. "
    "De aanjager van de school wil dat de leerlingen beter kiezen voor hun loopbaan."
)
EXPECTED_WORDS = ["maatje", "dagdeel", "aanjager", "beter", "kiezen"]


def speak_wav(text: str, path: Path, *, speed: int = 150) -> Path:
    subprocess.run(
        [ESPEAK, "-v", "nl", "-s", str(speed), "-w", str(path), text],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


def to_webm_opus(wav: Path, path: Path) -> Path:
    """Re-encode as WebM with Opus at 48 kHz, what Chromium's MediaRecorder produces."""
    with av.open(str(wav)) as source, av.open(str(path), "w", format="webm") as target:
        stream = target.add_stream("libopus", rate=48000)
        stream.layout = "mono"
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        for frame in source.decode(audio=0):
            for out in resampler.resample(frame):
                for packet in stream.encode(out):
                    target.mux(packet)
        for out in resampler.resample(None):
            for packet in stream.encode(out):
                target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return path


def words(text: str) -> list[str]:
    return re.findall(r"[a-zà-ÿ']+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over words, divided by the reference's length."""
    ref, hyp = words(reference), words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(1, len(ref))
