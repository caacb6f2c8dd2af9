"""The decision-factor pick-list seen in the study (also seeded by migration 0003)."""

from .models import FactorOption

DECISION_FACTORS = [
    ("Geschiktheid van het team", "organisation"),
    ("Timing binnen het schooljaar", "organisation"),
    ("Momentum in de organisatie", "organisation"),
    ("Andere prioriteiten en drukte", "organisation"),
    ("Draagvlak bij de leiding", "management"),
    ("Facilitering in tijd", "management"),
    # Seed 003 files flexibility and the expertise present under the organisation.
    ("Flexibiliteit van de organisatie", "organisation"),
    ("Aanwezige expertise", "organisation"),
    ("Flexibiliteit van de aanpak", "coach"),
    ("Bevlogenheid van de aanjager", "champion"),
    ("Positie van de aanjager in het team", "champion"),
]


def ensure_factor_options() -> None:
    """Make sure the pick-list exists (tests that flush the database remove it)."""
    for name, category in DECISION_FACTORS:
        FactorOption.objects.update_or_create(name=name, defaults={"category": category})
