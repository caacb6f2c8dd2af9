"""Benchmark: our pseudonymiser against deduce alone on the same Dutch text.

    .venv/bin/python bench/bench_pseudonymiser.py [--paragraphs 200] [--people 80] [--runs 5]

Sets up Django on a throwaway SQLite database (in a temporary folder), creates
organisations with locations, accounts in every role and dialogue invitees
with generated Dutch names, and builds the pseudonymiser with
`pseudonymiser_for_export()` (counting its queries). It then generates
`--paragraphs` logbook-like paragraphs that mention those people and
organisations in every form the pseudonymiser promises to catch (first name,
full name, "mevrouw De Vries", possessives, any capitalisation, short names,
e-mail addresses, phone numbers) and times

- `Pseudonymiser.apply` on all paragraphs (median of `--runs`);
- `deduce.Deduce().deidentify` on the same paragraphs (once: it is slow),
  after building deduce (its construction time is printed separately).

It prints throughput in characters per second, the ratio (goal ≥ 20×), and
how many planted known names each of them missed (goal for ours: 0). A planted
mention counts as missed when its exact text survives in the output (ours), or
when no deduce annotation covers it (deduce). Not a test: timings depend on
the machine.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from sandbox import setup_django  # bench/ is on sys.path when a script runs

ROLES = ["champion", "buddy", "manager", "coach", "researcher", "participant"]
SCHOOLS = [
    ("Het Baken College", "Baken", "vmbo"),
    ("Stedelijk Lyceum De Horizon", "Horizon", "havo_vwo"),
    ("ROC Rivierenland", "ROC RL", "mbo"),
    ("Hogeschool Zuiderzee", "HZ", "ho"),
    ("Scholengemeenschap Het Kompas", "Kompas", "vmbo"),
    ("Vakcollege De Brug", "De Brug", "vmbo"),
    ("Christelijk Lyceum Veenendaal", "CLV", "havo_vwo"),
    ("Technisch College Oosterhout", "TCO", "mbo"),
]
FILLER = [
    "We hebben in de teamvergadering gesproken over de visie op loopbaanbegeleiding.",
    "De mentoren merken dat leerlingen in januari nog weinig weten van hun profielkeuze.",
    "Het hielp dat de directie tijd vrijmaakte voor het gesprek.",
    "Wat hinderde was de drukte rond de toetsweek; ik ben er niet aan toegekomen.",
    "In de Sannesteeg zat vroeger een stagebedrijf waar we mee samenwerkten.",
    "De berg werk voor de examenklassen blijft groot, dus de roos van het plan is nog ver.",
    "Ik voelde me gesterkt na het gesprek en wil dit doortrekken naar de tweede klas.",
    "Loopbaanbegeleiding is van iedereen: dat begint bij kleine gesprekken op de gang.",
]
FORMS = [
    "{first} vertelde dat ze de lessen anders wil inrichten.",
    "Met {full} besprak ik de opzet van de studiedag.",
    "Volgens {title} {infix_cap}{last} moeten we de decaan eerder betrekken.",
    "{first}'s idee om ouders uit te nodigen kreeg veel bijval.",
    "Het verslag van {firsts} groep komt volgende week.",
    "Ik mailde {upper} over de planning.",
    "{lower} belde me later nog even.",
    "Daarna heb ik met {lower} de lessen doorgenomen.",
    "Op {org} is er nu een werkgroep; ook op {short} merken ze verschil.",
    "Vragen kunnen naar {email} of bel {phone}.",
]


def make_cast(rng: random.Random, people: int):
    from accounts.models import User
    from dialogues.models import DialogueSession, Invitee
    from lobtraject.demo import FIRST_NAMES, INFIXES, LAST_NAMES
    from trajectories.models import Location, Membership, Organisation, Study, Trajectory

    study = Study.objects.create(name="Benchmark")
    organisations = []
    for name, short, sector in SCHOOLS:
        organisation = Organisation.objects.create(name=name, short_name=short, sector=sector)
        Location.objects.create(organisation=organisation, name=f"Locatie {name.split()[-1]} Noord")
        organisations.append(
            (organisation, Trajectory.objects.create(study=study, organisation=organisation))
        )
    cast = []
    used = set()
    for number in range(people):
        while True:
            first = rng.choice(FIRST_NAMES)
            infix = rng.choice(INFIXES)
            last = rng.choice(LAST_NAMES)
            if (first, last) not in used:
                used.add((first, last))
                break
        organisation, trajectory = organisations[number % len(organisations)]
        email = f"{first}.{infix.replace(' ', '')}{last}.{number}@school.test".lower()
        if number % 3 == 2:
            # A dialogue invitee without an account.
            session = DialogueSession.objects.filter(trajectory=trajectory).first()
            if session is None:
                facilitator = User.objects.create(email=f"facilitator{number}@uni.test")
                session = DialogueSession.objects.create(
                    trajectory=trajectory,
                    starts_at="2026-03-02T14:00:00+01:00",
                    facilitator=facilitator,
                    researcher=facilitator,
                )
            Invitee.objects.create(
                session=session, name=" ".join(p for p in (first, infix, last) if p), email=email
            )
        else:
            user = User.objects.create(email=email, first_name=first, infix=infix, last_name=last)
            Membership.objects.create(
                trajectory=trajectory, user=user, role=ROLES[number % len(ROLES)]
            )
        cast.append(((first, infix, last), email, organisation))
    return cast


def make_paragraphs(rng: random.Random, cast, count: int):
    """Paragraphs and, per paragraph, the exact known-name strings planted in it."""
    paragraphs = []
    for _n in range(count):
        sentences, planted = [], []
        for _s in range(3):
            (first, infix, last), email, organisation = rng.choice(cast)
            form = rng.choice(FORMS)
            full = " ".join(p for p in (first, infix, last) if p)
            values = {
                "first": first,
                "full": full,
                "title": rng.choice(["mevrouw", "meneer"]),
                "infix_cap": (infix[:1].upper() + infix[1:] + " ") if infix else "",
                "last": last,
                "firsts": first + "s",
                "upper": full.upper(),
                "lower": first.lower(),
                "org": organisation.name,
                "short": organisation.short_name,
                "email": email,
                "phone": rng.choice(["06-12345678", "+31 6 1234 5678", "020-1234567"]),
            }
            sentence = form.format(**values)
            sentence = sentence[0].upper() + sentence[1:]
            for key in re.findall(r"{(\w+)}", form):
                if key in ("title", "infix_cap"):
                    continue
                value = values[key]
                if key == "last" and infix:
                    value = values["infix_cap"] + last
                if key == "lower" and sentence.startswith(value.capitalize()):
                    value = value.capitalize()
                planted.append(value)
            sentences.append(sentence)
            sentences.append(rng.choice(FILLER))
        paragraphs.append((" ".join(sentences), planted))
    return paragraphs


def missed_by_us(output: str, planted: list[str]) -> list[str]:
    return [
        value for value in planted if re.search(r"(?<!\w)" + re.escape(value) + r"(?!\w)", output)
    ]


def missed_by_deduce(text: str, planted: list[str], annotations) -> list[str]:
    missed = []
    for value in planted:
        for match in re.finditer(r"(?<!\w)" + re.escape(value) + r"(?!\w)", text):
            covered = any(
                a.start_char <= match.start() and match.end() <= a.end_char for a in annotations
            )
            if not covered:
                missed.append(value)
                break
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--people", type=int, default=80)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-pseudonymiser-") as folder:
        setup_django(Path(folder))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from research.pseudonymise import get_deduce, pseudonymiser_for_export

        rng = random.Random(20261123)
        cast = make_cast(rng, args.people)
        start = time.perf_counter()
        pseudonymiser_for_export()  # first build allocates pseudonyms and codes
        first_build = time.perf_counter() - start
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            pseudonymiser = pseudonymiser_for_export()
            build = time.perf_counter() - start
        paragraphs = make_paragraphs(rng, cast, args.paragraphs)
        texts = [text for text, _planted in paragraphs]
        characters = sum(len(text) for text in texts)
        planted_total = sum(len(planted) for _text, planted in paragraphs)

        timings = []
        for _run in range(args.runs):
            start = time.perf_counter()
            outputs = [pseudonymiser.apply(text) for text in texts]
            timings.append(time.perf_counter() - start)
        ours = statistics.median(timings)
        our_missed = []
        for output, (_text, planted) in zip(outputs, paragraphs, strict=True):
            our_missed += missed_by_us(output, planted)

        start = time.perf_counter()
        deduce = get_deduce()
        deduce_build = time.perf_counter() - start
        start = time.perf_counter()
        documents = [deduce.deidentify(text) for text in texts]
        theirs = time.perf_counter() - start
        deduce_missed = []
        for document, (text, planted) in zip(documents, paragraphs, strict=True):
            deduce_missed += missed_by_deduce(text, planted, document.annotations)

    print(
        f"text: {len(texts)} paragraphs, {characters} characters, "
        f"{planted_total} planted known names ({args.people} people, {len(SCHOOLS)} organisations)"
    )
    print(
        f"pseudonymiser build: {build * 1000:.1f} ms, {len(queries)} queries "
        f"(first build with allocation: {first_build * 1000:.1f} ms); "
        f"{pseudonymiser.size} name variants"
    )
    print(
        f"ours:   {ours * 1000:9.1f} ms  ({characters / ours:12,.0f} chars/s, median of {args.runs})"
    )
    print(
        f"deduce: {theirs * 1000:9.1f} ms  ({characters / theirs:12,.0f} chars/s; "
        f"construction {deduce_build:.1f} s not counted)"
    )
    print(f"ratio:  {theirs / ours:.1f}x faster (goal >= 20x)")
    print(
        f"missed known names: ours {len(our_missed)} of {planted_total} (goal 0); "
        f"deduce alone {len(deduce_missed)} of {planted_total}"
    )
    if our_missed:
        print("  ours missed:", sorted(set(our_missed))[:20])
    if deduce_missed:
        print("  deduce missed, e.g.:", sorted(set(deduce_missed))[:10])


if __name__ == "__main__":
    main()
