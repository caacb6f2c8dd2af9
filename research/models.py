"""Research data: the pseudonym key, organisation codes, consent, withdrawal, audit.

The key (`Pseudonym`, `OrganisationCode`, `LocationCode`) lives in its own
tables so that nothing that leaves the research team needs to join them: an
export only ever sees labels such as "Aanjager 2" or "ORG-03". Only the
research team can read the key, and every reading is written to the audit log.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PseudonymKind(models.TextChoices):
    """The role word a pseudonym starts with; fixed Dutch labels, never translated.

    Pseudonyms are research data, not interface text: "Aanjager 2" must read the
    same in every export, whichever language the researcher's screen is in.
    """

    CHAMPION = "champion", "Aanjager"
    BUDDY = "buddy", "Maatje"
    MANAGER = "manager", "Leidinggevende"
    COACH = "coach", "Teamcoach"
    RESEARCHER = "researcher", "Onderzoeker"
    PARTICIPANT = "participant", "Docent"
    CONTACT = "contact", "Contactpersoon"
    OTHER = "other", "Persoon"


class Pseudonym(models.Model):
    """One row of the key: a stable pseudonym and the person it stands for.

    A person is an account (`user`), an invitee without account (identified by
    `email`, so the same teacher invited twice keeps one pseudonym) or an
    organisation's contact person. After a withdrawal inside the window the link
    to the person is erased but the row stays, so the number is never reused.
    """

    kind = models.CharField(_("role"), max_length=12, choices=PseudonymKind.choices)
    number = models.PositiveIntegerField(_("number"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pseudonym",
    )
    email = models.EmailField(_("e-mail address"), null=True, blank=True, unique=True)
    contact = models.OneToOneField(
        "trajectories.ContactPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pseudonym",
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("pseudonym")
        verbose_name_plural = _("pseudonyms")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="pseudonym_number_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=PseudonymKind.values), name="pseudonym_kind_valid"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{PseudonymKind(self.kind).label} {self.number}"


class OrganisationCode(models.Model):
    """The organisation's stable ID in everything that leaves the research team."""

    organisation = models.OneToOneField(
        "trajectories.Organisation", on_delete=models.CASCADE, related_name="research_code"
    )
    number = models.PositiveIntegerField(_("number"), unique=True)

    class Meta:
        verbose_name = _("organisation code")
        verbose_name_plural = _("organisation codes")
        ordering = ["number"]

    def __str__(self):
        return self.code

    @property
    def code(self) -> str:
        return format_organisation_code(self.number)


def format_organisation_code(number: int) -> str:
    return f"ORG-{number:02d}"


class LocationCode(models.Model):
    """A location's number within its organisation: "Locatie ORG-03-2"."""

    location = models.OneToOneField(
        "trajectories.Location", on_delete=models.CASCADE, related_name="research_code"
    )
    organisation = models.ForeignKey(
        "trajectories.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveIntegerField(_("number"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="location_code_unique_per_organisation"
            )
        ]

    def __str__(self):
        return f"#{self.number}"


class OrganisationAlias(models.Model):
    """Another name people use for an organisation ("het Baken", "CSG"), to be pseudonymised."""

    organisation = models.ForeignKey(
        "trajectories.Organisation", on_delete=models.CASCADE, related_name="research_aliases"
    )
    alias = models.CharField(_("alias"), max_length=200)

    class Meta:
        verbose_name = _("alias of an organisation")
        verbose_name_plural = _("aliases of organisations")
        ordering = ["alias"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "alias"], name="organisation_alias_unique"
            )
        ]

    def __str__(self):
        return self.alias


class ConsentKind(models.TextChoices):
    """The kinds of data collection a person consents to, each with its own text."""

    DIALOGUE = "dialogue", _("Dialogue participation (harvest and report approval)")
    LOGBOOK = "logbook", _("Weekly logbook")
    INTERVIEW = "interview", _("Closing interview with audio recording")
    NOTES = "notes", _("E-mails and observation notes about you")


class ConsentVia(models.TextChoices):
    APP = "app", _("In the app, logged in")
    LINK = "link", _("Through the personal link")
    PAPER = "paper", _("Signed on paper, recorded by a researcher")
    MIGRATED = "migrated", _("Recorded before consent per kind existed")


class ConsentText(models.Model):
    """One version of the Dutch consent text of one kind; a consent keeps its version."""

    kind = models.CharField(_("kind"), max_length=10, choices=ConsentKind.choices)
    version = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="consent_text_version"),
            models.CheckConstraint(
                condition=Q(kind__in=ConsentKind.values), name="consent_text_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.kind} v{self.version}"


def signed_form_path(instance, filename):
    return f"private/consent-forms/{uuid.uuid4().hex}.pdf"


class Consent(models.Model):
    """One answer of one person to one kind of data collection in one trajectory.

    The person is an account (`user`) or, for dialogue invitees without one, an
    e-mail address; `email` is always filled (lower case) so both are found the
    same way. The latest answer counts; an answer under an older text version
    stays valid for the data given under it, new data need the current version.
    """

    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="consents_given"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ConsentKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents_given",
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    agreed = models.BooleanField(_("agreed"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    via = models.CharField(_("given"), max_length=10, choices=ConsentVia.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_form = models.FileField(
        _("signed form"), upload_to=signed_form_path, max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["trajectory", "kind", "email", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConsentKind.values), name="consent_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(via="paper") | ~Q(signed_form=""),
                name="consent_paper_has_signed_form",
            ),
        ]

    def __str__(self):
        # No names here: this string may end up in logs.
        return f"consent #{self.pk} {self.kind} {self.agreed}"


class Withdrawal(models.Model):
    """The record that someone withdrew consent: for one kind of data in one trajectory
    (`kind`), or from the whole research (`kind` empty).

    A whole withdrawal inside the window (`within_window`) destroys the person's
    data and account; this row then keeps only the pseudonym label, the dates
    and a keyed digest of the e-mail address (so a re-invitation can be refused
    without storing the address). Otherwise `user` stays linked: it is what
    stops new collection (of that kind, or of every kind).
    """

    pseudonym_label = models.CharField(_("pseudonym"), max_length=60)
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="withdrawals",
    )
    # Empty: from the whole research. A kind: that kind of data in `trajectory` only.
    kind = models.CharField(
        _("kind of data"), max_length=16, choices=ConsentKind.choices, blank=True, default=""
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="withdrawals",
    )
    email_digest = models.CharField(max_length=64, blank=True, db_index=True)
    within_window = models.BooleanField(_("within the window"))
    reference_date = models.DateField(_("interview date"), null=True, blank=True)
    deadline = models.DateField(_("window ends on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.JSONField(_("what was removed"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    reopened_at = models.DateTimeField(_("participation re-opened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(within_window=False) | Q(user__isnull=True) | ~Q(kind=""),
                name="withdrawal_in_window_keeps_no_user",
            ),

        ]

    def __str__(self):
        return f"{self.pseudonym_label} {self.withdrawn_on:%Y-%m-%d}"


class AuditAction(models.TextChoices):
    VIEW_KEY = "view_key", _("Viewed the pseudonym key")
    EXPORT = "export", _("Exported data")
    WITHDRAW = "withdraw", _("Withdrew consent")
    RECORD_CONSENT = "record_consent", _("Recorded consent")
    CHANGE_CODE = "change_code", _("Changed a code")
    CHANGE_ALIAS = "change_alias", _("Changed an organisation alias")
    REOPEN = "reopen", _("Re-opened participation after a withdrawal")
    REDACT = "redact", _("Redacted a superseded report version")


class AuditEvent(models.Model):
    """One action on research data that the research team must be able to account for.

    `target` and `detail` never hold real names: they carry ids, pseudonyms and
    codes, so the log itself can be shown to every researcher.
    """

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    target = models.CharField(_("target"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    trajectory = models.ForeignKey(
        "trajectories.Trajectory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    study = models.ForeignKey(
        "trajectories.Study", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="audit_action_valid"
            )
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target}"
