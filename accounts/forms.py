from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from lobtraject import outbox

from . import tasks
from .models import OWN_EMAIL_KINDS, NotificationKind


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "This e-mail address and password do not match. Check both and try again."
        ),
        "inactive": _("This account is not active."),
    }


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset e-mail from a Celery task instead of inside the request.

    The task rebuilds the link itself from the user id, so no token travels
    through the broker.
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, domain_override=None, use_https=False, request=None, **kwargs):
        email = self.cleaned_data["email"]
        for user in self.get_users(email):
            outbox.enqueue(tasks.send_password_reset, user.pk)


class NotificationPreferenceForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me an e-mail when"),
        choices=[(k, label) for k, label in NotificationKind.choices if k not in OWN_EMAIL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What you switch off still shows under “What waits for me”."),
    )
    weekly_digest = forms.BooleanField(
        label=_("Collect these in one e-mail a week (Monday morning)"), required=False
    )

    def __init__(self, *args, preference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].initial = [
            kind
            for kind in NotificationKind.values
            if kind not in OWN_EMAIL_KINDS and preference.wants(kind)
        ]
        self.fields["weekly_digest"].initial = preference.weekly_digest
