from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # E-mail addresses are compared case-insensitively at login.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address.

    Dutch surnames carry a separate tussenvoegsel ("van der") that is sorted
    apart from the surname and that the pseudonymiser must recognise on its own.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    infix = models.CharField(
        _("tussenvoegsel"), max_length=30, blank=True, help_text=_("For example: van der")
    )
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the management site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    def get_short_name(self):
        return self.first_name or self.email


class NotificationKind(models.TextChoices):
    """The events that put something in "Wat wacht op mij" and may send an e-mail."""

    SIGN_AGREEMENT = "sign_agreement", _("A start agreement waits for your signature")
    WRITE_LOGBOOK = "write_logbook", _("This week's logbook is open")
    APPROVE_REPORT = "approve_report", _("A harvest report waits for your approval")
    CLOSING_INTERVIEW = "closing_interview", _("A closing interview to plan or hold")
    CHANGE_REQUEST = "change_request", _("A change request to answer")
    REPORT_READY = "report_ready", _("A report is ready")
    REVIEW_INVITATION = "review_invitation", _("A dialogue invitation to review")


# Kinds that already have their own e-mail: the weekly logbook reminder (with its
# own settings) and the request to approve a harvest report (with reminders).
# The notification e-mails leave them out, so nobody gets the same news twice.
OWN_EMAIL_KINDS = frozenset({NotificationKind.WRITE_LOGBOOK, NotificationKind.APPROVE_REPORT})


class NotificationPreference(models.Model):
    """Which notification e-mails a person wants, and whether at once or once a week.

    No row means the default: every kind, sent as it happens.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="notification_preference"
    )
    kinds_off = models.JSONField(_("kinds switched off"), default=list, blank=True)
    weekly_digest = models.BooleanField(
        _("one e-mail a week"),
        default=False,
        help_text=_("Collect everything in one e-mail on Monday morning instead."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    def wants(self, kind: str) -> bool:
        return kind not in (self.kinds_off or [])


class NotificationSent(models.Model):
    """That one open action was mailed to one person, so it is mailed only once.

    `key` names the action ("sign_agreement:12:3" = trajectory 12, version 3).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("action"), max_length=120)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_sent_once"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.key}"
