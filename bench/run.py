"""Benchmark suite: main pages at 1×, 20×, 100× and 500× the demo data, on PostgreSQL.

    make bench            # = .venv/bin/python bench/run.py --scales "1 20 100 500"
    .venv/bin/python bench/run.py --scales 1,20 --runs 9 --skip-extras

Starts a throwaway PostgreSQL server (tests/services.PostgresServer), and for
each scale builds a fresh database with `seed_demo --scale N` (timed) in a
child process; a second, fresh child then requests every main page as the demo
login it is for (as a web process would, without the seeding's objects in memory):

- each role's landing page, the dashboards, the trajectory list, planning and
  calendar, the logbook timeline, dialogues, reports, research and the codebook;
- the query count of one request (must be the same at every scale);
- the median latency over --runs requests, as a ratio to a trivial
  authenticated page (login_required, returns "ok") measured in short blocks
  taken in turn with it as the same login, so the figure does not depend on
  how fast (or how busy) the machine is; and as a ratio to the site's layout rendered with an empty
  body (what every page costs before its own work).

The requests go through Django's test client in-process (all middleware,
sessions and templates; no network), with DEBUG on and tasks eager, as
`make run` does. At the end it runs the other benchmarks in this folder
(bench_reports.py, bench_pseudonymiser.py, bench_export.py) when present and
prints their output. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
EXTRAS = ["bench_reports.py", "bench_pseudonymiser.py", "bench_export.py"]
RATIO_GOAL = 2.5


# --- child: one scale -------------------------------------------------------------


def pages(main, study_id) -> list[tuple[str, str, str, dict]]:
    """(label, login, URL name, kwargs) of the main pages."""
    landing = [
        (f"landing: {key}", key, "home", {})
        for key in ("teamcoach", "aanjager", "maatje", "manager", "onderzoeker",
                    "onafhankelijk", "deelnemer", "aanjager2", "beheerder")
    ]
    return landing + [
        ("trajectory list", "teamcoach", "trajectories:list", {}),
        ("trajectory page", "teamcoach", "trajectories:detail", {"pk": main}),
        ("dashboard: manager", "manager", "dashboards:manager", {}),
        ("dashboard: overview", "teamcoach", "dashboards:overview", {}),
        ("dashboard: trajectory", "teamcoach", "dashboards:trajectory", {"pk": main}),
        ("planning", "teamcoach", "trajectories:plan", {"pk": main}),
        ("calendar: coach", "teamcoach", "trajectories:calendar", {}),
        ("calendar: champion", "aanjager", "trajectories:calendar", {}),
        ("logbook: my logbook", "aanjager", "logbooks:index", {}),
        ("logbook: timeline", "onderzoeker", "logbooks:timeline", {"trajectory_pk": main}),
        ("dialogues", "teamcoach", "dialogues:index", {}),
        ("reports", "onderzoeker", "reports:list", {}),
        ("research", "onderzoeker", "research:index", {}),
        ("coding", "onderzoeker", "coding:index", {}),
        ("codebook", "onderzoeker", "coding:codebook", {"study": study_id}),
        ("coding: fragments", "onderzoeker", "coding:fragments", {"study": study_id}),
        ("waiting: logbooks", "teamcoach", "waiting", {"kind": "logboek"}),
    ]


def child(scale: int, runs: int, seed: bool) -> dict:
    """Seed (`seed`) or measure one scale, in separate processes: a web process does
    not hold the objects the seeding left in memory.

    After seeding, VACUUM ANALYZE: a database just bulk-loaded has no visibility map
    (index-only scans read the table) and rows without hint bits (the first reads
    write them), which autovacuum sets within minutes on a real server. Measured
    without it, the team coach's landing at 500x took 240 ms, against 105-128 ms a few
    minutes later on the same data."""
    media = tempfile.mkdtemp(prefix="lob-bench-media-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lobtraject.settings",
            "CELERY_BROKER_URL": "",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "testserver,localhost",
            "AXES_ENABLED": "0",
            "MEDIA_ROOT": media,
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from trajectories.models import Membership, Role, Trajectory

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if seed:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, quiet_logins=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        seed_seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        return {"seed_seconds": seed_seconds}
    main = Membership.objects.get(user__email="aanjager@demo.test", role=Role.CHAMPION).trajectory
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@demo.test")
             if u.email.split("@")[0] in {"teamcoach", "aanjager", "maatje", "manager", "onderzoeker",
                                          "onafhankelijk", "deelnemer", "aanjager2", "beheerder"}}
    clients = {}

    def client_for(key):
        if key not in clients:
            client = Client(raise_request_exception=False)
            client.force_login(users[key], backend="django.contrib.auth.backends.ModelBackend")
            clients[key] = client
        return clients[key]

    def one_request(client, path):
        """The response of a warmed-up request and its query count."""
        for _ in range(2):
            client.get(path)
        # DEBUG keeps the last request's queries in queries_log; the next request
        # clears it when it starts, so start from an empty log.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        return response, len(queries)

    def measure(client, path, count):
        response, queries = one_request(client, path)
        times = []
        for _ in range(count):
            begin = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - begin)
        return response.status_code, queries, statistics.median(times)

    def interleaved(client, paths, count, block=5):
        """Median latency of each path, measured in short blocks taken in turn (5 of A,
        5 of B, 5 of C, 5 of A ...; the first request of each block not timed): a machine
        whose speed drifts over seconds (a shared host, frequency scaling) then slows the
        page and its yardstick alike. Measured as one block of 21 after the other, the
        same page varied by 50 % between two runs on this machine; requested strictly in
        turn (A B C A B C), the trivial page ran in caches the page before it had just
        filled and took up to 50 % longer next to heavy pages, which hid their growth."""
        times = {path: [] for path in paths}
        for _ in range(max(1, count // block)):
            for path in paths:
                client.get(path)
                for _ in range(block):
                    begin = time.perf_counter()
                    client.get(path)
                    times[path].append(time.perf_counter() - begin)
        return [statistics.median(times[path]) for path in paths]

    results = []
    with override_settings(ROOT_URLCONF="bench.urls"):
        _status, trivial_queries, trivial = measure(client_for("teamcoach"), "/bench/trivial/", runs * 3)
        for label, login, name, kwargs in pages(main.pk, main.study_id):
            try:
                path = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                results.append({"label": label, "missing": True})
                continue
            client = client_for(login)
            response, queries = one_request(client, path)
            status = response.status_code
            # What the page shows: its table rows (a list page shows at most one page).
            rows_shown = response.content.decode().count("<tr")
            yardstick, layout, median = interleaved(
                client, ["/bench/trivial/", "/bench/layout/", path], runs
            )
            results.append({"label": label, "path": path, "status": status, "queries": queries,
                            "ms": median * 1000, "ratio": median / yardstick, "rows": rows_shown,
                            "layout_ratio": median / layout})
    return {
        "scale": scale,
        "trajectories": Trajectory.objects.count(),
        "users": User.objects.count(),
        "trivial_ms": trivial * 1000,
        "trivial_queries": trivial_queries,
        "pages": results,
    }


# --- parent: servers, scales, table -------------------------------------------------


def create_database(server, name: str) -> str:
    import psycopg

    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)


def run_scale(server, scale: int, runs: int) -> dict:
    url = create_database(server, f"bench_{scale}")
    env = {**os.environ, "DATABASE_URL": url}
    figures = {}
    for step in ("seed", "measure"):
        print(f"scale {scale}: {step}...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, __file__, "--child", step, "--scale", str(scale), "--runs", str(runs)],
            cwd=BASE_DIR, env=env, capture_output=True, text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"scale {scale} failed ({step}):\n{done.stderr[-4000:]}")
        figures.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return figures


def table(results: list[dict]) -> str:
    scales = [r["scale"] for r in results]
    lines = []
    lines.append("| scale | trajectories | users | seed_demo (s) | trivial page (ms) |")
    lines.append("|---|---|---|---|---|")
    for r in results:
        lines.append(f"| {r['scale']}× | {r['trajectories']} | {r['users']} | {r['seed_seconds']:.1f} "
                     f"| {r['trivial_ms']:.1f} |")
    lines.append("")
    head = ["page"] + [f"queries {s}×" for s in scales] + [f"ms {s}×" for s in scales]
    head += [f"ratio {s}×" for s in scales]
    # One growth column per scale beyond the first: ratio there / ratio at the first.
    head += [f"growth {s}×/{scales[0]}×" for s in scales[1:]]
    # And from the second scale to the last: both show full pages where the first may not
    # (12 trajectories at 1× on a page of 25 or 50).
    if len(scales) > 2:
        head.append(f"growth {scales[-1]}×/{scales[1]}×")
    head.append("table rows " + " / ".join(f"{s}×" for s in scales))
    head += ["same queries", f"ratio ≤ {RATIO_GOAL} at {scales[-1]}×", f"× layout at {scales[-1]}×"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    by_label = [{p["label"]: p for p in r["pages"]} for r in results]
    for label in [p["label"] for p in results[0]["pages"]]:
        rows = [b.get(label, {"missing": True}) for b in by_label]
        if any(row.get("missing") for row in rows):
            lines.append(f"| {label} | " + " | ".join(["—"] * (len(head) - 1)) + " |")
            continue
        bad = [f"{row['status']}" for row in rows if row["status"] != 200]
        queries = [str(row["queries"]) for row in rows]
        ms = [f"{row['ms']:.1f}" for row in rows]
        ratios = [f"{row['ratio']:.1f}" for row in rows]
        growth = [f"{row['ratio'] / rows[0]['ratio']:.2f}" for row in rows[1:]]
        if len(rows) > 2:
            growth.append(f"{rows[-1]['ratio'] / rows[1]['ratio']:.2f}")
        growth.append(" / ".join(str(row.get("rows", "?")) for row in rows))
        flat = "yes" if len(set(queries)) == 1 else "NO"
        ok = "yes" if rows[-1]["ratio"] <= RATIO_GOAL else "no"
        name = label + (f" (HTTP {', '.join(bad)})" if bad else "")
        layout = f"{rows[-1]['layout_ratio']:.1f}"
        lines.append(f"| {name} | " + " | ".join(queries + ms + ratios + growth + [flat, ok, layout]) + " |")
    lines.append("")
    lines.append(f"ms: median latency of the page (in-process, DEBUG on). "
                 f"ratio: median latency of the page / median latency of the trivial authenticated "
                 f"page, same login, in blocks of 5 taken in turn with it. growth: ratio at that scale / ratio at {scales[0]}×. "
                 f"× layout: median latency of the page / median latency of the site layout rendered "
                 f"with an empty body (menu, messages, footer), the part of the ratio that is not "
                 f"the page's own work.")
    return "\n".join(lines)


def extras() -> None:
    for script in EXTRAS:
        path = BASE_DIR / "bench" / script
        if not path.exists():
            continue
        print(f"\n## {script}\n", flush=True)
        done = subprocess.run([sys.executable, str(path)], cwd=BASE_DIR, capture_output=True, text=True)
        print(done.stdout.strip(), flush=True)
        if done.returncode != 0 or not done.stdout.strip():
            print(f"(exit {done.returncode})\n{done.stderr[-2000:]}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,20,100", help="comma- or space-separated")
    parser.add_argument("--runs", type=int, default=11, help="timed requests per page")
    parser.add_argument("--skip-extras", action="store_true", help="do not run the other bench_*.py")
    parser.add_argument("--child", choices=["seed", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the raw figures to this file")
    options = parser.parse_args()
    if options.child:
        print(json.dumps(child(options.scale, options.runs, seed=options.child == "seed")))
        return

    sys.path.insert(0, str(BASE_DIR))
    from tests.services import PostgresServer

    server = PostgresServer()
    if not server.available:
        raise SystemExit("PostgreSQL (initdb, pg_ctl) is needed: apt-get install postgresql")
    server.start()
    try:
        scales = [int(s) for s in options.scales.replace(",", " ").split()]
        results = [run_scale(server, scale, options.runs) for scale in scales]
    finally:
        server.stop()
    print("# LOB-traject benchmark (PostgreSQL, in-process requests)\n")
    print(table(results))
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))
    if not options.skip_extras:
        extras()


if __name__ == "__main__":
    main()
