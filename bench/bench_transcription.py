"""Benchmark: our transcription task against faster-whisper's bare `transcribe()`.

    .venv/bin/python bench/bench_transcription.py [--seconds 60,600]

For each length it makes a Dutch recording of that many seconds (espeak-ng
sentences, joined and cut to length; WAV, 16 kHz), then runs in two fresh
child processes, each with the model loaded before the clock starts:

- **bare**: `WhisperModel(dir, device="cpu", compute_type="int8").transcribe()` on
  the file with the same options our service uses, consuming every segment;
- **task**: a voice message saved through `logbooks.services.audio_add` on a
  throwaway SQLite database; the outbox runs `transcripts.tasks.transcribe` on
  commit (tasks in-process, as `make run`), which stores every segment and
  the progress as it goes.

It prints the real-time factor (seconds of work per second of audio, goal
≤ 0.35 for the base model on 2 cores), our time over the bare call (goal
≤ 1.2×) and each child's peak resident memory. Not a test: the figures depend
on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SENTENCES = [
    "Vandaag heb ik met mijn maatje het volgende dagdeel voorbereid.",
    "In de teamvergadering hebben we gesproken over de visie op loopbaanbegeleiding.",
    "Twee mentoren willen de loopbaangesprekken in de bovenbouw anders aanpakken.",
    "Wat hielp was dat de teamleider tijd vrijmaakte voor het oogstgesprek.",
    "Het lastige blijft dat collega's weinig tijd hebben naast hun lessen.",
    "Ik merk dat leerlingen meer vragen stellen over hun vervolgopleiding.",
    "Volgende week wil ik met de decaan de keuzeweek evalueren.",
    "Als aanjager probeer ik collega's zelf te laten ontdekken wat ze al doen.",
]


def make_recording(seconds: float, path: Path) -> Path:
    """espeak-ng speaks the sentences once; the speech is repeated and cut to `seconds`."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise SystemExit("espeak-ng is needed (apt-get install espeak-ng)")
    raw = path.with_suffix(".raw.wav")
    subprocess.run(
        [espeak, "-v", "nl", "-s", "150", "-g", "8", "-w", str(raw), " ".join(SENTENCES)],
        check=True,
        capture_output=True,
    )
    with wave.open(str(raw), "rb") as source:
        params = source.getparams()
        frames = source.readframes(source.getnframes())
    needed = int(seconds * params.framerate) * params.sampwidth * params.nchannels
    data = (frames * (needed // len(frames) + 1))[:needed]
    with wave.open(str(path), "wb") as out:
        out.setparams(params)
        out.writeframes(data)
    raw.unlink()
    return path


def child_bare(audio: Path) -> dict:
    os.environ["HF_HUB_OFFLINE"] = "1"
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lobtraject.settings")
    import django

    django.setup()
    from django.conf import settings
    from faster_whisper import WhisperModel

    from transcripts.services import hotwords, vocabulary_prompt

    started = time.perf_counter()
    model = WhisperModel(
        str(settings.TRANSCRIPTION_MODEL_DIR),
        device="cpu",
        compute_type="int8",
        cpu_threads=settings.TRANSCRIPTION_THREADS,
    )
    loaded = time.perf_counter()
    segments, info = model.transcribe(
        str(audio),
        language="nl",
        beam_size=settings.TRANSCRIPTION_BEAM_SIZE,
        initial_prompt=vocabulary_prompt(),
        hotwords=hotwords(),
        vad_filter=False,
    )
    count = sum(1 for _segment in segments)
    return {
        "load": loaded - started,
        "seconds": time.perf_counter() - loaded,
        "segments": count,
        "duration": info.duration,
    }


def child_task(audio: Path) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-transcription-"))
    # The task itself, on commit through the outbox (not `make run`'s background thread).
    os.environ["TRANSCRIPTION_EAGER_IN_THREAD"] = "0"
    sys.path.insert(0, str(BASE_DIR / "bench"))
    from sandbox import setup_django

    setup_django(folder)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from lobtraject import transcription
    from logbooks.models import Entry
    from logbooks.services import audio_add
    from tests.factories import MembershipFactory, TrajectoryFactory, UserFactory
    from transcripts.models import Transcript

    trajectory = TrajectoryFactory()
    champion = UserFactory()
    MembershipFactory(trajectory=trajectory, user=champion, role="champion")
    year, week, _day = timezone.localdate().isocalendar()
    entry = Entry.objects.create(
        trajectory=trajectory,
        author=champion,
        author_role="champion",
        iso_year=year,
        iso_week=week,
        week_start=Entry.monday(year, week),
    )
    started = time.perf_counter()
    transcription.load_model()
    loaded = time.perf_counter()
    with transaction.atomic():  # the task runs when this commits, as after a request
        audio_add(entry=entry, uploaded=SimpleUploadedFile("spraak.wav", audio.read_bytes()))
    seconds = time.perf_counter() - loaded
    transcript = Transcript.objects.get()
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "load": loaded - started,
        "seconds": seconds,
        "status": transcript.status,
        "segments": transcript.segments.count(),
        "duration": transcript.duration,
    }


def run_child(kind: str, audio: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--audio", str(audio)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", default="60,600")
    parser.add_argument("--child", choices=["bare", "task"])
    parser.add_argument("--audio", type=Path)
    parser.add_argument(
        "--task-first", action="store_true", help="run the task before the bare call (load drift)"
    )
    args = parser.parse_args()
    if args.child:
        result = (child_bare if args.child == "bare" else child_task)(args.audio)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}")
    print(
        "| audio (s) | bare (s) | task (s) | task / bare | RTF bare | RTF task | model load (s) "
        "| segments | peak RSS bare / task (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for seconds in [float(s) for s in args.seconds.split(",")]:
            audio = make_recording(seconds, Path(folder) / f"spraak-{int(seconds)}.wav")
            if args.task_first:
                task = run_child("task", audio)
                bare = run_child("bare", audio)
            else:
                bare = run_child("bare", audio)
                task = run_child("task", audio)
            assert task["status"] == "draft", task
            print(
                f"| {seconds:.0f} | {bare['seconds']:.1f} | {task['seconds']:.1f} "
                f"| {task['seconds'] / bare['seconds']:.2f} | {bare['seconds'] / seconds:.2f} "
                f"| {task['seconds'] / seconds:.2f} | {task['load']:.1f} "
                f"| {bare['segments']} / {task['segments']} "
                f"| {bare['peak_rss_mb']:.0f} / {task['peak_rss_mb']:.0f} |",
                flush=True,
            )
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
