from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from .goals import Goal
from .models import (
    Activity,
    CoachInterview,
    ContactKind,
    ContactPerson,
    Duty,
    FactorCategory,
    FactorOption,
    GoalProgress,
    GoalReached,
    HalfDay,
    InterventionType,
    MissedReason,
    OrganisationKind,
    RecruitmentContact,
    Role,
    Sector,
    StartAgreement,
    Study,
    StudyRole,
)
from .selectors import organisation_name_taken

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PhaseForm(forms.Form):
    to_phase = forms.CharField(widget=forms.HiddenInput)


class PhaseReasonForm(forms.Form):
    to_phase = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the phase history."),
    )


class RecruitmentContactForm(forms.ModelForm):
    class Meta:
        model = RecruitmentContact
        fields = ["date", "kind", "people", "notes", "is_introductory"]
        widgets = {"date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}

    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "email", "phone"]


class DecisionForm(forms.Form):
    is_yes = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("yes")), ("0", _("no"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_WIDGET)


class FactorForm(forms.Form):
    """A decision factor. The pick-list is grouped by category (the page's script
    shows only the chosen category's group) and an option is accepted only under
    its own category; a free text is kept beside an option as its explanation."""

    category = forms.ChoiceField(label=_("Category"), choices=FactorCategory.choices)
    is_helping = forms.TypedChoiceField(
        label=_("Effect"),
        choices=[("1", _("helping")), ("0", _("hindering"))],
        coerce=lambda value: value == "1",
    )
    option = forms.TypedChoiceField(label=_("Factor"), required=False, coerce=int, empty_value=None)
    free_text = forms.CharField(
        label=_("Other factor or explanation"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = list(FactorOption.objects.order_by("name"))
        self.options = {option.pk: option for option in options}
        groups = [
            (label, [(o.pk, o.name) for o in options if o.category == value])
            for value, label in FactorCategory.choices
        ]
        loose = [(o.pk, o.name) for o in options if not o.category]
        self.fields["option"].choices = [("", "---------"), *[g for g in groups if g[1]]]
        if loose:
            self.fields["option"].choices.append((_("Other"), loose))
        self.fields["option"].widget.attrs["data-factor-options"] = "1"

    def clean_option(self):
        value = self.cleaned_data.get("option")
        return self.options.get(value) if value is not None else None

    def clean(self):
        data = super().clean()
        option = data.get("option")
        if not option and not data.get("free_text", "").strip():
            raise forms.ValidationError(_("Choose a factor from the list or describe one."))
        if option and option.category and data.get("category") not in (None, option.category):
            self.add_error(
                "option",
                _("“%(option)s” belongs to the category %(category)s.")
                % {"option": option.name, "category": option.get_category_display()},
            )
        return data


class CoachInterviewForm(forms.ModelForm):
    class Meta:
        model = CoachInterview
        fields = ["run_up", "helped", "hindered", "decisive"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class StartAgreementForm(forms.ModelForm):
    duties = forms.MultipleChoiceField(
        label=_("Data-collection duties of the champion"),
        help_text=_("At least the logbook is needed before the agreement can be signed."),
        choices=Duty.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = StartAgreement
        fields = [
            "facilitation_hours",
            "facilitation_period",
            "support",
            "coach_hours_budget",
            "min_half_days",
            "duties",
            "sub_goals",
        ]
        widgets = {
            "support": forms.Textarea(attrs={"rows": 3}),
            "sub_goals": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's own (translated) messages instead of a constraint name.
        self.fields["facilitation_hours"].validators.append(MinValueValidator(0))
        self.fields["coach_hours_budget"].validators.append(MinValueValidator(1))


class SignForm(forms.Form):
    party = forms.CharField(widget=forms.HiddenInput)


class PersonForm(forms.Form):
    """Add someone to a trajectory; `roles` are the roles the current user may add."""

    role = forms.ChoiceField(label=_("Role"))
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    infix = forms.CharField(label=_("Infix"), max_length=30, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    is_alumnus = forms.BooleanField(
        label=_("Alumnus of the career-coaching course"),
        required=False,
        help_text=_("Only for champions and buddies."),
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
        if roles == [Role.PARTICIPANT]:
            self.fields["role"].widget = forms.HiddenInput()
            self.fields["role"].initial = Role.PARTICIPANT
            del self.fields["is_alumnus"]

    def clean(self):
        data = super().clean()
        if data.get("role") not in (Role.CHAMPION, Role.BUDDY):
            data["is_alumnus"] = False
        return data


class StudyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end must be on or after the start."))
        return data


class StudyMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=StudyRole.choices)
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=100)
    infix = forms.CharField(label=_("Infix"), max_length=30, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150)


def parse_locations(text: str) -> list[tuple[str, str]]:
    """ "Name, City" per line into (name, city) pairs; empty lines are skipped."""
    locations = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        name, _sep, city = line.partition(",")
        locations.append((name.strip()[:200], city.strip()[:100]))
    return locations


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=60,
        required=False,
        help_text=_("How people usually call it."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=OrganisationKind.choices, initial=OrganisationKind.SCHOOL
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    locations = forms.CharField(
        label=_("Locations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One location per line, as name, city. For example: Hoofdgebouw, Zwolle"),
    )

    def __init__(self, *args, exclude_pk=None, **kwargs):
        self.exclude_pk = exclude_pk
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if organisation_name_taken(name, exclude_pk=self.exclude_pk):
            raise forms.ValidationError(
                _(
                    "An organisation with this name already exists. Look it up in the list of trajectories, or choose a name that tells them apart (for example with the city)."
                )
            )
        return name

    def clean_locations(self):
        return parse_locations(self.cleaned_data.get("locations", ""))


class TrajectoryOpenForm(OrganisationForm):
    study = forms.ModelChoiceField(
        label=_("Study"), queryset=Study.objects.none(), empty_label=None
    )
    starts_on = forms.DateField(label=_("Trajectory starts on"), required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Trajectory ends on"), required=False, widget=DATE_WIDGET)

    field_order = [
        "study",
        "name",
        "short_name",
        "kind",
        "sector",
        "locations",
        "starts_on",
        "ends_on",
    ]

    def __init__(self, *args, studies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["study"].queryset = studies

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end must be on or after the start."))
        return data


class HalfDayForm(forms.ModelForm):
    intervention_types = forms.MultipleChoiceField(
        label=_("Intervention types"),
        choices=InterventionType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    goals = forms.TypedMultipleChoiceField(
        label=_("Goals addressed"),
        choices=Goal.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = HalfDay
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "is_online",
            "place",
            "is_start_dialogue",
            "unit",
            "participants",
            "intervention_types",
            "goals",
            "preparation_notes",
            "what_happened",
            "learning_outcomes",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "participants": forms.Textarea(attrs={"rows": 2}),
            "preparation_notes": forms.Textarea(attrs={"rows": 3}),
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self):
        # The service validates the instance (times, period, constraints) and
        # reports in Dutch; skip the model's own full_clean here.
        opts = self._meta
        self.instance = forms.models.construct_instance(self, self.instance, opts.fields)


class OutcomesForm(forms.Form):
    learning_outcomes = forms.CharField(
        label=_("The team's learning outcomes"), widget=forms.Textarea(attrs={"rows": 4})
    )


class HourEntryForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    # A text field, localised: "1,5" is the Dutch way to write one and a half
    # (a number input would turn it into 15 in an English-language browser).
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("For example 1,5 for an hour and a half; at most a working day."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class BudgetExtensionForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours"),
        max_digits=5,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


# --- phase 4: closing ---------------------------------------------------------------


class ClosingMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the closing meeting"), widget=DATE_WIDGET)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    look_back = forms.CharField(
        label=_("Looking back"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    look_ahead = forms.CharField(
        label=_("Looking ahead"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = candidates
        self.fields["attendees"].label_from_instance = lambda user: user.get_full_name()


class ClosingInterviewPlanForm(forms.Form):
    """Plan a closing interview. The interviewer list holds only independent researchers."""

    interviewee = forms.TypedChoiceField(label=_("Interviewee"), coerce=int)
    interviewer = forms.ModelChoiceField(
        label=_("Interviewer"),
        queryset=None,
        required=False,
        help_text=_("Only researchers who are not involved in this trajectory."),
    )
    planned_at = forms.DateTimeField(
        label=_("Date and time"), required=False, widget=DATETIME_WIDGET
    )
    is_online = forms.BooleanField(label=_("Online (Teams)"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)

    def __init__(self, *args, interviewees, interviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {membership.user.pk: membership.user for membership in interviewees}
        self.fields["interviewee"].choices = [("", "---------")] + [
            (
                membership.user.pk,
                f"{membership.user.get_full_name()} ({membership.get_role_display()})",
            )
            for membership in interviewees
        ]
        self.fields["interviewer"].queryset = interviewers
        self.fields["interviewer"].label_from_instance = lambda user: user.get_full_name()

    def clean_interviewee(self):
        return self.people[self.cleaned_data["interviewee"]]


class ClosingInterviewMissedForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why did the interview not take place?"),
        choices=[("", "---------"), *MissedReason.choices],
    )
    note = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


GUIDE_TEXT_FIELDS = (
    ("steps", _("Which steps were taken?")),
    ("helped", _("What helped?")),
    ("hindered", _("What hindered?")),
)


class ClosingInterviewGuideForm(forms.Form):
    """The interview guide: overall, then per goal and sub-goal, then what is still needed.

    Goal fields are named ``g1-steps`` … ``g4-reached`` for the four goals and
    ``s0-steps`` … for the sub-goals (in the order of the start agreement).
    """

    overall_steps = forms.CharField(
        label=_("Which steps were taken?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    overall_helped = forms.CharField(
        label=_("What helped?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    overall_hindered = forms.CharField(
        label=_("What hindered?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, sub_goals=(), answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        self.goal_sections = []
        targets = [(f"g{int(goal)}", int(goal), "", goal.label) for goal in Goal]
        targets += [(f"s{index}", None, name, name) for index, name in enumerate(sub_goals)]
        for prefix, goal, sub_goal, label in targets:
            answer = answers.get((goal, sub_goal))
            names = []
            for name, field_label in GUIDE_TEXT_FIELDS:
                self.fields[f"{prefix}-{name}"] = forms.CharField(
                    label=field_label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=getattr(answer, name, ""),
                )
                names.append(f"{prefix}-{name}")
            self.fields[f"{prefix}-reached"] = forms.ChoiceField(
                label=_("Was the goal reached?"),
                choices=[("", _("not answered")), *GoalReached.choices],
                required=False,
                widget=forms.RadioSelect,
                initial=getattr(answer, "reached", ""),
            )
            names.append(f"{prefix}-reached")
            self.goal_sections.append(
                {
                    "prefix": prefix,
                    "goal": goal,
                    "sub_goal": sub_goal,
                    "label": label,
                    "names": names,
                }
            )
        self.fields["still_needed"] = forms.CharField(
            label=_("What is still needed?"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["notes"] = forms.CharField(
            label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
        )
        self.fields["completed_from_recording"] = forms.BooleanField(
            label=_("Notes completed from the recording"), required=False
        )

    def sections(self):
        """The goal sections with their bound fields, for the template."""
        for section in self.goal_sections:
            yield {**section, "fields": [self[name] for name in section["names"]]}

    def goal_answers(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "goal": section["goal"],
                "sub_goal": section["sub_goal"],
                **{
                    name: data.get(f"{section['prefix']}-{name}", "")
                    for name in ("steps", "helped", "hindered", "reached")
                },
            }
            for section in self.goal_sections
        ]


class ClosingAudioForm(forms.Form):
    audio = forms.FileField(label=_("Recording of the interview (audio file)"))


class InterimEvaluationForm(forms.Form):
    """A status per goal and sub-goal, recorded on an interim-evaluation half-day."""

    note = forms.CharField(
        label=_("Note on the interim evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, sub_goals=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.targets = [(f"g{int(goal)}", int(goal), "", goal.label) for goal in Goal]
        self.targets += [(f"s{index}", None, name, name) for index, name in enumerate(sub_goals)]
        for prefix, goal, sub_goal, label in self.targets:
            self.fields[prefix] = forms.ChoiceField(
                label=label,
                choices=[("", _("not discussed")), *GoalProgress.choices],
                required=False,
                initial=current.get((goal, sub_goal), ""),
            )
        self.order_fields([prefix for prefix, *_rest in self.targets] + ["note"])

    def statuses(self) -> dict[tuple, str]:
        return {
            (goal, sub_goal): self.cleaned_data.get(prefix, "")
            for prefix, goal, sub_goal, _label in self.targets
        }
