from django.core.management.base import BaseCommand

from lobtraject import outbox


class Command(BaseCommand):
    help = "Send tasks that were stored while the broker was unreachable."

    def handle(self, *args, **options):
        sent = outbox.relay()
        left = outbox.pending_count()
        self.stdout.write(f"sent {sent}, still pending {left}")
