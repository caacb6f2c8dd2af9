from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditAction


class ResearchConsentForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Person"), coerce=int)
    agreed_on = forms.DateField(
        label=_("Agreed on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (member.user_id, f"{member.user.get_full_name() or member.user.email}")
            for member in members
        ]


class AliasForm(forms.Form):
    alias = forms.CharField(
        label=_("Other name for the organisation"),
        max_length=200,
        help_text=_("For example a short form people use in texts, such as “het Baken”."),
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All actions")), *AuditAction.choices]
    )
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, actors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Everyone"))] + [
            (user.pk, user.get_full_name() or user.email) for user in actors
        ]
