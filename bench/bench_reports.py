"""Benchmark: building a trajectory summary vs WeasyPrint alone on the same HTML.

    .venv/bin/python bench/bench_reports.py [--entries 200] [--runs 5] [--audience research_team]

Sets up Django on a throwaway SQLite database (in a temporary folder), creates
one trajectory with `--entries` submitted logbook entries, half-days, closing
interviews, goal statuses and notes, and then times

- `report_build_to_file(kind="summary", ...)`: the whole build (queries,
  template rendering, WeasyPrint, writing the file), median of `--runs`;
- `pdf.html_to_pdf(html)` on the final HTML of that same report: WeasyPrint alone.

It prints both medians, their ratio (goal ≤ 1.5), the number of queries a build
makes and the time spent before WeasyPrint (queries + templates).

Then the stylesheet before/after (issue 21: WeasyPrint time ≤ 0.5× on the same
content): the same HTML laid out and written by WeasyPrint with today's
static/css/report.css and with the earlier copies kept in bench/baseline/
(`report-9a24867.css`: main when issue 21's PDF work started; `report-c425bb5-parent.css`:
before the list markers were removed, the stylesheet of the issue's "about 5 s"),
the stylesheet inlined in each so only its rules differ. The variants take turns,
run by run, so that a busy moment of the shared machine falls on all of them;
it prints median wall and CPU ms of layout (`render`) and of writing the PDF, the
page count and the ratio to each baseline, and the load average. Not a test:
timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sandbox import setup_django  # bench/ is on sys.path when a script runs

HERE = Path(__file__).resolve().parent
STYLESHEET_LINK = '<link rel="stylesheet" href="css/report.css">'
BASELINES = {
    "before markers (c425bb5^)": HERE / "baseline" / "report-c425bb5-parent.css",
    "main at 9a24867": HERE / "baseline" / "report-9a24867.css",
}

TEXT = (
    "vandaag sprak ik met mentoren over loopbaangesprekken en wat leerlingen nodig hebben; "
    "we merkten dat collega's ideeën hebben maar weinig tijd, en dat de keuzeweek beter kan "
    "aansluiten bij de lessen. Een leerling vertelde over een stage die haar beeld veranderde."
)
WORDS = TEXT.split()


def sentence(rng, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def create_trajectory(entries: int):
    """One trajectory with `entries` submitted logbook entries and the rest of a
    finished trajectory around it; returns the trajectory."""
    import random

    from django.utils import timezone

    from accounts.models import User
    from logbooks.models import Entry, EntryStatus, NoteKind, ResearchNote
    from trajectories.models import (
        ClosingInterview,
        ClosingInterviewGoalAnswer,
        GoalProgress,
        GoalSource,
        GoalStatus,
        HalfDay,
        InterviewStatus,
        Membership,
        Organisation,
        Phase,
        Role,
        Signature,
        StartAgreement,
        Study,
        Trajectory,
    )

    rng = random.Random(7)
    study = Study.objects.create(name="Benchmarkcohort")
    organisation = Organisation.objects.create(name="Het Meerwijk Lyceum", sector="havo_vwo")
    trajectory = Trajectory.objects.create(study=study, organisation=organisation,
                                           phase=Phase.CLOSING)
    people = {}
    for number, role in enumerate(
        [Role.COACH, Role.RESEARCHER, Role.CHAMPION, Role.BUDDY, Role.MANAGER], start=1
    ):
        user = User.objects.create_user(email=f"persoon{number}@bench.test",
                                        first_name=f"Persoon{number}", last_name="Meijer")
        Membership.objects.create(trajectory=trajectory, user=user, role=role)
        people[role] = user
    writers = [(people[Role.CHAMPION], Role.CHAMPION), (people[Role.BUDDY], Role.BUDDY),
               (people[Role.COACH], Role.COACH)]
    monday = date(2025, 1, 6)
    batch = []
    for index in range(entries):
        author, role = writers[index % len(writers)]
        week_start = monday + timedelta(weeks=index // len(writers))
        iso_year, iso_week, _day = week_start.isocalendar()
        goals = {f"goal_{goal}": rng.random() < 0.4 for goal in range(1, 5)}
        batch.append(
            Entry(
                trajectory=trajectory, author=author, author_role=role, iso_year=iso_year,
                iso_week=iso_week, week_start=week_start, actions=sentence(rng, 40),
                effects=sentence(rng, 25), helped=sentence(rng, 15),
                hindered=sentence(rng, 15), other=sentence(rng, 10) if index % 4 == 0 else "",
                status=EntryStatus.SUBMITTED, submitted_at=timezone.now(), **goals,
            )
        )
    Entry.objects.bulk_create(batch)
    start = timezone.now() - timedelta(days=300)
    half_days = []
    for number in range(6):
        starts_at = start + timedelta(days=40 * number)
        half_days.append(
            HalfDay.objects.create(
                trajectory=trajectory, title=f"Dagdeel {number + 1}", starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3), is_start_dialogue=number == 0,
                unit="year_group", intervention_types=["training", "sparring"],
                goals=[1 + number % 4, 1 + (number + 1) % 4],
                learning_outcomes=sentence(rng, 60),
            )
        )
    agreement = StartAgreement.objects.create(
        trajectory=trajectory, facilitation_hours=3, facilitation_period="per week",
        support=sentence(rng, 20), duties=["logbook", "harvest", "interview"],
        sub_goals="Elke mentor voert twee loopbaangesprekken per jaar",
    )
    Signature.objects.create(agreement=agreement, party="champion", user=people[Role.CHAMPION],
                             signed_at=start)
    independent = User.objects.create_user(email="onafhankelijk@bench.test",
                                           first_name="Iris", last_name="Dekker")
    for role in (Role.CHAMPION, Role.BUDDY, Role.MANAGER):
        interview = ClosingInterview.objects.create(
            trajectory=trajectory, interviewee=people[role], interviewee_role=role,
            interviewer=independent, planned_at=timezone.now() - timedelta(days=5),
            status=InterviewStatus.HELD, overall_steps=sentence(rng, 50),
            overall_helped=sentence(rng, 30), overall_hindered=sentence(rng, 30),
            still_needed=sentence(rng, 30), notes=sentence(rng, 80),
        )
        for goal in range(1, 5):
            ClosingInterviewGoalAnswer.objects.create(
                interview=interview, goal=goal, steps=sentence(rng, 30),
                helped=sentence(rng, 15), hindered=sentence(rng, 15), reached="partly",
            )
        if role == Role.CHAMPION:
            for goal in range(1, 5):
                GoalStatus.objects.create(
                    trajectory=trajectory, goal=goal, source=GoalSource.CLOSING_INTERVIEW,
                    interview=interview, recorded_on=timezone.localdate(),
                    status=GoalProgress.PARTLY,
                )
    for goal in range(1, 5):
        GoalStatus.objects.create(
            trajectory=trajectory, goal=goal, source=GoalSource.START_AGREEMENT,
            recorded_on=start.date(), status=GoalProgress.NOT_STARTED,
        )
        GoalStatus.objects.create(
            trajectory=trajectory, goal=goal, source=GoalSource.INTERIM_EVALUATION,
            half_day=half_days[3], recorded_on=half_days[3].starts_at.date(),
            status=GoalProgress.IN_PROGRESS,
        )
    for number in range(10):
        ResearchNote.objects.create(
            trajectory=trajectory, kind=NoteKind.OBSERVATION, title=f"Observatie {number + 1}",
            text=sentence(rng, 60), occurred_on=start.date() + timedelta(days=20 * number),
        )
    return trajectory


def median_seconds(function, runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of `runs` calls.

    CPU time (this process) is reported beside wall-clock time because on a
    shared machine the wall clock mostly measures the other processes.
    """
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--audience", default="research_team",
                        choices=["research_team", "manager"])
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lob-bench-") as folder:
        setup_django(Path(folder))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from reports import pdf, services

        trajectory = create_trajectory(options.entries)
        out = Path(folder, "samenvatting.pdf")

        def build():
            services.report_build_to_file(kind="summary", object_id=trajectory.pk, out=out,
                                          audience=options.audience)

        build()  # warm-up: fonts, templates, translations
        with CaptureQueriesContext(connection) as queries:
            html = services.report_html(kind="summary", object_id=trajectory.pk,
                                        audience=options.audience)
        html_seconds = median_seconds(
            lambda: services.report_html(kind="summary", object_id=trajectory.pk,
                                         audience=options.audience),
            options.runs,
        )
        weasy_seconds = median_seconds(lambda: pdf.html_to_pdf(html), options.runs)
        build_seconds = median_seconds(build, options.runs)

        print(f"trajectory summary, {options.entries} logbook entries, "
              f"audience {options.audience}, median of {options.runs} runs")
        print(f"  queries per build           {len(queries)}")
        print(f"  HTML size                   {len(html) / 1024:.0f} KiB")
        print(f"  PDF size                    {out.stat().st_size / 1024:.0f} KiB")
        print(f"  {'':26}  {'wall ms':>9}  {'CPU ms':>9}")
        for label, (wall, cpu) in (
            ("queries + templates", html_seconds),
            ("WeasyPrint alone", weasy_seconds),
            ("report_build_to_file", build_seconds),
        ):
            print(f"  {label:26}  {wall * 1000:9.1f}  {cpu * 1000:9.1f}")
        print(f"  ratio build / WeasyPrint    {build_seconds[0] / weasy_seconds[0]:9.2f}"
              f"  {build_seconds[1] / weasy_seconds[1]:9.2f}   (goal <= 1.5)")
        compare_stylesheets(html, options.runs)
    return 0


def with_stylesheet(html: str, css: str) -> str:
    assert STYLESHEET_LINK in html, "the report template no longer links css/report.css"
    return html.replace(STYLESHEET_LINK, f"<style>{css}</style>", 1)


def compare_stylesheets(html: str, runs: int) -> None:
    """Today's stylesheet against the baselines on the same HTML, taking turns."""
    from django.conf import settings

    from reports import pdf

    current = Path(settings.BASE_DIR, "static", "css", "report.css")
    variants = {label: with_stylesheet(html, path.read_text()) for label, path in
                {**BASELINES, "today (static/css/report.css)": current}.items()}
    figures = {label: {"render": [], "write": [], "pages": set()} for label in variants}
    load_before = os.getloadavg()
    for _ in range(runs):
        for label, variant in variants.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            document = pdf.html_to_document(variant)
            laid, laid_cpu = time.perf_counter(), time.process_time()
            pdf.document_to_pdf(document)
            done, done_cpu = time.perf_counter(), time.process_time()
            figures[label]["render"].append((laid - began, laid_cpu - began_cpu))
            figures[label]["write"].append((done - laid, done_cpu - laid_cpu))
            figures[label]["pages"].add(len(document.pages))
    load_after = os.getloadavg()

    def median(label, part, index):
        return statistics.median(run[index] for run in figures[label][part]) * 1000

    def total(label, index):
        return statistics.median(
            render[index] + write[index]
            for render, write in zip(figures[label]["render"], figures[label]["write"],
                                     strict=True)
        ) * 1000

    print()
    print(f"stylesheets on the same HTML, WeasyPrint only, median of {runs} runs taking turns"
          f" (load average {load_before[0]:.2f} before, {load_after[0]:.2f} after)")
    print(f"  {'':30} {'layout wall':>11} {'CPU':>7} {'write wall':>10} {'CPU':>7}"
          f" {'total wall':>10} {'CPU':>7} {'pages':>5}")
    for label in variants:
        pages = ",".join(str(count) for count in sorted(figures[label]["pages"]))
        print(f"  {label:30} {median(label, 'render', 0):11.0f} {median(label, 'render', 1):7.0f}"
              f" {median(label, 'write', 0):10.0f} {median(label, 'write', 1):7.0f}"
              f" {total(label, 0):10.0f} {total(label, 1):7.0f} {pages:>5}")
    today = "today (static/css/report.css)"
    for label in BASELINES:
        print(f"  today / {label:21} wall {total(today, 0) / total(label, 0):5.2f}"
              f"   CPU {total(today, 1) / total(label, 1):5.2f}   (goal <= 0.5)")


if __name__ == "__main__":
    raise SystemExit(main())
