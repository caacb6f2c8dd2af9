"""Shared pieces of the demo data: a deterministic Dutch name generator and the
context each app's `demo.seed(ctx)` receives from `manage.py seed_demo`.

Names are generated from common Dutch first names, tussenvoegsels and
surnames; no person or school in the demo exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

DEMO_PASSWORD = "demo-wachtwoord"

FIRST_NAMES = [
    "Sanne", "Daan", "Lotte", "Bram", "Femke", "Jeroen", "Anouk", "Thijs", "Marieke", "Joost",
    "Eline", "Ruben", "Inge", "Wouter", "Esther", "Niels", "Fleur", "Maarten", "Iris", "Koen",
    "Noor", "Sem", "Yara", "Mohamed", "Fatma", "Hatice", "Bilal", "Dewi", "Rik", "Hanneke",
    "Gijs", "Marloes", "Stijn", "Roos", "Pieter", "Annemiek", "Tim", "Karin", "Luuk", "Mirjam",
]
INFIXES = ["", "", "", "van", "de", "van der", "van den", "van de", "ter", "den", "in 't", "op de"]
LAST_NAMES = [
    "Berg", "Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos",
    "Dijk", "Peters", "Hendriks", "Dekker", "Brouwer", "Wit", "Dijkstra", "Kok", "Jacobs",
    "Veen", "Graaf", "Heuvel", "Linden", "Haan", "Kaya", "Yilmaz", "Bouzid", "Tahiri",
    "Wal", "Leeuw", "Hoek", "Kamp", "Schouten", "Broek", "Sluis", "Laan", "Maas", "Huis",
]
PLACES = [
    "Zwolle", "Deventer", "Amersfoort", "Apeldoorn", "Leeuwarden", "Breda", "Tilburg",
    "Nijmegen", "Arnhem", "Haarlem", "Alkmaar", "Delft", "Zoetermeer", "Enschede", "Hengelo",
    "Assen", "Emmen", "Venlo", "Roermond", "Helmond", "Gouda", "Meppel", "Harderwijk", "Ede",
]


@dataclass
class DemoContext:
    """What `seed_demo` hands to each app's seeder."""

    scale: int = 1
    rng: random.Random = field(default_factory=lambda: random.Random(20260901))
    today: date = field(default_factory=timezone.localdate)
    users: dict = field(default_factory=dict)  # demo logins by key ("teamcoach", ...)
    studies: list = field(default_factory=list)
    trajectories: dict = field(default_factory=dict)  # by key, e.g. "main", "other", "declined"
    all_trajectories: list = field(default_factory=list)
    log: list = field(default_factory=list)
    pseudonymiser: object = None  # built by the research seeder, used by the coding seeder

    def aware(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def person_name(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(INFIXES), rng.choice(LAST_NAMES)


def email_for(first: str, infix: str, last: str, number: int) -> str:
    local = f"{first}.{infix}{last}".lower().replace(" ", "").replace("'", "")
    return f"{local}.{number}@demo.test"


def ensure_user(email: str, first: str, infix: str, last: str, *, is_staff: bool = False):
    """Create the user once; a second run of seed_demo leaves it as it is."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"first_name": first, "infix": infix, "last_name": last, "is_staff": is_staff},
    )
    if created:
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


def ensure_users(people) -> dict:
    """`ensure_user` for many (email, first, infix, last) at once: the users by e-mail."""
    User = get_user_model()
    emails = [email for email, *_name in people]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    new = {
        email: User(
            email=email,
            first_name=first,
            infix=infix,
            last_name=last,
            password=_demo_password_hash(),
        )
        for email, first, infix, last in people
        if email not in users
    }
    User.objects.bulk_create(new.values(), batch_size=2000)
    return users | new


@cache
def _demo_password_hash() -> str:
    # Hashing once keeps `seed_demo --scale 100` fast; every demo account shares
    # the same well-known password anyway.
    return make_password(DEMO_PASSWORD)
