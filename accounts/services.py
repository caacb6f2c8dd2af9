from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import OWN_EMAIL_KINDS, NotificationKind, NotificationPreference, User


def password_reset_send(*, user_id: int) -> bool:
    """E-mail a password-reset link to an active user; False if there is no such user."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "reset_url": settings.SITE_URL.rstrip("/") + path}
        subject = render_to_string("registration/password_reset_subject.txt", context)
        body = render_to_string("registration/password_reset_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return True


def notification_preference_for(user) -> NotificationPreference:
    """The person's choices; an unsaved default (everything on, at once) when none."""
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference or NotificationPreference(user=user)


def notification_preference_save(*, user, kinds_on, weekly_digest: bool) -> NotificationPreference:
    kinds_off = [
        kind
        for kind in NotificationKind.values
        if kind not in set(kinds_on) and kind not in OWN_EMAIL_KINDS
    ]
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"kinds_off": kinds_off, "weekly_digest": bool(weekly_digest)}
    )
    return preference


# What the application administrator manages in Django admin (/beheer/): accounts,
# studies, organisations, trajectories and who takes part. Research data (consent,
# pseudonyms, logbooks, harvests, codings) stay out: the informed consent keeps
# those for the research team.
ADMINISTRATOR_GROUP = "Applicatiebeheer"
ADMINISTRATOR_MODELS = {
    "accounts": ["user"],
    "trajectories": [
        "study",
        "studymembership",
        "organisation",
        "location",
        "trajectory",
        "membership",
        "historyevent",
    ],
}


def administrators_group():
    """The group whose members manage accounts and set-up in /beheer/ (created when missing)."""
    group, _created = Group.objects.get_or_create(name=ADMINISTRATOR_GROUP)
    wanted = Permission.objects.none()
    for app_label, models in ADMINISTRATOR_MODELS.items():
        wanted = wanted | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    group.permissions.set(wanted)
    return group


def administrator_make(user) -> None:
    """Staff status plus the administrator group: what /beheer/ needs to show anything."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(administrators_group())
