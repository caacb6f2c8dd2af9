"""Notification e-mails about "Wat wacht op mij", through the outbox.

Every hour a task mails each person the open actions that are new since the
last mail (each action once, remembered in NotificationSent); people who chose
the weekly digest get all their open actions in one e-mail on Monday morning
instead. Kinds a person switched off are left out.

Two kinds already have their own e-mails and are not sent again here: the
weekly logbook reminder (logbooks, with its own day, hour and on/off) and the
request to approve a harvest report (dialogues, with reminders before the
deadline).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import OWN_EMAIL_KINDS, NotificationPreference, NotificationSent

from .waiting import open_actions


def _recipients():
    """Active people with a password and a role somewhere: who can act on an e-mail."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(memberships__isnull=False) | Q(study_memberships__isnull=False))
        .exclude(password__startswith="!")
        .distinct()
        .order_by("pk")
    )


def notify_user(*, user, digest: bool) -> int:
    """Mail `user` what waits for them; returns how many actions were in the e-mail.

    `digest` False: the new actions of people who want them at once.
    `digest` True: every open action of people who chose the weekly e-mail.
    """
    preference = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )
    if preference.weekly_digest != digest:
        return 0
    actions = [
        action
        for action in open_actions(user)
        if action.kind not in OWN_EMAIL_KINDS and preference.wants(action.kind)
    ]
    if not digest:
        sent = set(
            NotificationSent.objects.filter(
                user=user, key__in=[action.key for action in actions]
            ).values_list("key", flat=True)
        )
        actions = [action for action in actions if action.key not in sent]
    if not actions:
        return 0
    site = settings.SITE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "actions": [(action, site + action.url) for action in actions],
            "digest": digest,
            "home_url": site + reverse("home"),
            "preferences_url": site + reverse("notification_preferences"),
        }
        subject = " ".join(render_to_string("notifications/subject.txt", context).split())
        body = render_to_string("notifications/email.txt", context)
    with transaction.atomic():
        for action in actions:
            try:
                with transaction.atomic():
                    NotificationSent.objects.get_or_create(user=user, key=action.key)
            except IntegrityError:
                # Another run recorded it at the same moment; sending once more is harmless.
                pass
    send_mail(subject, body, None, [user.email])
    return len(actions)


def notifications_send(*, digest: bool = False) -> int:
    """Run `notify_user` for everyone who may have something waiting; returns e-mails sent."""
    sent = 0
    for user in _recipients().iterator():
        if notify_user(user=user, digest=digest):
            sent += 1
    return sent
