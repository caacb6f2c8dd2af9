"""Project-level checks: migrations, deploy settings, demo data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent


def test_no_missing_migrations(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_env():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x7Kq2-production-like-secret-for-the-check-9fJ3LmZp0aQwErTy",
        "ALLOWED_HOSTS": "lob-traject.example",
        "DATABASE_URL": "sqlite:////tmp/lob-deploy-check.sqlite3",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_seed_demo_twice_duplicates_nothing(demo_data):
    from accounts.models import User
    from trajectories.models import HalfDay, Membership, Organisation, Phase, Trajectory

    counts = [m.objects.count() for m in (User, Organisation, Trajectory, Membership, HalfDay)]
    call_command("seed_demo", quiet_logins=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert [m.objects.count() for m in (User, Organisation, Trajectory, Membership, HalfDay)] == counts
    assert set(Trajectory.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert set(Organisation.objects.values_list("sector", flat=True)) == {"vmbo", "havo_vwo", "mbo", "ho"}
    assert User.objects.filter(infix__in=["van der", "van den", "de", "ter", "op de"]).count() >= 5
    for email in ("teamcoach", "aanjager", "maatje", "manager", "onderzoeker", "onafhankelijk",
                  "deelnemer", "aanjager2"):
        user = User.objects.get(email=f"{email}@demo.test")
        assert user.check_password("demo-wachtwoord")


@pytest.mark.django_db
@pytest.mark.slow  # seeds the demo again at --scale 3
def test_seed_demo_scale_multiplies_volume(demo_data):
    from trajectories.models import Trajectory

    base = Trajectory.objects.count()
    call_command("seed_demo", scale=3, quiet_logins=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Trajectory.objects.count() == base * 3


def test_every_task_a_service_enqueues_by_name_is_registered():
    """Services enqueue tasks by name (they do not import their tasks module);
    a misspelt name would only fail when the transaction commits."""
    import re

    from lobtraject.celery import app

    names = set()
    for path in BASE_DIR.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        names |= set(re.findall(r"enqueue\(\s*\"([\w.]+)\"", path.read_text(encoding="utf-8")))
    assert {"coding.tasks.build_export", "reports.tasks.build_report"} <= names
    app.loader.import_default_modules()
    assert names <= set(app.tasks), names - set(app.tasks)
