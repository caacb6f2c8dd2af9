import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    VMBO = "vmbo", _("vmbo")
    HAVO_VWO = "havo_vwo", _("havo/vwo")
    MBO = "mbo", _("mbo")
    HO = "ho", _("ho")


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("school")
    PROGRAMME = "programme", _("programme")
    DEPARTMENT = "department", _("department")


class Organisation(models.Model):
    """The unit a trajectory works with: a school, a programme or a department."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, help_text=_("How people usually call it.")
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    kind = models.CharField(
        _("kind"), max_length=12, choices=OrganisationKind.choices, default=OrganisationKind.SCHOOL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="organisation_name_unique"),
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="organisation_sector_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name


class Location(models.Model):
    """A site of an organisation; an mbo institution often has several."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="location_name_unique_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.city})" if self.city else self.name


class Study(models.Model):
    """A research project or cohort; trajectories, overviews and exports are per study."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="study_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name


class StudyRole(models.TextChoices):
    RESEARCHER = "researcher", _("researcher")
    COACH = "coach", _("team coach")


class StudyMembership(models.Model):
    """Membership of a study's research team.

    A researcher here who holds no role in a given trajectory is that
    trajectory's *independent* researcher (the one who may hold its closing
    interviews).
    """

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=StudyRole.choices)

    class Meta:
        verbose_name = _("study membership")
        verbose_name_plural = _("study memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["study", "user", "role"], name="study_membership_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=StudyRole.values), name="study_membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.study}"


class Phase(models.TextChoices):
    RECRUITMENT = "recruitment", _("Recruitment and decision")
    START_DIALOGUE = "start_dialogue", _("Start dialogue")
    CUSTOM = "custom", _("Custom trajectory")
    CLOSING = "closing", _("Closing")
    FINISHED = "finished", _("Finished")
    DECLINED = "declined", _("Declined")


class Trajectory(models.Model):
    """One organisation's four-phase professionalisation trajectory in a study."""

    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="trajectories")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="trajectories"
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.RECRUITMENT
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "organisation"], name="trajectory_unique_per_study"
            ),
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values), name="trajectory_phase_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="trajectory_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.study})"


class Role(models.TextChoices):
    COACH = "coach", _("team coach")
    RESEARCHER = "researcher", _("researcher")
    CHAMPION = "champion", _("champion")
    BUDDY = "buddy", _("buddy")
    MANAGER = "manager", _("manager")
    PARTICIPANT = "participant", _("participant")


class Membership(models.Model):
    """A person's role in one trajectory; one person may hold several roles."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    is_alumnus = models.BooleanField(_("alumnus of the career-coaching course"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "user", "role"], name="membership_unique"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]
        indexes = [models.Index(fields=["user", "trajectory"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.trajectory}"


class Unit(models.TextChoices):
    YEAR_GROUP = "year_group", _("year group")
    EXPERT_TEAM = "expert_team", _("expert team or working group")
    WHOLE = "whole", _("whole organisation or programme")
    CHAMPIONS = "champions", _("champions only")
    MANAGEMENT = "management", _("management")


class InterventionType(models.TextChoices):
    SPARRING = "sparring", _("sparring with champions about next steps")
    THINKING_ALONG = "thinking_along", _("thinking along about planned interventions")
    COACHING = "coaching", _("coaching champions on their role")
    INTERIM = "interim", _("interim evaluation with management and champions")
    DIALOGUE = "dialogue", _("leading a follow-up dialogue session")
    TRAINING = "training", _("training for (part of) a team")
    PRESENTATION = "presentation", _("presentation to the whole organisation")


UNIT_CHOICES = Unit.choices


class HalfDay(models.Model):
    """A session with (part of) the team. The start dialogue is half-day 1."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="half_days")
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_online = models.BooleanField(_("online"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_start_dialogue = models.BooleanField(_("start dialogue"), default=False)
    unit = models.CharField(_("unit"), max_length=12, choices=UNIT_CHOICES, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    intervention_types = models.JSONField(_("intervention types"), default=list, blank=True)
    goals = models.JSONField(_("goals addressed"), default=list, blank=True)
    preparation_notes = models.TextField(_("preparation notes"), blank=True)
    what_happened = models.TextField(_("what happened"), blank=True)
    learning_outcomes = models.TextField(_("the team's learning outcomes"), blank=True)

    class Meta:
        verbose_name = _("half-day")
        verbose_name_plural = _("half-days")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="half_day_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["trajectory"],
                condition=Q(is_start_dialogue=True),
                name="one_start_dialogue_per_trajectory",
            ),
        ]

    def __str__(self):
        return self.title or str(self.starts_at.date())


# ---------------------------------------------------------------------------
# Phase 1: contacts, recruitment, decision, interview, start agreement
# ---------------------------------------------------------------------------


class ContactPerson(models.Model):
    """Someone at an organisation the research team is in touch with."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContactKind(models.TextChoices):
    MAIL = "mail", _("mail")
    CALL = "call", _("call")
    MEETING = "meeting", _("meeting")


class RecruitmentContact(models.Model):
    """One entry of the recruitment log."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="recruitment_contacts"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    people = models.CharField(_("people"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_introductory = models.BooleanField(_("introductory meeting"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recruitment contact")
        verbose_name_plural = _("recruitment contacts")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ContactKind.values), name="recruitment_contact_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class FactorCategory(models.TextChoices):
    ORGANISATION = "organisation", _("organisation")
    MANAGEMENT = "management", _("management")
    CHAMPION = "champion", _("champion")
    COACH = "coach", _("team coach")


class FactorOption(models.Model):
    """The pick-list of decision factors seen in the study."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(
        _("category"), max_length=12, choices=FactorCategory.choices, blank=True
    )

    class Meta:
        verbose_name = _("decision factor option")
        verbose_name_plural = _("decision factor options")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Decision(models.Model):
    """The organisation's yes or no to a trajectory."""

    trajectory = models.OneToOneField(Trajectory, on_delete=models.CASCADE, related_name="decision")
    is_yes = models.BooleanField(_("decision is yes"))
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.trajectory}: {'yes' if self.is_yes else 'no'}"


class DecisionFactor(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="factors")
    category = models.CharField(_("category"), max_length=12, choices=FactorCategory.choices)
    is_helping = models.BooleanField(_("helping"), default=True)
    option = models.ForeignKey(
        FactorOption, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("factor")
    )
    free_text = models.CharField(_("other factor"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("decision factor")
        verbose_name_plural = _("decision factors")
        ordering = ["category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=FactorCategory.values), name="decision_factor_category"
            ),
            models.CheckConstraint(
                condition=Q(option__isnull=False) | ~Q(free_text=""),
                name="decision_factor_named",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.option.name if self.option_id else self.free_text


class CoachInterview(models.Model):
    """The team coach's phase-1 interview: four questions, for yes and no alike."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="coach_interview"
    )
    run_up = models.TextField(_("How did the run-up go?"), blank=True)
    helped = models.TextField(_("What helped?"), blank=True)
    hindered = models.TextField(_("What hindered?"), blank=True)
    decisive = models.TextField(_("What led to the decision?"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("team coach interview")
        verbose_name_plural = _("team coach interviews")

    def __str__(self):
        return str(self.trajectory)


class StartAgreement(models.Model):
    """The start agreement (startdocument); versioned, locked once all three parties signed."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="start_agreements"
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    facilitation_hours = models.DecimalField(
        _("facilitation of the champion (hours)"), max_digits=6, decimal_places=1, default=0
    )
    facilitation_period = models.CharField(
        _("per"), max_length=60, blank=True, help_text=_("For example: per week, per period.")
    )
    support = models.TextField(_("support for the champion"), blank=True)
    coach_hours_budget = models.DecimalField(
        _("team coach's hour budget"), max_digits=6, decimal_places=1, default=40
    )
    min_half_days = models.PositiveIntegerField(_("minimum number of half-days"), default=5)
    duties = models.JSONField(_("data-collection duties"), default=list, blank=True)
    sub_goals = models.TextField(
        _("the organisation's own sub-goals"), blank=True, help_text=_("One per line.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("start agreement")
        verbose_name_plural = _("start agreements")
        ordering = ["trajectory", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "version"], name="start_agreement_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(coach_hours_budget__gt=0), name="start_agreement_budget_positive"
            ),
            models.CheckConstraint(
                condition=Q(facilitation_hours__gte=0),
                name="start_agreement_facilitation_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} v{self.version}"

    @property
    def signed_parties(self):
        return {signature.party for signature in self.signatures.all()}

    @property
    def is_locked(self):
        return self.signed_parties >= set(SignatureParty.values)

    @property
    def sub_goal_list(self):
        return [line.strip() for line in self.sub_goals.splitlines() if line.strip()]


class Duty(models.TextChoices):
    LOGBOOK = "logbook", _("keep the weekly logbook")
    HARVEST = "harvest", _("collect the harvest of each half-day")
    MAIL = "mail", _("share relevant e-mail correspondence")
    INTERVIEW = "interview", _("take part in the closing interview")
    CONSENT = "consent", _("collect informed consent of participants")


class SignatureParty(models.TextChoices):
    RESEARCH_TEAM = "research_team", _("research team")
    CHAMPION = "champion", _("champion")
    MANAGEMENT = "management", _("management")


class Signature(models.Model):
    agreement = models.ForeignKey(
        StartAgreement, on_delete=models.CASCADE, related_name="signatures"
    )
    party = models.CharField(_("party"), max_length=16, choices=SignatureParty.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signature_once_per_party"),
            models.CheckConstraint(
                condition=Q(party__in=SignatureParty.values), name="signature_party_valid"
            ),
        ]

    def __str__(self):
        return f"{self.agreement} — {self.get_party_display()}"


class PhaseTransition(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("phase transition")
        verbose_name_plural = _("phase transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_phase} → {self.to_phase}"


# ---------------------------------------------------------------------------
# Planning details of a half-day, hours and the calendar feed
# ---------------------------------------------------------------------------


class Activity(models.TextChoices):
    PREPARATION = "preparation", _("preparation")
    HALF_DAY = "half_day", _("half-day")
    CALL = "call", _("coaching call")
    MAIL = "mail", _("mail")


class HourEntry(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="hour_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hour_entries"
    )
    date = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=12, choices=Activity.choices)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hour entry")
        verbose_name_plural = _("hour entries")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="hour_entry_positive"),
            models.CheckConstraint(
                condition=Q(activity__in=Activity.values), name="hour_entry_activity_valid"
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.hours}"


class BudgetExtension(models.Model):
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="budget_extensions"
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    reason = models.CharField(_("reason"), max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget extension")
        verbose_name_plural = _("budget extensions")
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="budget_extension_positive")
        ]

    def __str__(self):
        return f"+{self.hours}"


class CalendarFeed(models.Model):
    """A private .ics URL per user; revoking it makes the URL return 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_active_feed"
            )
        ]

    def __str__(self):
        return f"{self.user} feed"


# ---------------------------------------------------------------------------
# Phase 4: closing meeting, closing interviews and goal progress
# ---------------------------------------------------------------------------


def closing_audio_path(instance, filename):
    """A random name under private/: recordings are never served from a public path."""
    suffix = ""
    if "." in filename:
        suffix = "." + filename.rsplit(".", 1)[1].lower()[:8]
    return f"private/closing-interview-audio/{uuid.uuid4().hex}{suffix}"


class ClosingMeeting(models.Model):
    """The closing meeting with champions, management and the research team."""

    trajectory = models.OneToOneField(
        Trajectory, on_delete=models.CASCADE, related_name="closing_meeting"
    )
    held_on = models.DateField(_("date"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="closing_meetings_attended",
        blank=True,
        verbose_name=_("attended"),
    )
    look_back = models.TextField(_("looking back"), blank=True)
    look_ahead = models.TextField(_("looking ahead"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("closing meeting")
        verbose_name_plural = _("closing meetings")

    def __str__(self):
        return f"{self.trajectory} — {self.held_on}"


class InterviewStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    MISSED = "missed", _("did not take place")


class MissedReason(models.TextChoices):
    PERSONAL_CIRCUMSTANCES = "personal_circumstances", _("personal circumstances")
    CHANGE_OF_JOB = "change_of_job", _("change of job")
    ILLNESS = "illness", _("illness")
    OTHER = "other", _("other reason")


class IntervieweeRole(models.TextChoices):
    CHAMPION = Role.CHAMPION.value, Role.CHAMPION.label
    BUDDY = Role.BUDDY.value, Role.BUDDY.label
    MANAGER = Role.MANAGER.value, Role.MANAGER.label


class ClosingInterview(models.Model):
    """A closing interview with a champion, buddy or manager.

    Held by a researcher who is not involved in the trajectory (checked by
    ``services.closing_interview_plan``). Its text is research data: only the
    research team reads it.
    """

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="closing_interviews"
    )
    interviewee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="closing_interviews_given",
        verbose_name=_("interviewee"),
    )
    interviewee_role = models.CharField(
        _("role of the interviewee"), max_length=12, choices=IntervieweeRole.choices
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closing_interviews_held",
        verbose_name=_("interviewer"),
    )
    planned_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online (Teams)"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.PLANNED
    )
    missed_reason = models.CharField(
        _("reason"), max_length=24, choices=MissedReason.choices, blank=True
    )
    missed_note = models.TextField(_("explanation"), blank=True)
    overall_steps = models.TextField(_("Which steps were taken?"), blank=True)
    overall_helped = models.TextField(_("What helped?"), blank=True)
    overall_hindered = models.TextField(_("What hindered?"), blank=True)
    still_needed = models.TextField(_("What is still needed?"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    completed_from_recording = models.BooleanField(
        _("notes completed from the recording"), default=False
    )
    audio = models.FileField(
        _("recording"), upload_to=closing_audio_path, max_length=200, blank=True
    )
    audio_content_type = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("closing interview")
        verbose_name_plural = _("closing interviews")
        ordering = ["planned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "interviewee"], name="closing_interview_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InterviewStatus.values), name="closing_interview_status"
            ),
            models.CheckConstraint(
                condition=Q(interviewee_role__in=IntervieweeRole.values),
                name="closing_interview_role",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=InterviewStatus.MISSED) & Q(missed_reason__in=MissedReason.values)
                )
                | (~Q(status=InterviewStatus.MISSED) & Q(missed_reason="")),
                name="closing_interview_missed_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} — {self.interviewee}"


class GoalReached(models.TextChoices):
    NO = "no", _("no")
    PARTLY = "partly", _("partly")
    YES = "yes", _("yes")


class ClosingInterviewGoalAnswer(models.Model):
    """The answers in a closing interview about one goal or one of the organisation's sub-goals.

    Exactly one of ``goal`` (1–4, see trajectories.goals.Goal) and ``sub_goal``
    (a line of the start agreement's sub-goals) is set.
    """

    interview = models.ForeignKey(
        ClosingInterview, on_delete=models.CASCADE, related_name="goal_answers"
    )
    goal = models.IntegerField(_("goal"), null=True, blank=True)
    sub_goal = models.CharField(_("sub-goal"), max_length=300, blank=True)
    steps = models.TextField(_("Which steps were taken?"), blank=True)
    helped = models.TextField(_("What helped?"), blank=True)
    hindered = models.TextField(_("What hindered?"), blank=True)
    reached = models.CharField(
        _("Was the goal reached?"), max_length=8, choices=GoalReached.choices, blank=True
    )

    class Meta:
        verbose_name = _("answer per goal")
        verbose_name_plural = _("answers per goal")
        ordering = ["interview", "goal", "sub_goal"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(goal__isnull=False) & Q(goal__gte=1) & Q(goal__lte=4) & Q(sub_goal=""))
                | (Q(goal__isnull=True) & ~Q(sub_goal="")),
                name="goal_answer_goal_or_sub_goal",
            ),
            models.CheckConstraint(
                condition=Q(reached="") | Q(reached__in=GoalReached.values),
                name="goal_answer_reached_valid",
            ),
            models.UniqueConstraint(
                fields=["interview", "goal"],
                condition=Q(goal__isnull=False),
                name="goal_answer_once_per_goal",
            ),
            models.UniqueConstraint(
                fields=["interview", "sub_goal"],
                condition=Q(goal__isnull=True),
                name="goal_answer_once_per_sub_goal",
            ),
        ]

    def __str__(self):
        return f"{self.interview} — {self.goal or self.sub_goal}"


class GoalSource(models.TextChoices):
    START_AGREEMENT = "start_agreement", _("start agreement")
    INTERIM_EVALUATION = "interim_evaluation", _("interim evaluation")
    CLOSING_INTERVIEW = "closing_interview", _("closing interview")


class GoalProgress(models.TextChoices):
    """How far a goal is, on a four-step scale that orders from 0 to 3.

    The start agreement records the baseline (usually *not started*); interim
    evaluations may record any step; a closing interview's "partly" and "yes"
    become *partly reached* and *reached*.
    """

    NOT_STARTED = "not_started", _("not started yet")
    IN_PROGRESS = "in_progress", _("working on it")
    PARTLY = "partly", _("partly reached")
    REACHED = "reached", _("reached")


GOAL_PROGRESS_ORDER = {status: index for index, status in enumerate(GoalProgress.values)}


class GoalStatus(models.Model):
    """Where one goal (or sub-goal) of a trajectory stood on a date, and who said so."""

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="goal_statuses"
    )
    goal = models.IntegerField(_("goal"), null=True, blank=True)
    sub_goal = models.CharField(_("sub-goal"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=GoalSource.choices)
    recorded_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=GoalProgress.choices)
    half_day = models.ForeignKey(
        HalfDay, on_delete=models.CASCADE, null=True, blank=True, related_name="goal_statuses"
    )
    interview = models.ForeignKey(
        ClosingInterview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goal_statuses",
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("goal status")
        verbose_name_plural = _("goal statuses")
        ordering = ["recorded_on", "pk"]
        indexes = [models.Index(fields=["trajectory", "recorded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(goal__isnull=False) & Q(goal__gte=1) & Q(goal__lte=4) & Q(sub_goal=""))
                | (Q(goal__isnull=True) & ~Q(sub_goal="")),
                name="goal_status_goal_or_sub_goal",
            ),
            models.CheckConstraint(
                condition=Q(source__in=GoalSource.values), name="goal_status_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=GoalProgress.values), name="goal_status_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(source=GoalSource.INTERIM_EVALUATION)
                    & Q(half_day__isnull=False)
                    & Q(interview__isnull=True)
                )
                | (
                    Q(source=GoalSource.CLOSING_INTERVIEW)
                    & Q(interview__isnull=False)
                    & Q(half_day__isnull=True)
                )
                | (
                    Q(source=GoalSource.START_AGREEMENT)
                    & Q(half_day__isnull=True)
                    & Q(interview__isnull=True)
                ),
                name="goal_status_source_link",
            ),
            # One status per goal per half-day, per interview, and one baseline.
            models.UniqueConstraint(
                fields=["half_day", "goal"],
                condition=Q(half_day__isnull=False, goal__isnull=False),
                name="goal_status_once_per_half_day_goal",
            ),
            models.UniqueConstraint(
                fields=["half_day", "sub_goal"],
                condition=Q(half_day__isnull=False, goal__isnull=True),
                name="goal_status_once_per_half_day_sub_goal",
            ),
            models.UniqueConstraint(
                fields=["interview", "goal"],
                condition=Q(interview__isnull=False, goal__isnull=False),
                name="goal_status_once_per_interview_goal",
            ),
            models.UniqueConstraint(
                fields=["interview", "sub_goal"],
                condition=Q(interview__isnull=False, goal__isnull=True),
                name="goal_status_once_per_interview_sub_goal",
            ),
            models.UniqueConstraint(
                fields=["trajectory", "goal"],
                condition=Q(source="start_agreement", goal__isnull=False),
                name="goal_status_one_baseline_per_goal",
            ),
            models.UniqueConstraint(
                fields=["trajectory", "sub_goal"],
                condition=Q(source="start_agreement", goal__isnull=True),
                name="goal_status_one_baseline_per_sub_goal",
            ),
        ]

    def __str__(self):
        return f"{self.trajectory} — {self.goal or self.sub_goal}: {self.status}"
