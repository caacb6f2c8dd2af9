import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectories.goals import Goal

from .models import MAX_ITEM_LENGTH, Decision, DialogueSession, Invitee
from .selectors import session_facilitators, session_researchers


class SessionForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
    )

    class Meta:
        model = DialogueSession
        fields = [
            "kind",
            "half_day",
            "theme",
            "lob_term",
            "starts_at",
            "duration_minutes",
            "is_online",
            "place",
            "agenda",
            "facilitator",
            "researcher",
        ]

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = session_facilitators(trajectory)
        self.fields["researcher"].queryset = session_researchers(trajectory)
        self.fields["half_day"].queryset = trajectory.half_days.all()
        if not self.is_bound:
            self._preselect(trajectory)

    def _preselect(self, trajectory) -> None:
        """What a fresh install has one of: the coach, the study's researcher and the
        start dialogue half-day that has no session yet (its date and place with it)."""
        for name in ("facilitator", "researcher"):
            choices = list(self.fields[name].queryset.values_list("pk", flat=True)[:2])
            if len(choices) == 1:
                self.initial.setdefault(name, choices[0])
        day = (
            trajectory.half_days.filter(is_start_dialogue=True, dialogue_sessions__isnull=True)
            .order_by("starts_at")
            .first()
        )
        if day is not None and "half_day" not in self.initial:
            self.initial.update(half_day=day.pk, starts_at=timezone.localtime(day.starts_at))
            self.initial.setdefault("place", day.place)
            self.initial.setdefault("is_online", day.is_online)
            minutes = int((day.ends_at - day.starts_at).total_seconds() // 60)
            if 15 <= minutes <= 480:
                self.initial.setdefault("duration_minutes", minutes)

    def clean_theme(self):
        theme = self.cleaned_data["theme"].strip()
        theme_keeps_the_i(theme)
        return theme


class InviteeForm(forms.ModelForm):
    class Meta:
        model = Invitee
        fields = ["name", "email"]


class HarvestItemForm(forms.Form):
    # Length and emptiness are checked by the service, with a Dutch message.
    text = forms.CharField(
        label=_("Your harvest item"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_ITEM_LENGTH}),
    )
    goal = forms.TypedChoiceField(
        label=_("Goal (optional)"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("No goal"))] + list(Goal.choices),
    )


class GroupForm(forms.Form):
    group = forms.CharField(label=_("Group"), max_length=100, required=False)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this item hidden?"),
        max_length=300,
        help_text=_("For example: a duplicate of another item. The author sees this."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportForm(forms.Form):
    body = forms.CharField(label=_("Harvest report"), widget=forms.Textarea(attrs={"rows": 16}))
    reply = forms.CharField(
        label=_("Your reply to the change requests"),
        required=False,
        help_text=_("What you changed, or why not. The participants who asked read it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = forms.DateField(
        label=_("Answer before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Your answer"), choices=Decision.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (required when you ask for a change)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing"), widget=forms.Textarea(attrs={"rows": 3})
    )


def theme_keeps_the_i(theme: str) -> None:
    """The theme may be the school's own variant, as long as it keeps the "Ik"."""
    if not re.search(r"\bik\b", theme, flags=re.IGNORECASE):
        raise forms.ValidationError(
            _("Keep the “Ik” in the theme, for example “Ik als coach” or “Ik en SLB”.")
        )


class InvitationTextForm(forms.ModelForm):
    """The champion writes the opening and signature; term and theme stay choosable."""

    ask_review = forms.BooleanField(
        label=_("Ask the team coach to look at the invitation before it is sent"),
        required=False,
    )

    class Meta:
        model = DialogueSession
        fields = ["lob_term", "theme", "invitation_opening", "invitation_signature"]
        widgets = {
            "invitation_opening": forms.Textarea(attrs={"rows": 5}),
            "invitation_signature": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_theme(self):
        theme = self.cleaned_data["theme"].strip()
        theme_keeps_the_i(theme)
        return theme
