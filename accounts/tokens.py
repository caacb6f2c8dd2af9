"""The set-password link in an invitation e-mail.

A token of Django's own generator with its own salt and lifetime: it is bound to
the account's password hash and last login, so it stops working once the
password is set, and it expires after ``INVITATION_TIMEOUT`` seconds (settings;
default seven days). A password-reset token does not open it, nor the reverse.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "lobtraject.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        """Like Django's check, but against INVITATION_TIMEOUT (read on use, so test
        overrides apply) instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > settings.INVITATION_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_token_generator = InvitationTokenGenerator()


def set_password_url(user) -> str:
    """The absolute set-password link for `user`, valid for INVITATION_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    path = reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path
