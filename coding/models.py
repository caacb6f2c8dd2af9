"""Open and axial coding of the research material, and the anonymised exports.

A `Fragment` is one source text (a logbook entry, an approved harvest report,
a harvest item, a closing interview, an e-mail or a research note) copied
into the coding workbench. Its text is pseudonymised when the fragment is
made, so the character offsets a `Coding` stores stay valid in every export.

Every fragment records whose words it holds (`user` or `invitee`): when a
person withdraws consent in time, `services.fragment_forget_person` deletes
their fragments and the codings on them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from research.sources import SourceKind
from trajectories.models import Study, Trajectory


class Fragment(models.Model):
    """One pseudonymised source text of a trajectory, ready to be coded."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="coding_fragments"
    )
    kind = models.CharField(_("kind of source"), max_length=16, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField(_("source"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    # Whose words these are. Deleting that person deletes their fragments too;
    # withdrawal calls services.fragment_forget_person explicitly first.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coding_fragments",
    )
    invitee = models.ForeignKey(
        "dialogues.Invitee",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coding_fragments",
    )
    author_label = models.CharField(_("author (pseudonym)"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # deduce's safety net: what still looks like a name in the pseudonymised
    # text ([{"start", "end", "text", "tag"}]), for a researcher to review.
    name_findings = models.JSONField(_("possible names to review"), default=list, blank=True)
    names_checked_at = models.DateTimeField(_("names checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fragment")
        verbose_name_plural = _("fragments")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="fragment_one_per_source"),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="fragment_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["trajectory", "kind"]),
            # The fragment list pages newest first: walked in this order it stops
            # after a page instead of sorting every fragment of the study.
            models.Index(fields=["-occurred_on", "-id"], name="fragment_newest_first"),
        ]

    def __str__(self):
        return self.title


class Category(models.Model):
    """A group of codes made in axial coding; categories nest into a tree."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="code_categories")
    name = models.CharField(_("name"), max_length=120)
    # RESTRICT, not PROTECT: a category with sub-categories cannot be deleted on
    # its own, but deleting the whole study takes the tree along.
    parent = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "study", Lower("name"), name="category_name_unique_per_study",
                violation_error_message=_("A category with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name


class Code(models.Model):
    """An open code; `category` places it in the tree of axial coding."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="codes")
    name = models.CharField(_("name"), max_length=120)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="codes",
        verbose_name=_("category"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "study", Lower("name"), name="code_name_unique_per_study",
                violation_error_message=_("A code with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name


class Memo(models.Model):
    """A researcher's note on a code, a fragment or one coding (a coded segment); memos
    are kept, never edited, so the reasoning stays visible. Exactly one target is set;
    a memo goes with its fragment or coding when that is deleted (e.g. on withdrawal)."""

    code = models.ForeignKey(
        Code, on_delete=models.CASCADE, related_name="memos", null=True, blank=True
    )
    fragment = models.ForeignKey(
        "Fragment", on_delete=models.CASCADE, related_name="memos", null=True, blank=True
    )
    coding = models.ForeignKey(
        "Coding", on_delete=models.CASCADE, related_name="memos", null=True, blank=True
    )
    text = models.TextField(_("memo"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(code__isnull=False, fragment__isnull=True, coding__isnull=True)
                    | Q(code__isnull=True, fragment__isnull=False, coding__isnull=True)
                    | Q(code__isnull=True, fragment__isnull=True, coding__isnull=False)
                ),
                name="memo_has_one_target",
            ),
        ]

    def __str__(self):
        return self.text[:60]


class Coding(models.Model):
    """A code given to the characters [start, end) of a fragment by one coder."""

    fragment = models.ForeignKey(Fragment, on_delete=models.CASCADE, related_name="codings")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    start = models.PositiveIntegerField(_("from character"))
    end = models.PositiveIntegerField(_("to character"))
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="codings",
        verbose_name=_("coder"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        ordering = ["fragment", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="coding_span_not_empty"),
            models.UniqueConstraint(
                fields=["fragment", "code", "start", "end", "coder"],
                name="coding_unique_per_coder",
            ),
        ]
        indexes = [models.Index(fields=["code", "fragment"])]

    def __str__(self):
        return f"{self.code} [{self.start}:{self.end}]"

    @property
    def quote(self) -> str:
        return self.fragment.text[self.start : self.end]


class ExportFormat(models.TextChoices):
    JSON = "json", "JSON"
    CSV = "csv", _("CSV (zip of tables)")
    XLSX = "xlsx", _("Excel (XLSX)")
    QDPX = "qdpx", _("REFI-QDA project (QDPX)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


FORMAT_SUFFIX = {"json": "json", "csv": "zip", "xlsx": "xlsx", "qdpx": "qdpx"}


def _export_path(instance, filename):
    # Random names under the private folder: only the download view, which
    # checks that the reader is in the research team, serves the file.
    return f"private/exports/{uuid.uuid4().hex}.{FORMAT_SUFFIX[instance.fmt]}"


class Export(models.Model):
    """An anonymised export of one study, made in the background."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="exports")
    fmt = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=_export_path, max_length=200, blank=True)
    # The trajectories the requester may read when asking: a participating
    # researcher exports only their own trajectories of the study.
    trajectory_ids = models.JSONField(default=list, blank=True)
    # QDPX: also give each organisation as a code on its sources (for QualCoder).
    case_codes = models.BooleanField(_("cases also as codes"), default=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="coding_exports",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("anonymised export")
        verbose_name_plural = _("anonymised exports")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fmt__in=ExportFormat.values), name="export_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_status_valid"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_max_100"),
        ]

    def __str__(self):
        return f"{self.study} {self.fmt} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def download_name(self) -> str:
        return f"export-{self.study_id}-{self.pk}.{FORMAT_SUFFIX[self.fmt]}"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    APPLIED = "applied", _("Taken over")
    CANCELLED = "cancelled", _("Cancelled")


class QdpxImport(models.Model):
    """A REFI-QDA project uploaded by a researcher: first a preview of what would
    change (`plan`), then, once confirmed, the codebook and codings taken over.

    The uploaded file itself is not kept: the plan holds everything needed.
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="qdpx_imports")
    file_name = models.CharField(_("file"), max_length=200)
    status = models.CharField(
        _("status"), max_length=9, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    # The trajectories the uploader could read: the codings go only onto those.
    trajectory_ids = models.JSONField(default=list, blank=True)
    plan = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    changes_applied = models.BooleanField(_("changes to existing codes taken over"),
                                          default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("taken over at"), null=True, blank=True)

    class Meta:
        verbose_name = _("QDPX import")
        verbose_name_plural = _("QDPX imports")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="qdpx_import_status_valid"
            ),
        ]

    def __str__(self):
        return self.file_name
