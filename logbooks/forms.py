from django import forms
from django.utils.translation import gettext_lazy as _

from trajectories.goals import GOAL_SHORT_LABELS, Goal
from trajectories.models import HalfDay

from .models import TEXT_FIELDS, Entry, LogbookSettings, NoteKind


class EntryForm(forms.ModelForm):
    goals = forms.TypedMultipleChoiceField(
        label=_("Which goals does this concern?"),
        choices=[(int(goal), GOAL_SHORT_LABELS[goal]) for goal in Goal],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Entry
        fields = [*TEXT_FIELDS, "shared_with_coach"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in TEXT_FIELDS}

    def __init__(self, *args, show_share=True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.initial.setdefault("goals", [int(goal) for goal in self.instance.goals])
        if not show_share:
            del self.fields["shared_with_coach"]


class AudioForm(forms.Form):
    audio = forms.FileField(label=_("Voice message (audio file)"))


class SettingsForm(forms.ModelForm):
    reminder_hour = forms.TypedChoiceField(
        label=_("Reminder hour"),
        choices=[(hour, f"{hour:02d}:00") for hour in range(7, 23)],
        coerce=int,
    )

    class Meta:
        model = LogbookSettings
        fields = [
            "reminders_enabled",
            "reminder_weekday",
            "reminder_hour",
            "share_with_coach_by_default",
        ]


class HalfDayField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.starts_at:%d-%m-%Y} {obj.title}".strip()


class _DataPointForm(forms.Form):
    half_day = HalfDayField(label=_("Half-day"), queryset=HalfDay.objects.none(), required=False)

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["half_day"].queryset = HalfDay.objects.filter(trajectory=trajectory)


class EmailUploadForm(_DataPointForm):
    eml = forms.FileField(label=_("E-mail file (.eml)"))
    field_order = ["eml", "half_day"]


class NoteForm(_DataPointForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=NoteKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    field_order = ["kind", "occurred_on", "half_day", "title", "text"]


class TimelineFilterForm(forms.Form):
    SOURCES = [
        ("", _("All sources")),
        ("entry", _("Logbook entries")),
        ("email", _("E-mails")),
        ("observation", _("Observation notes")),
        ("conversation", _("Conversation notes")),
    ]
    ROLES = [
        ("", _("All roles")),
        ("champion", _("champion")),
        ("buddy", _("buddy")),
        ("coach", _("team coach")),
        ("researcher", _("researcher")),
    ]
    q = forms.CharField(label=_("Search"), required=False)
    source = forms.ChoiceField(label=_("Source"), choices=SOURCES, required=False)
    role = forms.ChoiceField(label=_("Role of the author"), choices=ROLES, required=False)
    goal = forms.TypedChoiceField(
        label=_("Goal"),
        choices=[("", _("All goals"))] + [(int(g), GOAL_SHORT_LABELS[g]) for g in Goal],
        coerce=int,
        empty_value=None,
        required=False,
    )
