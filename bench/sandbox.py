"""Django set up on a throwaway SQLite database, for the benchmarks that build
their own data (bench_reports, bench_pseudonymiser, bench_export)."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def setup_django(folder: Path, *, migrate: bool = True) -> None:
    """Settings on `folder` (database and media), tasks in-process; migrate if asked."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lobtraject.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
