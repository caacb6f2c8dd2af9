"""Demo logbooks: months of weekly entries (a few spoken), e-mails and research notes.

Texts are assembled from short generated fragments; voice messages are tones
made with the stdlib `wave` module, so no binary files are shipped.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from collections import defaultdict
from datetime import timedelta
from email.message import EmailMessage

from django.core.files.base import ContentFile
from django.utils import timezone

from trajectories.models import HalfDay, Membership, Phase, Role
from transcripts.services import transcript_import

from . import audio_sources, services
from .models import AudioClip, Entry, EntryStatus, NoteKind, ResearchNote

ACTIVE = (Phase.CUSTOM, Phase.CLOSING, Phase.FINISHED)
WEEKS = 16
BATCH = 5000  # entries per insert

WHO = [
    "de mentoren",
    "twee collega's van de onderbouw",
    "de decaan",
    "het teamleidersoverleg",
    "een paar docenten Nederlands",
    "de stagecoördinator",
    "de ouderraad",
    "mijn maatje",
]
ACTIONS = [
    "Ik heb met {who} gesproken over de gesprekken die we met leerlingen voeren.",
    "Samen met {who} hebben we de opzet van de loopbaanlessen besproken.",
    "Spontaan een gesprek gehad met {who} bij de koffieautomaat over de keuzeweek.",
    "Gepland overleg met {who} over het gebruik van het loopbaandossier.",
    "In de teamvergadering kort teruggeblikt op het laatste dagdeel, met {who}.",
]
EFFECTS = [
    "Ik merkte dat collega's meer vragen gingen stellen in plaats van advies te geven.",
    "Het voelde alsof er iets in beweging kwam; {who} wil er volgende week verder over praten.",
    "Eerlijk gezegd weinig effect: het bleef bij goede voornemens.",
    "Een collega vertelde dat ze nu bewuster let op leerlingen die weinig steun van thuis hebben.",
]
HELPED = [
    "De gesprekskaarten van het vorige dagdeel hielpen om het concreet te maken.",
    "Dat de teamleider aanschoof gaf het gewicht.",
    "Een korte mail vooraf met de vraag waar we het over zouden hebben.",
    "",
]
HINDERED = [
    "Te weinig tijd: de toetsweek slokte alles op.",
    "Sommige collega's zien het nog als iets extra's naast het lesgeven.",
    "Roosterwijzigingen, waardoor het overleg twee keer verschoof.",
    "",
]
OBSERVATIONS = [
    (
        "Observatie teamoverleg",
        "Tijdens het overleg nam de aanjager het woord over de keuzeweek; "
        "drie collega's reageerden met eigen voorbeelden van gesprekken met leerlingen.",
    ),
    (
        "Observatie mentorles",
        "De mentor liet leerlingen in tweetallen vertellen wat ze goed "
        "kunnen; de les liep uit omdat de gesprekken op gang kwamen.",
    ),
]
CONVERSATIONS = [
    (
        "Gesprek met de leidinggevende",
        "De leidinggevende wil de loopbaanbegeleiding opnemen in "
        "het jaarplan en vraagt om een korte terugkoppeling per periode.",
    ),
]


def tone_wav(seconds: float = 1.0, frequency: float = 440.0, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(6000 * math.sin(2 * math.pi * frequency * n / rate)))
            for n in range(int(seconds * rate))
        )
        out.writeframes(frames)
    return buffer.getvalue()


def _text(rng, options, who):
    return rng.choice(options).format(who=rng.choice(who))


def seed(ctx) -> None:
    main = ctx.trajectories.get("main")
    today = ctx.today
    this_monday = today - timedelta(days=today.weekday())
    created = 0
    # What every trajectory needs, in a few queries for all of them (--scale 500
    # makes thousands), in the order the random draws go in.
    active = [t for t in ctx.all_trajectories if t.phase in ACTIVE]
    done = set(Entry.objects.filter(trajectory__in=active).values_list("trajectory_id", flat=True))
    active = [t for t in active if t.pk not in done]
    writers, half_days = defaultdict(list), defaultdict(list)
    for membership in (
        Membership.objects.filter(
            trajectory__in=active, role__in=(Role.CHAMPION, Role.BUDDY, Role.COACH)
        )
        .select_related("user")
        .order_by("trajectory_id", "pk")  # a fixed order: the draws go to the same people
    ):
        writers[membership.trajectory_id].append(membership)
    for half_day in HalfDay.objects.filter(trajectory__in=active).order_by(
        "trajectory_id", "starts_at", "pk"
    ):
        half_days[half_day.trajectory_id].append(half_day)
    entries, notes = [], []
    for trajectory in active:
        last = _last_week(this_monday, trajectory)
        first = last - timedelta(weeks=WEEKS - 1)
        start_dialogue = next((h for h in half_days[trajectory.pk] if h.is_start_dialogue), None)
        if start_dialogue is not None:
            first = max(first, timezone.localdate(start_dialogue.starts_at) + timedelta(weeks=1))
        elif trajectory.starts_on:
            first = max(first, trajectory.starts_on + timedelta(weeks=2))
        for membership in writers[trajectory.pk]:
            if membership.role == Role.COACH and trajectory != main:
                continue  # the demo team coach keeps a logbook in the main trajectory only
            monday = first - timedelta(days=first.weekday())
            while monday <= last:
                if ctx.rng.random() < 0.8:
                    year, week, _day = monday.isocalendar()
                    goals = ctx.rng.sample([1, 2, 3, 4], ctx.rng.choice([1, 1, 2]))
                    submitted_at = ctx.aware(monday + timedelta(days=4), 16, 30)
                    entries.append(
                        Entry(
                            trajectory=trajectory,
                            author=membership.user,
                            author_role=membership.role,
                            iso_year=year,
                            iso_week=week,
                            week_start=monday,
                            actions=_text(ctx.rng, ACTIONS, WHO),
                            effects=_text(ctx.rng, EFFECTS, WHO),
                            helped=ctx.rng.choice(HELPED),
                            hindered=ctx.rng.choice(HINDERED),
                            status=EntryStatus.SUBMITTED,
                            submitted_at=submitted_at,
                            shared_with_coach=ctx.rng.random() < 0.6,
                            **{f"goal_{g}": True for g in goals},
                        )
                    )
                monday += timedelta(weeks=1)
        first_half_days = half_days[trajectory.pk][:3]
        for number, (title, text) in enumerate(OBSERVATIONS + CONVERSATIONS):
            kind = NoteKind.CONVERSATION if (title, text) in CONVERSATIONS else NoteKind.OBSERVATION
            half_day = first_half_days[number] if number < len(first_half_days) else None
            notes.append(
                ResearchNote(
                    trajectory=trajectory,
                    kind=kind,
                    title=title,
                    text=text,
                    occurred_on=timezone.localdate(half_day.starts_at)
                    if half_day
                    else last - timedelta(weeks=number * 3),
                    half_day=half_day,
                    created_by=ctx.users.get("onderzoeker"),
                )
            )
        if len(entries) >= BATCH or trajectory == main:
            created += len(Entry.objects.bulk_create(entries))
            ResearchNote.objects.bulk_create(notes)
            entries, notes = [], []
        if trajectory == main:
            # Between the others, as always: its random draws come in this place.
            _voice_and_mail(ctx, trajectory, last)
    created += len(Entry.objects.bulk_create(entries))
    ResearchNote.objects.bulk_create(notes)
    ctx.log.append(f"{created} logbook entries")


def _last_week(this_monday, trajectory):
    last = this_monday - timedelta(weeks=1)
    if trajectory.phase == Phase.FINISHED and trajectory.ends_on:
        last = min(last, trajectory.ends_on - timedelta(days=trajectory.ends_on.weekday()))
    return last


VOICE_LINES = [
    "Vandaag heb ik met mijn maatje het volgende dagdeel voorbereid.",
    "In de teamvergadering hebben we kort gesproken over de visie op loopbaanbegeleiding.",
    "Twee mentoren willen de loopbaangesprekken in de bovenbouw anders aanpakken.",
    "Wat hielp was dat de teamleider tijd vrijmaakte voor het oogstgesprek.",
    "Het lastige blijft dat collega's weinig tijd hebben naast de lessen.",
    "Ik merk dat leerlingen meer vragen stellen over hun vervolgopleiding.",
    "Volgende week wil ik met de decaan de keuzeweek evalueren.",
    "Als aanjager probeer ik collega's vooral zelf te laten ontdekken wat ze al doen.",
]


def _voice_and_mail(ctx, trajectory, last) -> None:
    # Voice entries for every champion: the latest entry of each first, then
    # the next latest, three in all.
    latest = list(
        Entry.objects.filter(trajectory=trajectory, author_role=Role.CHAMPION).order_by(
            "-week_start", "pk"
        )
    )
    authors, firsts = set(), []
    for entry in latest:
        if entry.author_id not in authors:
            authors.add(entry.author_id)
            firsts.append(entry)
    champion_entries = (firsts + [entry for entry in latest if entry not in firsts])[:3]
    for number, entry in enumerate(champion_entries):
        clip = AudioClip(entry=entry, content_type="audio/wav", original_name="demo.wav")
        data = tone_wav(seconds=1.0 + number * 0.5, frequency=330 + 110 * number)
        clip.size = len(data)
        clip.file.save("demo.wav", ContentFile(data), save=False)
        clip.save()
        # What the author checked of the machine's draft: the first approved, the others drafts.
        lines = ctx.rng.sample(VOICE_LINES, 2)
        transcript_import(
            kind=audio_sources.KIND,
            audio_id=clip.pk,
            segments=[(0.0, 0.5, lines[0]), (0.5, 1.0 + number * 0.5, lines[1])],
            approved_by=entry.author if number == 0 else None,
        )
    champion = ctx.users.get("aanjager")
    coach = ctx.users.get("teamcoach")
    subjects = [
        (
            "Voorbereiding volgend dagdeel",
            "Zullen we het volgende dagdeel beginnen met de "
            "ervaringen uit de mentorgesprekken? Ik stuur de agenda als bijlage.",
        ),
        (
            "Terugblik keuzeweek",
            "De keuzeweek is goed verlopen. Een paar mentoren willen "
            "volgend jaar eerder starten met de voorbereiding.",
        ),
    ]
    for number, (subject, body) in enumerate(subjects):
        message = EmailMessage()
        message["From"] = f"{champion.get_full_name()} <{champion.email}>"
        message["To"] = f"{coach.get_full_name()} <{coach.email}>"
        message["Subject"] = subject
        sent = ctx.aware(last - timedelta(weeks=2 + 4 * number, days=-1), 10, 15)
        message["Date"] = sent.strftime("%a, %d %b %Y %H:%M:%S %z")
        message.set_content(body)
        if number == 0:
            message.add_attachment(
                b"Agenda\n1. Opening\n2. Ervaringen\n3. Afspraken\n",
                maintype="text",
                subtype="plain",
                filename="agenda.txt",
            )
        services.email_import(
            trajectory=trajectory,
            uploaded=ContentFile(message.as_bytes(), name="demo.eml"),
            created_by=ctx.users.get("onderzoeker"),
        )
