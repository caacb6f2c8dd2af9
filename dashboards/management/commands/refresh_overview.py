from django.core.management.base import BaseCommand

from dashboards import services


class Command(BaseCommand):
    help = "Bring the overview's stored sort keys up to date (what the periodic task does)."

    def handle(self, *args, **options):
        written = services.refresh_all_stale()
        self.stdout.write(f"{written} overview rows refreshed.")
