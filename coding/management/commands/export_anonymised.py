"""`python manage.py export_anonymised --out PATH --format {json,csv,xlsx,qdpx}`"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coding import services
from coding.exports import WRITERS, export_anonymised
from research.audit import audit_record
from trajectories.models import Study, Trajectory


class Command(BaseCommand):
    help = "Write the anonymised research export (pseudonymised texts, codes, codings)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="File to write; '-' for standard output.")
        parser.add_argument("--format", dest="fmt", choices=sorted(WRITERS), required=True)
        parser.add_argument("--study", type=int, help="Only this study (id).")
        parser.add_argument(
            "--case-codes", action="store_true",
            help="QDPX: also give each organisation as a code on its sources (for QualCoder).",
        )
        parser.add_argument(
            "--no-sync", action="store_true",
            help="Do not first turn new research material into fragments.",
        )

    def handle(self, *args, out, fmt, study=None, no_sync=False, case_codes=False, **options):

        trajectory_ids = None
        if study is not None:
            if not Study.objects.filter(pk=study).exists():
                raise CommandError(f"Study {study} does not exist.")
            trajectory_ids = list(
                Trajectory.objects.filter(study_id=study).values_list("id", flat=True)
            )
        if not no_sync:
            made = services.fragments_sync(trajectory_ids=trajectory_ids)
            self.stderr.write(f"{made} new fragments.")
        if out == "-":
            counts = export_anonymised(out=sys.stdout.buffer, fmt=fmt,
                                       trajectory_ids=trajectory_ids, case_codes=case_codes)
        else:
            path = Path(out)
            if path.parent and not path.parent.exists():
                raise CommandError(f"Folder {path.parent} does not exist.")
            counts = export_anonymised(out=path, fmt=fmt, trajectory_ids=trajectory_ids,
                                       case_codes=case_codes)

        audit_record(None, "export", target=f"command:{fmt}",
                     detail={"format": fmt, "counts": counts, "via": "manage.py"})
        self.stderr.write(
            f"Exported {counts['sources']} sources, {counts['codes']} codes and "
            f"{counts['codings']} codings as {fmt}."
        )
