"""Benchmark: peak memory of the anonymised export at 1× and 10× data.

    .venv/bin/python bench/bench_export.py [--base 300] [--formats json,csv,xlsx,qdpx]

For each scale (1 and 10) a child process builds a throwaway SQLite database
with the same organisations and people and `scale × --base` logbook entries,
plus notes and e-mails in proportion, turns them into pseudonymised fragments
and codes every fragment twice. Then, for each format, a *fresh* child process
opens that database and runs `export_anonymised` once, reporting

- the Python heap peak during the export (tracemalloc), and
- the growth of the process's maximum resident set size during the export
  (ru_maxrss after minus before; the baseline holds Django and the
  pseudonymiser's name tables).

It prints both per format and the 10×/1× ratio of the tracemalloc peak (goal
≤ 1.5). Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sandbox import setup_django  # bench/ is on sys.path when a script runs

FORMATS = ["json", "csv", "xlsx", "qdpx"]


WORDS = ["vandaag", "sprak", "ik", "met", "mentoren", "over", "loopbaangesprekken", "en", "wat", "leerlingen", "nodig", "hebben;", "we", "merkten", "dat", "collega's", "ideeën", "hebben", "maar", "weinig", "tijd,", "en", "dat", "de", "keuzeweek", "beter", "kan", "aansluiten", "bij", "de", "lessen.", "Een", "leerling", "vertelde", "over", "een", "stage", "die", "haar", "beeld", "veranderde."]


def sentence(rng, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def build(folder: Path, scale: int, base: int) -> dict:
    """Create the data for one scale and make the fragments and codings."""
    import random

    from django.utils import timezone

    from accounts.models import User
    from coding import services
    from coding.models import Code, Coding, Fragment
    from logbooks.models import EmailDataPoint, Entry, EntryStatus, NoteKind, ResearchNote
    from trajectories.models import (
        HalfDay,
        Membership,
        Organisation,
        Phase,
        Role,
        Study,
        Trajectory,
    )

    rng = random.Random(11)
    study = Study.objects.create(name="Benchmarkcohort")
    trajectories, people = [], []
    for number, (name, sector) in enumerate(
        [("Het Meerwijk Lyceum", "havo_vwo"), ("ROC Rivierenland", "mbo")], start=1
    ):
        organisation = Organisation.objects.create(name=name, short_name=name.split()[-1],
                                                   sector=sector)
        trajectory = Trajectory.objects.create(study=study, organisation=organisation,
                                               phase=Phase.CUSTOM)
        trajectories.append(trajectory)
        for role, first, last in [(Role.CHAMPION, "Sanne", "Vries"), (Role.BUDDY, "Daan", "Berg"),
                                  (Role.COACH, "Inge", "Smit")]:
            user = User.objects.create_user(email=f"{first.lower()}{number}@bench.test",
                                            first_name=first, last_name=f"{last}{number}")
            Membership.objects.create(trajectory=trajectory, user=user, role=role)
            people.append((trajectory, user, role))
        start = timezone.now() - timedelta(days=200)
        for day in range(5):
            HalfDay.objects.create(trajectory=trajectory, title=f"Dagdeel {day + 1}",
                                   starts_at=start + timedelta(days=30 * day),
                                   ends_at=start + timedelta(days=30 * day, hours=3),
                                   unit="year_group", intervention_types=["sparring"])
    researcher = User.objects.create_user(email="onderzoeker@bench.test", first_name="Bilal",
                                          last_name="Bouzid")
    monday = date(2000, 1, 3)
    entries = []
    for index in range(base * scale):
        trajectory, author, role = people[index % len(people)]
        week_start = monday + timedelta(weeks=index // len(people))
        iso_year, iso_week, _day = week_start.isocalendar()
        entries.append(Entry(
            trajectory=trajectory, author=author, author_role=role, iso_year=iso_year,
            iso_week=iso_week, week_start=week_start, actions=sentence(rng, 60),
            effects=sentence(rng, 40), helped=f"{author.first_name} hielp. " + sentence(rng, 20),
            hindered=sentence(rng, 20), status=EntryStatus.SUBMITTED,
            submitted_at=timezone.now(),
        ))
        if len(entries) == 1000:
            Entry.objects.bulk_create(entries)
            entries = []
    Entry.objects.bulk_create(entries)
    notes = [
        ResearchNote(trajectory=trajectories[index % 2], kind=NoteKind.OBSERVATION,
                     title=f"Observatie {index}", text=sentence(rng, 120),
                     occurred_on=date(2026, 1, 1), created_by=researcher)
        for index in range(base * scale // 4)
    ]
    ResearchNote.objects.bulk_create(notes, batch_size=1000)
    mails = [
        EmailDataPoint(trajectory=trajectories[index % 2], occurred_on=date(2026, 2, 1),
                       raw="private/email/bench.eml", sender="sanne1@bench.test",
                       subject=f"Planning {index}", body=sentence(rng, 80))
        for index in range(base * scale // 6)
    ]
    EmailDataPoint.objects.bulk_create(mails, batch_size=1000)
    services.fragments_sync()
    codes = [services.code_create(study=study, name=f"code {n}", user=researcher)
             for n in range(30)]
    codings = []
    for index, (fragment_id, length) in enumerate(
        Fragment.objects.values_list("id", "text").iterator()
    ):
        size = len(length)
        codings.append(Coding(fragment_id=fragment_id, code=codes[index % 30], start=0,
                              end=min(20, size), coder=researcher))
        codings.append(Coding(fragment_id=fragment_id, code=codes[(index + 7) % 30],
                              start=min(5, size - 1), end=size, coder=researcher))
        if len(codings) >= 2000:
            Coding.objects.bulk_create(codings)
            codings = []
    Coding.objects.bulk_create(codings)
    text_bytes = sum(len(text.encode()) for text in Fragment.objects.values_list("text", flat=True))
    return {"fragments": Fragment.objects.count(), "codings": Coding.objects.count(),
            "codes": Code.objects.count(), "text_mb": round(text_bytes / 1e6, 2)}


def export_once(folder: Path, fmt: str) -> dict:
    import tracemalloc

    from coding.exports import export_anonymised
    from research.pseudonymise import pseudonymiser_for_export

    # Warm up what every export needs whatever the data size (imports, the
    # pseudonymiser's tables), so the figures below are about streaming.
    pseudonymiser_for_export()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    began = time.perf_counter()
    out = folder / f"export.{fmt}"
    counts = export_anonymised(out=out, fmt=fmt)
    seconds = time.perf_counter() - began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"format": fmt, "seconds": round(seconds, 2), "peak_mb": round(peak / 1e6, 2),
            "rss_growth_mb": round((after - before) / 1024, 2),
            "file_mb": round(out.stat().st_size / 1e6, 2), **counts}


def child(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=["build", "export"])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--scale", type=int)
    parser.add_argument("--base", type=int)
    parser.add_argument("--format")
    options = parser.parse_args(argv)
    setup_django(options.folder, migrate=options.child == "build")
    if options.child == "build":
        result = build(options.folder, options.scale, options.base)
    else:
        result = export_once(options.folder, options.format)
    print("RESULT " + json.dumps(result))
    return 0


def run_child(*args: str) -> dict:
    completed = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                               check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(completed.returncode)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main() -> int:
    if "--child" in sys.argv:
        return child(sys.argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=300, help="logbook entries at 1×")
    parser.add_argument("--formats", default=",".join(FORMATS))
    options = parser.parse_args()
    formats = [fmt for fmt in options.formats.split(",") if fmt]
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="lob-bench-export-") as root:
        for scale in (1, 10):
            folder = Path(root, f"x{scale}")
            folder.mkdir()
            began = time.perf_counter()
            data = run_child("--child", "build", "--folder", str(folder), "--scale", str(scale),
                             "--base", str(options.base))
            print(f"{scale:>2}×: {data['fragments']} fragments ({data['text_mb']} MB text), "
                  f"{data['codings']} codings, {data['codes']} codes "
                  f"(built in {time.perf_counter() - began:.0f} s)")
            results[scale] = {
                fmt: run_child("--child", "export", "--folder", str(folder), "--format", fmt)
                for fmt in formats
            }
    print()
    print(f"{'format':<6} {'peak 1×':>9} {'peak 10×':>9} {'ratio':>6} "
          f"{'RSS+ 1×':>9} {'RSS+ 10×':>9} {'file 10×':>9} {'time 10×':>8}")
    worst = 0.0
    for fmt in formats:
        one, ten = results[1][fmt], results[10][fmt]
        ratio = ten["peak_mb"] / one["peak_mb"] if one["peak_mb"] else float("inf")
        worst = max(worst, ratio)
        print(f"{fmt:<6} {one['peak_mb']:>7.2f}MB {ten['peak_mb']:>7.2f}MB {ratio:>6.2f} "
              f"{one['rss_growth_mb']:>7.2f}MB {ten['rss_growth_mb']:>7.2f}MB "
              f"{ten['file_mb']:>7.2f}MB {ten['seconds']:>7.1f}s")
    print(f"\nworst 10×/1× peak ratio: {worst:.2f} (goal ≤ 1.5)")
    return 0 if worst <= 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
