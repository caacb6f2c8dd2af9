"""Dialogue sessions (start dialogue and follow-up dialogues), their invitees,
informed consent, the harvest the participants collect and the harvest report
they approve.

Invitees usually have no account: they act through a signed personal link
(see `dialogues.tokens`). Their consent is research's (`research.Consent`,
kind "dialogue", per trajectory), like everyone else's.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectories.goals import Goal
from trajectories.models import HalfDay, Trajectory

DEFAULT_THEME = "Ik en loopbaanbegeleiding"
DEFAULT_AGENDA = "30 minuten: welkom en werkwijze\n60 minuten: dialoogronde\n30 minuten: oogsten"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_ITEM_LENGTH = 2000


def new_session_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class DialogueKind(models.TextChoices):
    START = "start", _("Start dialogue")
    FOLLOW_UP = "follow_up", _("Follow-up dialogue")


class LobTerm(models.TextChoices):
    LB = "LB", "LB"
    LOB = "LOB", "LOB"
    SLB = "SLB", "SLB"
    SB = "SB", "SB"


class DialogueSession(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="dialogue_sessions"
    )
    half_day = models.ForeignKey(
        HalfDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_sessions",
        verbose_name=_("half-day"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=DialogueKind.choices, default=DialogueKind.START
    )
    theme = models.CharField(_("theme"), max_length=200, default=DEFAULT_THEME)
    lob_term = models.CharField(
        _("term for career guidance"), max_length=4, choices=LobTerm.choices, default=LobTerm.LOB
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    is_online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place or meeting link"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), default=DEFAULT_AGENDA)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitated_dialogues",
        verbose_name=_("facilitator"),
    )
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="researched_dialogues",
        verbose_name=_("researcher"),
    )
    # The champion's own words on top of the model invitation (seed 003, appendix 3):
    # an opening and a signature ("namens de aanjagers, mede namens het MT"). When
    # the champion asks the team coach to look at it first, sending waits for that.
    invitation_opening = models.TextField(
        _("opening of the invitation"),
        blank=True,
        help_text=_("In your own words: why this dialogue, for whom. Empty: the model text."),
    )
    invitation_signature = models.TextField(
        _("signature of the invitation"),
        blank=True,
        help_text=_("For example: on behalf of the champions, also on behalf of the management."),
    )
    invitation_review_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    invitation_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    invitation_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    code = models.CharField(_("session code"), max_length=8, unique=True, default=new_session_code)
    harvest_closed_at = models.DateTimeField(_("harvest closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dialogue session")
        verbose_name_plural = _("dialogue sessions")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DialogueKind.values), name="dialogue_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(lob_term__in=LobTerm.values), name="dialogue_lob_term_valid"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=480),
                name="dialogue_duration_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d-%m-%Y}"

    @property
    def harvest_open(self) -> bool:
        return self.harvest_closed_at is None

    @property
    def invitation_awaits_review(self) -> bool:
        """The champion asked the team coach to look at the text and they have not yet."""
        return self.invitation_review_requested_at is not None and (
            self.invitation_reviewed_at is None
            or self.invitation_reviewed_at < self.invitation_review_requested_at
        )


class Invitee(models.Model):
    """A person invited to a session; acts through a signed personal link."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_invitations",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                name="invitee_unique_per_session",
                violation_error_message=_("This e-mail address has already been invited."),
            )
        ]

    def __str__(self):
        return self.name


class InvitationSend(models.Model):
    """One e-mail sent to an invitee: the record of sending and re-sending."""

    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="sends")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.invitee} {self.sent_at:%Y-%m-%d %H:%M}"


class HarvestItem(models.Model):
    session = models.ForeignKey(
        DialogueSession, on_delete=models.CASCADE, related_name="harvest_items"
    )
    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="harvest_items")
    text = models.TextField(_("text"), max_length=MAX_ITEM_LENGTH)
    goal = models.PositiveSmallIntegerField(_("goal"), choices=Goal.choices, null=True, blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    # The facilitator hides duplicates and stray items: kept (and shown to their
    # author with the reason), but left out of the board, the report and coding.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("harvest item")
        verbose_name_plural = _("harvest items")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=True) | Q(goal__in=Goal.values),
                name="harvest_item_goal_valid",
            ),
        ]

    def __str__(self):
        return self.text[:60]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    FINAL = "final", _("Approved by all")
    CLOSED = "closed", _("Closed by the researcher")


class HarvestReport(models.Model):
    session = models.OneToOneField(DialogueSession, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    deadline = models.DateField(_("answer before"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("harvest report")
        verbose_name_plural = _("harvest reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="harvest_report_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.CLOSED) | ~Q(closed_reason=""),
                name="harvest_report_closed_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.session} ({self.status})"

    def current_version(self):
        return self.versions.order_by("-number").first()


class ReportVersion(models.Model):
    report = models.ForeignKey(HarvestReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text"))
    # The researcher's answer to the change requests on the version before.
    reply = models.TextField(_("reply to the change requests"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # A superseded version the researcher redacted: its text is gone, the row stays.
    redacted_at = models.DateTimeField(_("redacted at"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approved")
    CHANGE = "change", _("Change requested")


class Approval(models.Model):
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="answers")
    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="answers")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "invitee"], name="approval_once_per_version"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="approval_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision="approve") | ~Q(comment=""),
                name="approval_change_has_comment",
            ),
        ]

    def __str__(self):
        return f"{self.invitee} {self.decision} v{self.version_id}"
