import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from lobtraject.demo import DEMO_PASSWORD, DemoContext

# Each app seeds its own part, in this order; later apps build on earlier ones.
SEEDERS = [
    "trajectories",
    "dialogues",
    "logbooks",
    "reports",
    "research",
    "coding",
    # Last: the overview's stored sort keys of everything seeded (bulk rounds send no signals).
    "dashboards",
]


class Command(BaseCommand):
    help = "Create realistic Dutch demo data. Safe to run twice: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the number of organisations and trajectories (for benchmarks).",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, scale, quiet_logins, **options):
        if scale < 1 or scale > 1000:
            raise CommandError("--scale must be between 1 and 1000.")
        with translation.override(settings.LANGUAGE_CODE):
            self._seed(scale, quiet_logins, options.get("verbosity", 1))

    def _seed(self, scale, quiet_logins, verbosity=1):
        # Demo texts are Dutch and some (the coding fragments' headings) are stored
        # translated: seed in Dutch, and refuse rather than freeze English into them.
        if translation.gettext("Anything else") == "Anything else":
            raise CommandError(
                "The Dutch translations are not compiled; run `make compilemessages` "
                "(manage.py compilemessages) first."
            )
        ctx = DemoContext(scale=scale)
        with transaction.atomic():
            for app in SEEDERS:
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise
                    continue
                started = time.perf_counter()
                module.seed(ctx)
                if verbosity >= 2:
                    ctx.log.append(f"{app}: {time.perf_counter() - started:.1f} s")
        for line in ctx.log:
            self.stdout.write(line)
        if not quiet_logins:
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
            for key, user in ctx.users.items():
                self.stdout.write(f"  {user.email:<28} {key}")
