"""Pseudonymisation of free text that leaves the research team.

Two layers:

1. **Known names** (fast, trusted). Every name the system knows (accounts,
   dialogue invitees, organisations' contact persons, organisations with their
   short forms and aliases, locations) goes into one Aho-Corasick automaton
   (pyahocorasick). A match counts only on word boundaries, so "Jan" does not
   touch "januari" and "Sanne" does not touch the street "Sannesteeg"; the
   possessives "Sanne's", "Sannes" and "De Vries'" are variants of their own.
   Matching ignores case, except for variants that are also ordinary Dutch
   words ("Roos", "de Jong" → "Jong", "Ben"): those count only when written
   with a capital, otherwise every "ik ben" would become a pseudonym. A bare
   surname whose person has a tussenvoegsel ("Berg" for "van der Berg") is
   treated the same way. E-mail addresses and Dutch phone numbers are replaced
   by "[e-mail]" and "[telefoon]".

2. **deduce** (slow, not trusted): `Pseudonymiser.review` runs deduce and
   reports what it thinks are names the system does not know, for a researcher
   to look at. Nothing is replaced on deduce's word alone.

Labels are stable because they are stored (`Pseudonym`, `OrganisationCode`,
`LocationCode`); building a pseudonymiser allocates the missing ones.

The package: `engine` (the matching, pure), `labels` (stored pseudonyms and
codes), `names` (every known name, for the export pseudonymiser), `review`
(deduce).
"""

from .engine import (
    EMAIL_PLACEHOLDER,
    GENERIC_ORGANISATION_WORDS,
    PHONE_PLACEHOLDER,
    Finding,
    Match,
    Pseudonymiser,
    common_words,
    organisation_variants,
    person_variants,
    split_name,
)
from .labels import kind_for_roles, organisation_code, person_pseudonym
from .names import pseudonymiser_for_export
from .review import get_deduce

__all__ = [
    "EMAIL_PLACEHOLDER",
    "GENERIC_ORGANISATION_WORDS",
    "PHONE_PLACEHOLDER",
    "Finding",
    "Match",
    "Pseudonymiser",
    "common_words",
    "get_deduce",
    "kind_for_roles",
    "organisation_code",
    "organisation_variants",
    "person_pseudonym",
    "person_variants",
    "pseudonymiser_for_export",
    "split_name",
]
