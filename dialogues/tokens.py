"""Signed personal links for invitees (who usually have no account)."""

from django.core import signing

SALT = "dialogues.invitee"
MAX_AGE_DAYS = 120


class TokenError(Exception):
    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def make_token(invitee) -> str:
    return signing.dumps({"i": invitee.pk, "s": invitee.session_id}, salt=SALT, compress=True)


def read_token(token: str) -> dict:
    try:
        return signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise TokenError(expired=True) from None
    except signing.BadSignature:
        raise TokenError(expired=False) from None
