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
    HalfDay,
    InterventionType,
    RecruitmentContact,
    Role,
    StartAgreement,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PhaseForm(forms.Form):
    to_phase = forms.CharField(widget=forms.HiddenInput)


class RecruitmentContactForm(forms.ModelForm):
    class Meta:
        model = RecruitmentContact
        fields = ["date", "kind", "people", "notes", "is_introductory"]
        widgets = {"date": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 3})}

    kind = forms.ChoiceField(label=_("kind"), choices=ContactKind.choices)


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
    decided_on = forms.DateField(label=_("decided on"), widget=DATE_WIDGET)


class FactorForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=FactorCategory.choices)
    is_helping = forms.TypedChoiceField(
        label=_("Effect"),
        choices=[("1", _("helping")), ("0", _("hindering"))],
        coerce=lambda value: value == "1",
    )
    option = forms.ModelChoiceField(
        label=_("factor"), queryset=FactorOption.objects.all(), required=False
    )
    free_text = forms.CharField(label=_("other factor"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("option") and not data.get("free_text", "").strip():
            raise forms.ValidationError(_("Choose a factor from the list or describe one."))
        return data


class CoachInterviewForm(forms.ModelForm):
    class Meta:
        model = CoachInterview
        fields = ["run_up", "helped", "hindered", "decisive"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class StartAgreementForm(forms.ModelForm):
    duties = forms.MultipleChoiceField(
        label=_("data-collection duties"),
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
    role = forms.ChoiceField(
        label=_("role"), choices=[(Role.CHAMPION, _("champion")), (Role.BUDDY, _("buddy"))]
    )
    email = forms.EmailField(label=_("e-mail address"))
    first_name = forms.CharField(label=_("first name"), max_length=150)
    infix = forms.CharField(label=_("infix"), max_length=30, required=False)
    last_name = forms.CharField(label=_("last name"), max_length=150)
    is_alumnus = forms.BooleanField(label=_("alumnus of the career-coaching course"), required=False)


class HalfDayForm(forms.ModelForm):
    intervention_types = forms.MultipleChoiceField(
        label=_("intervention types"),
        choices=InterventionType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    goals = forms.TypedMultipleChoiceField(
        label=_("goals addressed"),
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
        label=_("the team's learning outcomes"), widget=forms.Textarea(attrs={"rows": 4})
    )


class HourEntryForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DATE_WIDGET)
    activity = forms.ChoiceField(label=_("activity"), choices=Activity.choices)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=2)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class BudgetExtensionForm(forms.Form):
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1)
    reason = forms.CharField(label=_("reason"), max_length=300)
