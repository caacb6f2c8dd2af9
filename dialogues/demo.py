"""Demo dialogues for `seed_demo`: in the main trajectory a finished start
dialogue (harvest, report approved by all after one requested change) and a
follow-up dialogue whose report awaits approval (the demo participant has not
answered yet). All texts are generated here; idempotent.
"""

from datetime import timedelta

from django.utils import timezone

from research.models import ConsentKind, ConsentVia
from research.services import consent_give
from trajectories.models import Role

from . import services
from .models import Approval, Decision, DialogueKind, HarvestItem, LobTerm

ITEMS = [
    ("Ik besef dat ik in mijn mentoruur al veel aan loopbaangesprekken doe.", 3),
    ("We hebben geen gedeeld beeld van wat goede begeleiding is.", 1),
    ("Doorvragen op wat een leerling écht wil, dat wil ik vaker doen.", 4),
    ("Niet alleen de decaan is aan zet: iedere docent kan iets betekenen.", 2),
    ("Mijn voorwerp was een kompas: richting geven zonder de route voor te schrijven.", None),
    ("Ouders betrekken we nog te weinig.", None),
    ("Stage-ervaringen bespreken we nauwelijks na in de klas.", 4),
    ("Ik wil weten wat collega's al doen, zodat we van elkaar leren.", 2),
]
FOLLOW_UP_ITEMS = [
    ("Sinds de startdialoog stel ik in mijn les vaker een open vraag over later.", 3),
    ("Onze visie staat op papier, nu nog in het rooster.", 1),
    ("Een kort overleg per leerjaar over LOB zou helpen.", 2),
]


def _report_text(session, items) -> str:
    quotes = "\n".join(f"- “{item.text}”" for item in items[:3])
    return (
        f"Oogstverslag {session.get_kind_display().lower()} — {session.theme}\n\n"
        f"Aan de dialoog deden {session.invitees.count()} collega's mee. "
        "Wat opviel: veel deelnemers doen al meer aan loopbaanbegeleiding dan ze dachten, "
        "maar een gezamenlijk beeld ontbreekt nog.\n\n"
        f"Enkele uitspraken uit de oogst:\n{quotes}\n\n"
        "Thema's voor het vervolg: een gedeelde visie, de rol van de mentor en het "
        "nabespreken van stages."
    )


def _session(ctx, trajectory, kind, half_day, starts_at, invitee_users):
    session = services.session_create(
        trajectory=trajectory,
        kind=kind,
        half_day=half_day,
        lob_term=LobTerm.LOB,
        starts_at=starts_at,
        place="Teamruimte",
        facilitator=ctx.users["teamcoach"],
        researcher=ctx.users["onderzoeker"],
    )
    invitees = [
        services.invitee_add(
            session=session, name=user.get_full_name(), email=user.email, user=user
        )
        for user in invitee_users
    ]
    for invitee in invitees:
        consent_give(
            trajectory=trajectory,
            kind=ConsentKind.DIALOGUE,
            agreed=True,
            invitee=invitee,
            via=ConsentVia.LINK,
            at=starts_at - timedelta(days=2),
            copy=False,
        )
    return session, invitees


def seed(ctx) -> None:
    main = ctx.trajectories.get("main")
    if main is None or main.dialogue_sessions.exists():
        return
    participants = [
        membership.user
        for membership in main.memberships.filter(role=Role.PARTICIPANT)
        .select_related("user")
        .order_by("user__email")
    ]
    deelnemer = ctx.users["deelnemer"]
    people = list(dict.fromkeys([ctx.users["aanjager"], ctx.users["maatje"], *participants]))
    half_days = list(main.half_days.order_by("starts_at"))
    now = timezone.now()

    # 1. The finished start dialogue.
    start_day = half_days[0] if half_days else None
    starts_at = start_day.starts_at if start_day else now - timedelta(days=60)
    session, invitees = _session(ctx, main, DialogueKind.START, start_day, starts_at, people)
    items = [
        HarvestItem.objects.create(
            session=session,
            invitee=invitees[index % len(invitees)],
            text=text,
            goal=goal,
            group="Visie" if goal in (1, 2) else "Eigen rol" if goal in (3, 4) else "",
        )
        for index, (text, goal) in enumerate(ITEMS)
    ]
    services.harvest_close(session=session)
    first = services.report_save_draft(session=session, body=_report_text(session, items))
    services.report_submit(report=session.report, notify=False)
    services.report_answer(
        invitee=invitees[1],
        version_id=first.pk,
        decision=Decision.CHANGE,
        comment="Mijn uitspraak over ouders graag anoniem laten.",
    )
    second = services.report_save_draft(
        session=session, body=_report_text(session, items) + "\n\nAangepast na reactie."
    )
    services.report_submit(report=session.report, notify=False)
    for invitee in invitees:
        services.report_answer(invitee=invitee, version_id=second.pk, decision=Decision.APPROVE)

    # 2. A follow-up dialogue whose report awaits approval.
    follow_day = half_days[1] if len(half_days) > 1 else None
    follow_at = follow_day.starts_at if follow_day else now - timedelta(days=10)
    follow, follow_invitees = _session(
        ctx,
        main,
        DialogueKind.FOLLOW_UP,
        follow_day,
        follow_at,
        list(dict.fromkeys([ctx.users["aanjager"], deelnemer, *participants[:2]])),
    )
    follow_items = [
        HarvestItem.objects.create(session=follow, invitee=follow_invitees[i % 2], text=t, goal=g)
        for i, (t, g) in enumerate(FOLLOW_UP_ITEMS)
    ]
    services.harvest_close(session=follow)
    version = services.report_save_draft(
        session=follow,
        body=_report_text(follow, follow_items),
        deadline=ctx.today + timedelta(days=14),
    )
    services.report_submit(report=follow.report, notify=False)
    services.report_answer(
        invitee=follow_invitees[0], version_id=version.pk, decision=Decision.APPROVE
    )
    for dialogue in (session, follow):
        _back_date(dialogue, now)
    ctx.log.append("2 dialogue sessions with harvest and harvest reports")


def _back_date(session, now) -> None:
    """Items were added during the session and answers a week later, not when seeding:
    the withdrawal window counts from the real moment of each contribution."""
    during = min(session.starts_at + timedelta(minutes=90), now)
    HarvestItem.objects.filter(session=session).update(created_at=during)
    Approval.objects.filter(version__report__session=session).update(
        at=min(session.starts_at + timedelta(days=7), now)
    )
