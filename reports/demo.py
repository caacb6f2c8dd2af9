"""Demo portraits for `seed_demo`: the organisations of the "main" and "other"
demo trajectories get a portrait with every section written, in generated
Dutch (pieces combined per organisation; nothing is taken from the sources).
Idempotent: an organisation that has a portrait keeps it.
"""

from __future__ import annotations

import random

from .models import Portrait
from .services import portrait_save

# Each section is built from one opening, two middle sentences and a closing
# sentence, picked per organisation; "{name}" is the organisation's short name.
PIECES = {
    "vision": (
        ["{name} wil dat leerlingen zelf leren kiezen, met steun van iedereen in de school.",
         "Voor {name} begint loopbaanbegeleiding bij nieuwsgierigheid naar de leerling."],
        ["Het team noemt eigenaarschap van de leerling als kern van goede begeleiding.",
         "Een gedeelde visie is er nog niet; wel een gevoel dat het ertoe doet.",
         "De schoolleiding ziet LOB als onderdeel van goed onderwijs, niet als extra vak.",
         "Docenten merken dat vragen over later vaak vanzelf in de les opduiken."],
        ["De startdialoog heeft dat beeld voor het eerst samen onder woorden gebracht.",
         "In het traject is die visie op één A4 gezet en met het team besproken."],
    ),
    "provision": (
        ["LOB bestaat bij {name} uit een mix van vaste en losse onderdelen.",
         "Het aanbod van {name} is in de loop der jaren gegroeid."],
        ["Er zijn mentoruren met loopbaanopdrachten en een jaarlijkse keuzeweek.",
         "Leerlingen lopen een snuffelstage en bespreken die na met hun mentor.",
         "De decaan voert gesprekken bij elke overstap en informeert ouders.",
         "Oud-leerlingen vertellen op een loopbaanmiddag over hun opleiding en werk."],
        ["Samenhang tussen de onderdelen is nog een aandachtspunt.",
         "Wat in de lessen gebeurt, blijft vaak onzichtbaar voor collega's."],
    ),
    "staff_policy": (
        ["In het personeelsbeleid van {name} krijgt LOB langzaam een plek.",
         "{name} vraagt nieuwe mentoren naar hun ervaring met begeleidingsgesprekken."],
        ["Mentoren kunnen een korte scholing in loopbaangesprekken volgen.",
         "In de gesprekscyclus komt de eigen loopbaan van docenten soms ter sprake.",
         "Er is een klein budget voor intervisie over lastige begeleidingsvragen.",
         "Twee collega's volgden de opleiding tot loopbaancoach en delen wat ze leerden."],
        ["Structureel is het nog niet: veel hangt af van de inzet van enkelen.",
         "De aanjager wil dit met de teamleider in het jaarplan vastleggen."],
    ),
    "expectations": (
        ["Van professionals bij {name} wordt vooral een open houding verwacht.",
         "{name} verwacht dat elke docent iets bijdraagt aan de keuzes van leerlingen."],
        ["Goed doorvragen en luisteren worden als belangrijkste vaardigheden genoemd.",
         "Docenten moeten weten waar ze een leerling met een vraag naartoe sturen.",
         "Oog hebben voor drempels die niet iedere leerling benoemt, hoort erbij.",
         "Mentoren houden per leerling bij welke stappen er zijn gezet."],
        ["Niet iedereen voelt zich daar al toe in staat.",
         "Wat precies van wie verwacht wordt, is nog niet overal helder."],
    ),
    "bottlenecks": (
        ["Het grootste knelpunt bij {name} is tijd.",
         "Bij {name} lopen professionals vooral aan tegen drukte in het rooster."],
        ["Overleg over LOB schuift snel naar achteren als er andere zaken spelen.",
         "Collega's weten vaak niet wat anderen al doen, waardoor werk dubbel gebeurt.",
         "De wens is een vast moment per periode om ervaringen uit te wisselen.",
         "Ook wordt gevraagd om een eenvoudige plek waar materiaal gedeeld kan worden."],
        ["Daarnaast willen docenten meer zicht op wat leerlingen na school gaan doen.",
         "Tegelijk is er energie: wie meedeed aan de dialogen, wil verder."],
    ),
    "recommendations": (
        ["Voor {name} adviseren wij drie stappen.",
         "Om vast te houden wat er in gang is gezet, raden wij {name} het volgende aan."],
        ["Maak de visie zichtbaar in het jaarplan en bespreek haar elk jaar opnieuw.",
         "Geef de aanjager vaste uren en een vaste plek in het teamoverleg.",
         "Houd twee keer per jaar een dialoogsessie met het hele team.",
         "Laat mentoren in tweetallen elkaars loopbaangesprekken bijwonen."],
        ["Vier kleine successen: ze laten zien dat LOB van iedereen is.",
         "Betrek de leerlingen zelf bij het evalueren van wat werkt."],
    ),
}


STUDENT_NOTES = {
    "vmbo": "Verdeeld over de basis-, kader- en gemengde leerweg; cijfers van dit schooljaar.",
    "havo_vwo": "Verdeeld over onderbouw en bovenbouw; cijfers van dit schooljaar.",
    "mbo": "Verdeeld over de BOL en de BBL; cijfers van dit schooljaar.",
    "ho": "Ingeschreven studenten van de opleiding; cijfers van dit studiejaar.",
}


def _section(rng: random.Random, name: str, key: str) -> str:
    openings, middles, closings = PIECES[key]
    sentences = [rng.choice(openings), *rng.sample(middles, 2), rng.choice(closings)]
    return " ".join(sentences).format(name=name)


def seed(ctx) -> None:
    made = 0
    for key in ("main", "other"):
        trajectory = ctx.trajectories.get(key)
        if trajectory is None:
            continue
        organisation = trajectory.organisation
        if Portrait.objects.filter(organisation=organisation).exists():
            continue
        # Its own generator, seeded by the name: the same portrait every run,
        # and the shared ctx.rng stays as the later seeders expect it.
        rng = random.Random(organisation.name)
        name = organisation.short_name or organisation.name
        portrait_save(
            organisation=organisation,
            user=ctx.users.get("onderzoeker"),
            student_count=rng.randrange(400, 2400, 10),
            student_note=STUDENT_NOTES.get(organisation.sector, ""),
            **{field: _section(rng, name, field) for field in Portrait.SECTION_FIELDS},
        )
        made += 1
    if made:
        ctx.log.append(f"{made} organisation portraits")
