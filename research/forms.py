from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, ConsentKind


class PaperConsentForm(forms.Form):
    """A consent signed on paper, recorded by a researcher: only with the signed form."""

    user = forms.TypedChoiceField(label=_("Person"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind of data collection"), choices=ConsentKind.choices)
    agreed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    signed_form = forms.FileField(
        label=_("Signed form"),
        help_text=_("A scan or photo of the signed form: PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (member.user_id, f"{member.user.get_full_name() or member.user.email}")
            for member in members
        ]


class ConsentAnswerForm(forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices)
    agreed = forms.ChoiceField(choices=[("yes", _("I agree")), ("no", _("I do not agree"))])
    name = forms.CharField(label=_("Your name (as your signature)"), max_length=200, required=False)
    # A withdrawal is asked twice: the first "no" shows what it will do.
    confirmed = forms.BooleanField(required=False)


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
