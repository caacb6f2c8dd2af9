"""F9: a room full of phones against the real server.

The `make run` configuration (gunicorn as in lobtraject/gunicorn_local.py, on a
SQLite file with the project's SQLite settings, tasks in-process) and the
production one (gunicorn with three processes, as docker-compose.yml runs it,
on PostgreSQL) each get, from real HTTP clients in 50 threads at once:

- 50 harvest items through ten personal links (five per participant), and
- 50 autosaves of one logbook week by one champion.

Demanded: no 5xx, every item stored exactly once, one entry for the week with
one of the texts sent. Before the SQLite settings, the review measured 39 and
37 failures of 50.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests import services

pytestmark = [pytest.mark.slow]

BASE_DIR = Path(__file__).resolve().parents[2]
BURST = 50
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DEBUG="1",
        CELERY_BROKER_URL="",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        AXES_ENABLED="1",
    )
    env.update(extra)
    return env


def _manage(env, *args, timeout=600) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def _prepare(env) -> dict:
    _manage(env, "migrate", "--noinput", "-v0")
    out = _manage(
        env, "shell", "-v0", "-c", "from tests.hardening.load_world import build; build()"
    )
    return json.loads(out.strip().splitlines()[-1])


@contextmanager
def _gunicorn(env, args, log_path):
    port = services.free_port()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [GUNICORN, *args, "--bind", f"127.0.0.1:{port}", "lobtraject.wsgi:application"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        services.wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _csrf(http, url) -> str:
    response = http.get(url, timeout=60)
    assert response.status_code == 200, (url, response.status_code)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def _burst(jobs) -> list:
    with ThreadPoolExecutor(max_workers=BURST) as pool:
        return list(pool.map(lambda job: job(), jobs))


def _harvest_burst(base, world) -> tuple[list, list[str]]:
    def submit(token, text):
        def job():
            http = requests.Session()
            url = f"{base}/dialogen/p/{token}/"
            csrf = _csrf(http, url)
            response = http.post(
                url + "oogst/",
                data={"text": text, "csrfmiddlewaretoken": csrf},
                headers={"Referer": url},
                timeout=120,
                allow_redirects=False,
            )
            return text, response.status_code

        return job

    texts, jobs = [], []
    for number, token in enumerate(world["tokens"]):
        for item in range(BURST // len(world["tokens"])):
            text = f"Inzicht {item} van deelnemer {number}"
            texts.append(text)
            jobs.append(submit(token, text))
    return _burst(jobs), texts


def _last_week() -> tuple[int, int]:
    monday = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
    year, week, _day = (monday - datetime.timedelta(weeks=1)).isocalendar()
    return year, week


def _autosave_burst(base, world) -> tuple[list, list[str], tuple[int, int]]:
    http = requests.Session()  # one phone, one login: the 50 saves share its cookies
    http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=BURST))
    login = f"{base}/account/inloggen/"
    csrf = _csrf(http, login)
    response = http.post(
        login,
        data={
            "username": world["champion"],
            "password": world["password"],
            "csrfmiddlewaretoken": csrf,
        },
        headers={"Referer": login},
        timeout=60,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    year, week = _last_week()
    page = f"{base}/logboek/{world['trajectory']}/week/{year}/{week}/"
    csrf = _csrf(http, page)
    headers = {"X-CSRFToken": csrf, "Referer": page, "Accept": "application/json"}
    texts = [f"Concept {n} van deze week: gesprekken met mentoren" for n in range(BURST)]

    def autosave(text):
        def job():
            response = http.post(
                page + "autosave/",
                data={"actions": text, "goals": ["1"]},
                headers=headers,
                timeout=120,
            )
            return text, response.status_code

        return job

    return _burst([autosave(text) for text in texts]), texts, (year, week)


def _stored(env, world, year, week) -> dict:
    code = (
        "import json; from dialogues.models import HarvestItem; from logbooks.models import Entry;"
        f"items = list(HarvestItem.objects.filter(session_id={world['session']}).values_list('text', flat=True));"
        f"entries = list(Entry.objects.filter(author_id={world['champion_id']}, trajectory_id={world['trajectory']},"
        f" iso_year={year}, iso_week={week}).values_list('actions', flat=True));"
        "print(json.dumps({'items': items, 'entries': entries}))"
    )
    return json.loads(_manage(env, "shell", "-v0", "-c", code).strip().splitlines()[-1])


def _run_both_bursts(env, gunicorn_args, log_path) -> dict:
    world = _prepare(env)
    with _gunicorn(env, gunicorn_args, log_path) as base:
        started = time.monotonic()
        harvest, harvest_texts = _harvest_burst(base, world)
        harvest_seconds = time.monotonic() - started
        started = time.monotonic()
        autosaves, autosave_texts, (year, week) = _autosave_burst(base, world)
        autosave_seconds = time.monotonic() - started
        static = requests.get(f"{base}/static/..%2fdb.sqlite3", timeout=30).status_code
        static_dots = requests.get(f"{base}/static/%2e%2e/%2e%2e/db.sqlite3", timeout=30)
    stored = _stored(env, world, year, week)
    log = Path(log_path).read_text()
    figures = {
        "harvest": Counter(status for _t, status in harvest),
        "harvest_seconds": round(harvest_seconds, 1),
        "autosave": Counter(status for _t, status in autosaves),
        "autosave_seconds": round(autosave_seconds, 1),
    }
    print(json.dumps(figures, default=dict))

    assert [s for _t, s in harvest if s >= 500] == [], figures
    assert [s for _t, s in harvest] == [302] * BURST, figures
    assert sorted(stored["items"]) == sorted(harvest_texts), "harvest items lost or doubled"
    assert [s for _t, s in autosaves if s >= 500] == [], figures
    assert [s for _t, s in autosaves] == [200] * BURST, figures
    assert len(stored["entries"]) == 1, f"{len(stored['entries'])} entries for one week"
    assert stored["entries"][0] in autosave_texts
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-3000:]
    assert static == 404 and static_dots.status_code == 404, (static, static_dots.status_code)
    return figures


def test_make_run_configuration_takes_fifty_phones_at_once(tmp_path):
    """gunicorn as `make run` starts it, on a SQLite file with the project's settings."""
    env = _env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEDIA_ROOT=str(tmp_path))
    _run_both_bursts(env, ["-c", "lobtraject/gunicorn_local.py"], tmp_path / "gunicorn.log")
    makefile = (BASE_DIR / "Makefile").read_text()
    # `make run` serves with exactly this configuration.
    assert "SERVE := $(VENV)/bin/gunicorn -c lobtraject/gunicorn_local.py" in makefile
    assert re.search(r"^run:.*\n(?:\t.*\n)*\t\$\(SERVE\)", makefile, re.M), (
        "make run must use $(SERVE)"
    )


def test_postgresql_with_gunicorn_as_in_production_takes_fifty_phones_at_once(
    postgres_server, redis_server, tmp_path
):
    if postgres_server is None:
        services.skip_or_fail("this test needs the PostgreSQL test server")
    import psycopg

    name = f"lob_load_{os.getpid()}"
    with psycopg.connect(postgres_server.url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = _env(
        DATABASE_URL=postgres_server.url(name),
        CACHE_URL=f"{redis_server.url.rsplit('/', 1)[0]}/6",
        MEDIA_ROOT=str(tmp_path),
    )
    compose = (BASE_DIR / "docker-compose.yml").read_text()
    assert "--workers 3" in compose
    try:
        _run_both_bursts(env, ["--workers", "3"], tmp_path / "gunicorn.log")
    finally:
        with psycopg.connect(postgres_server.url("postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
