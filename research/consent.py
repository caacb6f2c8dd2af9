"""Informed consent per kind of data collection: the texts, the reads and the gate.

Every service that accepts data about a person (a logbook entry, a harvest
item, an approval, closing interview notes or a recording, an e-mail, an
observation note) first calls `require_consent`: without that person's
current "yes" for that kind in that trajectory nothing is stored, and the
refusal says in Dutch where to give consent.

The texts are written from appendix 2 of the study (the informed consent):
each kind has its own paragraphs, followed by the promises every kind shares.
The Dutch body is stored with its version (`ConsentText`): what a person agreed
to is kept word for word. A new version in `TEXT_VERSIONS` asks everyone
again; consent under an older version stays valid for data given under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Consent, ConsentKind, ConsentText
from .selectors import active_withdrawal

# The current version of each kind's text. Version 1 of every kind is the single
# text used before consent per kind existed (kept for the consents given under it).
TEXT_VERSIONS = {
    ConsentKind.DIALOGUE: 2,
    ConsentKind.LOGBOOK: 2,
    ConsentKind.INTERVIEW: 2,
    ConsentKind.NOTES: 2,
}

LEGACY_TEXT_V1 = (
    "Tijdens deze dialoog verzamelen de deelnemers zelf de oogst. De onderzoeker gebruikt "
    "die oogst en het oogstverslag voor onderzoek naar professionalisering in "
    "loopbaanbegeleiding. Er worden geen geluids- of video-opnamen gemaakt. Je gegevens "
    "worden vertrouwelijk behandeld en in publicaties niet tot jou herleidbaar gemaakt. "
    "Alleen de deelnemers van deze sessie, de teamcoach en de onderzoekers lezen de oogst "
    "en het verslag; leidinggevenden niet. Deelname is vrijwillig en je kunt je "
    "toestemming later intrekken."
)

# What each kind asks (appendix 2, "Gang van zaken tijdens het onderzoek").
_KIND_PARAGRAPHS = {
    ConsentKind.DIALOGUE: [
        gettext_lazy(
            "What you agree to: you take part in a dialogue session on career guidance. "
            "The participants collect the harvest themselves; you add your own items. The "
            "participating researcher writes a harvest report from it and asks you to approve "
            "it or to ask for changes. No sound or video recordings are made of the dialogue."
        ),
        gettext_lazy(
            "Who reads it: only the participants of this session who gave consent, the team "
            "coach and the research team read the harvest and the report. Your managers do not, "
            "not even when they take part in the session."
        ),
    ],
    ConsentKind.LOGBOOK: [
        gettext_lazy(
            "What you agree to: you keep a logbook regularly (weekly) about how you work on "
            "the goals of the trajectory, in writing or as a voice message. The research team "
            "uses your entries as research data. Voice messages are recordings and are stored "
            "like every recording (see below)."
        ),
        gettext_lazy(
            "Who reads it: the research team. The team coach reads only the entries you share "
            "with them. Your managers never read your logbook; they see at most how active the "
            "team is, never your own rhythm."
        ),
    ],
    ConsentKind.INTERVIEW: [
        gettext_lazy(
            "What you agree to: at the end of the trajectory an independent researcher "
            "interviews you about the trajectory. The interview is recorded (audio) and the "
            "researcher takes notes; the recording may be transcribed for the analysis."
        ),
        gettext_lazy(
            "Who hears and reads it: only the research team. Your managers and the other "
            "people in your organisation never hear the recording or read what you said."
        ),
    ],
    ConsentKind.NOTES: [
        gettext_lazy(
            "What you agree to: the research team may use e-mails you send about the "
            "trajectory and the observation and conversation notes researchers make about "
            "you during the trajectory as research data."
        ),
        gettext_lazy(
            "Who reads it: only the research team. Your managers and the other people in your "
            "organisation never read these e-mails or notes."
        ),
    ],
}

# The promises every kind shares (appendix 2: risks, compensation, confidentiality,
# voluntariness, the cooling-off period and the contact).
_COMMON_PARAGRAPHS = [
    gettext_lazy(
        "The research: “Loopbaanbegeleiding is van iedereen” studies the conditions and "
        "ingredients of suitable career guidance in and on the way to higher education, with "
        "an eye for differences between institutions and between students. You develop a "
        "custom team professionalisation together with the research team; you are yourself "
        "responsible for carrying out the trajectory. Ask us for a fuller explanation."
    ),
    gettext_lazy(
        "Risks and compensation: there are no physical, legal or economic risks. You never "
        "have to answer a question you do not want to answer. You receive no compensation."
    ),
    gettext_lazy(
        "Confidentiality: your privacy stays protected as well as possible. Nothing that could "
        "make you recognisable is made public. Your statements are never shared with your "
        "managers or other people in or outside your organisation. Before research data leave "
        "the research team they are made anonymous: your organisation gets an ID number, and "
        "your name and the name of your organisation are replaced by pseudonyms. The research "
        "team alone holds the ID numbers and the key, and does not share your data with "
        "others. Publications and presentations use only anonymous data or pseudonyms."
    ),
    gettext_lazy(
        "Secure storage: recordings, forms and other documents of this research are stored "
        "in a secured (encrypted) environment that only the research team can open."
    ),
    gettext_lazy(
        "Voluntary: taking part is entirely voluntary. Saying no before you start has no "
        "consequences for you. You may stop at any time, or refuse that your data are used, "
        "without giving a reason."
    ),
    gettext_lazy(
        "Cooling-off period: up to 5 working days (Monday to Friday, Dutch public holidays "
        "excluded) after your last contribution you can still withdraw your consent; then all "
        "your data are removed from our files and destroyed. If you stop later, that has no "
        "consequences for you either, but what you gave until then stays in the research, "
        "with the same protection of your privacy. After you stop, no new data are collected "
        "or used."
    ),
    gettext_lazy(
        "Questions and complaints: if you want to stop, have questions or complaints, want to "
        "make a concern known or experience harm or inconvenience because of the research, "
        "contact %(contact)s."
    ),
]


def contact_line() -> str:
    return f"{settings.CONSENT_CONTACT_NAME} ({settings.CONSENT_CONTACT_EMAIL})"


def text_paragraphs(kind: str, *, language: str | None = None) -> list[str]:
    """The current text of `kind` as paragraphs, in `language` (default: the active one)."""
    with translation.override(language) if language else _nullcontext():
        paragraphs = [str(p) for p in _KIND_PARAGRAPHS[ConsentKind(kind)]]
        paragraphs += [str(p) % {"contact": contact_line()} for p in _COMMON_PARAGRAPHS]
    return paragraphs


class _nullcontext:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def current_text(kind: str) -> ConsentText:
    """The current version of `kind`'s text; its Dutch body is stored on first use."""
    version = TEXT_VERSIONS[ConsentKind(kind)]
    text = ConsentText.objects.filter(kind=kind, version=version).first()
    if text is None:
        body = "\n\n".join(text_paragraphs(kind, language="nl"))
        text, _created = ConsentText.objects.get_or_create(
            kind=kind, version=version, defaults={"body": body}
        )
    return text


def shown_paragraphs(text: ConsentText) -> list[str]:
    """What to show of a stored text: the current one in the reader's language,
    an older version as it was agreed to (in Dutch)."""
    if text.version == TEXT_VERSIONS[ConsentKind(text.kind)] and text.version > 1:
        return text_paragraphs(text.kind)
    return [part for part in text.body.split("\n\n") if part.strip()]


# --- reads ---------------------------------------------------------------------------------


def _person_q(*, user=None, email: str | None = None) -> Q:
    condition = Q(pk__in=[])
    if user is not None and getattr(user, "pk", None):
        condition |= Q(user_id=user.pk) | Q(email=user.email.strip().lower())
    if email:
        condition |= Q(email=email.strip().lower())
    return condition


def latest_consent(*, trajectory, kind: str, user=None, email: str | None = None):
    """The person's latest answer for `kind` in `trajectory`, or None."""
    trajectory_id = getattr(trajectory, "pk", trajectory)
    return (
        Consent.objects.filter(_person_q(user=user, email=email), trajectory_id=trajectory_id)
        .filter(kind=kind)
        .select_related("text")
        .order_by("-at", "-id")
        .first()
    )


def has_current_consent(*, trajectory, kind: str, user=None, email: str | None = None) -> bool:
    """A "yes" under the current text version: what new data need."""
    latest = latest_consent(trajectory=trajectory, kind=kind, user=user, email=email)
    return bool(latest and latest.agreed and latest.text.version == TEXT_VERSIONS[kind])


def has_agreed_any(*, trajectory, user=None, email: str | None = None) -> bool:
    """Whether the person's latest answer of any kind is a yes."""
    return any(
        has_agreed(trajectory=trajectory, kind=kind, user=user, email=email)
        for kind in ConsentKind.values
    )


def has_agreed(*, trajectory, kind: str, user=None, email: str | None = None) -> bool:
    """A "yes" under any version: what data already given need to stay in use."""
    latest = latest_consent(trajectory=trajectory, kind=kind, user=user, email=email)
    return bool(latest and latest.agreed)


@dataclass(frozen=True)
class CoveredPeople:
    """Whose data of one kind consent covers, per trajectory: load once, ask for many rows."""

    user_ids: frozenset[tuple[int, int]]
    emails: frozenset[tuple[int, str]]

    def covers(self, trajectory_id: int, *, user_id=None, email: str | None = None) -> bool:
        if user_id and (trajectory_id, user_id) in self.user_ids:
            return True
        return bool(email and (trajectory_id, email.strip().lower()) in self.emails)


def covered_people(kind: str, trajectory_ids=None) -> CoveredPeople:
    """Everyone who ever agreed to `kind` (any version), per trajectory: one query.

    What coding and exports may take. A "no" after a "yes" inside the window
    erased the data with the consents; after the window the data given stay in
    the research, so an agreement once given keeps covering them. People who
    refused or never answered are not covered.
    """
    rows = Consent.objects.filter(kind=kind, agreed=True)
    if trajectory_ids is not None:
        rows = rows.filter(trajectory_id__in=list(trajectory_ids))
    user_ids, emails = set(), set()
    for trajectory_id, email, user_id in rows.values_list("trajectory_id", "email", "user_id"):
        emails.add((trajectory_id, email))
        if user_id:
            user_ids.add((trajectory_id, user_id))
    return CoveredPeople(frozenset(user_ids), frozenset(emails))


# --- the gate ------------------------------------------------------------------------------


class ConsentRequired(ValidationError):
    """Intake refused: no current consent. Carries the page where consent is given."""

    def __init__(self, message: str, *, consent_url: str = ""):
        super().__init__(message, code="consent_required")
        self.consent_url = consent_url


KIND_NOUNS = {
    ConsentKind.DIALOGUE: gettext_lazy("taking part in this dialogue"),
    ConsentKind.LOGBOOK: gettext_lazy("your logbook"),
    ConsentKind.INTERVIEW: gettext_lazy("the closing interview"),
    ConsentKind.NOTES: gettext_lazy("e-mails and observation notes"),
}


def consent_url(trajectory, kind: str) -> str:
    trajectory_id = getattr(trajectory, "pk", trajectory)
    return reverse("research:my_consent", args=[trajectory_id]) + f"#{kind}"


def require_consent(
    *,
    trajectory,
    kind: str,
    user=None,
    email: str | None = None,
    about_self: bool = True,
    link: str | None = None,
) -> None:
    """Refuse intake of `kind` without the person's current consent (or after a withdrawal).

    `about_self` is False when someone else (a researcher) stores data about the
    person: the refusal then says that the person must give consent first.
    `link` replaces the page where consent is given (the personal link of an
    invitee without an account).
    """
    stopped = active_withdrawal(user=user, email=email, kind=kind, trajectory=trajectory)
    if stopped is not None and not stopped.kind:
        if about_self:
            raise ConsentRequired(
                _("You have withdrawn your consent for the research: nothing new is collected.")
            )
        raise ConsentRequired(
            _("This person has withdrawn consent for the research: nothing new is collected.")
        )
    if stopped is not None:
        noun = KIND_NOUNS[ConsentKind(kind)]
        if about_self:
            raise ConsentRequired(
                _("You have withdrawn your consent for %(kind)s: nothing new of it is collected.")
                % {"kind": noun}
            )
        raise ConsentRequired(
            _("This person has withdrawn consent for %(kind)s: nothing new of it is collected.")
            % {"kind": noun}
        )
    if has_current_consent(trajectory=trajectory, kind=kind, user=user, email=email):
        return
    url = link if link is not None else consent_url(trajectory, kind)
    latest = latest_consent(trajectory=trajectory, kind=kind, user=user, email=email)
    noun = KIND_NOUNS[ConsentKind(kind)]
    if about_self:
        if latest is not None and latest.agreed:
            message = _(
                "The consent text for %(kind)s has changed. Read the new version and give your "
                "consent again before you add anything: %(url)s. What you typed has been kept."
            )
        else:
            message = _(
                "Nothing is stored without your consent for %(kind)s. Give your consent first: "
                "%(url)s. What you typed has been kept."
            )
    else:
        message = _(
            "This person has not (yet) given consent for %(kind)s; nothing about them is "
            "stored. Ask them to give consent on their own page (%(url)s) or record a signed "
            "paper form in the consent registry."
        )
    raise ConsentRequired(message % {"kind": noun, "url": url}, consent_url=url)
