from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports import services
from reports.builders import BUILDERS
from reports.models import Audience


class Command(BaseCommand):
    help = "Build a report as PDF with the same service the web application uses."

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(BUILDERS))
        parser.add_argument("--object", required=True, type=int, dest="object_id",
                            help="Id of the dialogue session (harvest), trajectory (summary), "
                                 "organisation (portrait) or study (crosscase, synthesis).")
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--audience", default=Audience.RESEARCH_TEAM,
                            choices=Audience.values)

    def handle(self, *args, kind, object_id, out, audience, **options):
        builder = BUILDERS[kind]
        if not builder.model.objects.filter(pk=object_id).exists():
            raise CommandError(f"{builder.model._meta.verbose_name} {object_id} does not exist.")
        if audience not in builder.audiences:
            raise CommandError(f"a {kind} report is not made for audience {audience!r}")
        try:
            size = services.report_build_to_file(kind=kind, object_id=object_id, out=out,
                                                 audience=audience)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{out} ({size} bytes)")
