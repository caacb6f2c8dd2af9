"""The versioned consent text that everyone whose words are research data agrees to.

The texts are stored in the table of `dialogues.ConsentText` (the model was
made with the dialogues, and moving a model between apps moves its table), but
they belong to research: `ResearchConsent.text` points at them, and that
relation is how this module reaches the model without importing the dialogues.
"""

from __future__ import annotations

from .models import ResearchConsent

CONSENT_TEXT_V1 = (
    "Tijdens deze dialoog verzamelen de deelnemers zelf de oogst. De onderzoeker gebruikt "
    "die oogst en het oogstverslag voor onderzoek naar professionalisering in "
    "loopbaanbegeleiding. Er worden geen geluids- of video-opnamen gemaakt. Je gegevens "
    "worden vertrouwelijk behandeld en in publicaties niet tot jou herleidbaar gemaakt. "
    "Alleen de deelnemers van deze sessie, de teamcoach en de onderzoekers lezen de oogst "
    "en het verslag; leidinggevenden niet. Deelname is vrijwillig en je kunt je "
    "toestemming later intrekken."
)


def consent_text_model():
    return ResearchConsent._meta.get_field("text").related_model


def current_consent_text():
    """The newest consent text; version 1 is created on first use."""
    model = consent_text_model()
    text = model.objects.order_by("-version").first()
    if text is None:
        text, _created = model.objects.get_or_create(version=1, defaults={"body": CONSENT_TEXT_V1})
    return text
