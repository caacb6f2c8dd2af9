from django.core.management.base import BaseCommand

from accounts.housekeeping import prune


class Command(BaseCommand):
    help = "Delete sent outbox rows and login records older than their retention (see README)."

    def handle(self, *args, **options):
        pruned = prune()
        self.stdout.write(
            f"{pruned.outbox} sent outbox rows and {pruned.login_records} login records deleted"
        )
