"""The one access model of LOB-traject.

Every view asks this module (directly, or through an app's own `access.py`
that builds on it) whether the current user may see or change something.

Rules in short:
- A person's *roles* are held per trajectory (``Membership``). Members of a
  study's research team who hold no role in a trajectory of that study are its
  *independent researchers* (``STUDY_RESEARCHER``).
- Someone with no role at all in a trajectory gets **404** for everything in
  it, so the existence of other organisations' data does not leak.
- Someone with a role that lacks the capability gets **403**.
- Staff administrators manage organisations and trajectories, but get no
  capability on research text: the informed consent limits that to the
  research team.

Role look-ups are cached on the user object for the request: one query for the roles
held anywhere (navigation), one per trajectory asked about, or one for a page of them
(`prime`).
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.http import Http404

from .models import Membership, Role, Study, StudyMembership, StudyRole, Trajectory

STUDY_RESEARCHER = "study_researcher"
STAFF = "staff"

ALL_ROLES = (*Role.values, STUDY_RESEARCHER, STAFF)
RESEARCH_TEAM = frozenset({Role.RESEARCHER, STUDY_RESEARCHER})

# Account holders whose words are research data and who therefore give consent
# in the research registry (participants give it at the dialogue session).
CONSENT_ROLES = (Role.CHAMPION, Role.BUDDY, Role.MANAGER, Role.COACH)


class Capability(StrEnum):
    VIEW_TRAJECTORY = "view_trajectory"
    EDIT_TRAJECTORY = "edit_trajectory"
    STEP_BACK_PHASE = "step_back_phase"
    VIEW_PLAN = "view_plan"
    EDIT_PLAN = "edit_plan"
    ADD_LEARNING_OUTCOMES = "add_learning_outcomes"
    READ_LEARNING_OUTCOMES = "read_learning_outcomes"
    VIEW_START_AGREEMENT = "view_start_agreement"
    VIEW_PROGRESS = "view_progress"
    WRITE_LOGBOOK = "write_logbook"
    READ_RESEARCH_DATA = "read_research_data"
    HOLD_CLOSING_INTERVIEW = "hold_closing_interview"
    EDIT_CLOSING_MEETING = "edit_closing_meeting"
    READ_CLOSING_NOTES = "read_closing_notes"
    PLAN_CLOSING_INTERVIEWS = "plan_closing_interviews"
    READ_CLOSING_INTERVIEWS = "read_closing_interviews"
    # Dialogues: harvest and report text, inviting, running the harvest, the report.
    READ_DIALOGUE_CONTENT = "read_dialogue_content"
    INVITE_TO_DIALOGUE = "invite_to_dialogue"
    FACILITATE_DIALOGUE = "facilitate_dialogue"
    WRITE_HARVEST_REPORT = "write_harvest_report"
    # Logbooks: e-mails and notes beside the entries.
    READ_DATA_POINTS = "read_data_points"
    UPLOAD_EMAIL = "upload_email"
    WRITE_NOTES = "write_notes"
    READ_ENTRY_HISTORY = "read_entry_history"
    # Dashboards: the overview of every trajectory one coaches or researches.
    VIEW_OVERVIEW = "view_overview"
    # Setting up: who takes part (which roles each may add: ADDABLE_ROLES) and
    # who plans half-days (the champion organises them in the method).
    MANAGE_PEOPLE = "manage_people"
    PLAN_HALF_DAYS = "plan_half_days"


# The team coach with the research team: who reads what people said.
TEAM = frozenset({Role.COACH, Role.RESEARCHER, STUDY_RESEARCHER})

CAPABILITIES: dict[Capability, frozenset[str]] = {
    Capability.VIEW_TRAJECTORY: frozenset(TEAM | {Role.CHAMPION, Role.BUDDY, Role.MANAGER, STAFF}),
    Capability.EDIT_TRAJECTORY: frozenset({Role.COACH, Role.RESEARCHER, STAFF}),
    # Taking a phase back is the team coach's call, who runs the trajectory.
    Capability.STEP_BACK_PHASE: frozenset({Role.COACH}),
    Capability.VIEW_PLAN: frozenset(TEAM | {Role.CHAMPION, Role.BUDDY, Role.MANAGER, STAFF}),
    Capability.EDIT_PLAN: frozenset({Role.COACH, Role.RESEARCHER}),
    Capability.ADD_LEARNING_OUTCOMES: frozenset({Role.COACH, Role.CHAMPION, Role.BUDDY}),
    # The team's learning outcomes are research data the champion collects (DOMAIN.md):
    # what the team said, so never for managers (or staff), like every other statement.
    Capability.READ_LEARNING_OUTCOMES: frozenset(TEAM | {Role.CHAMPION, Role.BUDDY}),
    Capability.VIEW_START_AGREEMENT: frozenset(
        TEAM | {Role.CHAMPION, Role.BUDDY, Role.MANAGER, STAFF}
    ),
    Capability.VIEW_PROGRESS: frozenset(TEAM | {Role.CHAMPION, Role.BUDDY, Role.MANAGER}),
    Capability.WRITE_LOGBOOK: frozenset({Role.COACH, Role.CHAMPION, Role.BUDDY}),
    Capability.READ_RESEARCH_DATA: RESEARCH_TEAM,
    # Closing interviews are filled in by researchers not involved in the
    # trajectory (the independence rule); their text is research data, so the
    # participating researcher reads it too but the team coach only plans them
    # and sees their status. Managers and champions see the closing meeting's
    # date and attendance, never its notes.
    Capability.HOLD_CLOSING_INTERVIEW: frozenset({STUDY_RESEARCHER}),
    Capability.EDIT_CLOSING_MEETING: frozenset({Role.COACH, Role.RESEARCHER}),
    Capability.READ_CLOSING_NOTES: TEAM,
    Capability.PLAN_CLOSING_INTERVIEWS: TEAM,
    Capability.READ_CLOSING_INTERVIEWS: RESEARCH_TEAM,
    # Harvest items and report text: never managers, champions, buddies or staff.
    Capability.READ_DIALOGUE_CONTENT: TEAM,
    Capability.INVITE_TO_DIALOGUE: frozenset({Role.CHAMPION, Role.COACH}),
    Capability.FACILITATE_DIALOGUE: frozenset({Role.COACH, Role.RESEARCHER}),
    Capability.WRITE_HARVEST_REPORT: frozenset({Role.RESEARCHER}),
    Capability.READ_DATA_POINTS: TEAM,
    Capability.UPLOAD_EMAIL: TEAM,
    Capability.WRITE_NOTES: RESEARCH_TEAM,
    # Besides the author, who sees the earlier versions of a logbook entry.
    Capability.READ_ENTRY_HISTORY: RESEARCH_TEAM,
    Capability.VIEW_OVERVIEW: TEAM,
    Capability.MANAGE_PEOPLE: frozenset({Role.COACH, Role.RESEARCHER, Role.CHAMPION, STAFF}),
    Capability.PLAN_HALF_DAYS: frozenset({Role.COACH, Role.RESEARCHER, Role.CHAMPION, Role.BUDDY}),
}

# Which roles each role may add to (and remove from) a trajectory. The
# administrator sets up the team coach; the coach the organisation's people;
# the champion invites the teachers who take part.
_ORGANISATION_PEOPLE = (Role.CHAMPION, Role.BUDDY, Role.MANAGER, Role.PARTICIPANT)
ADDABLE_ROLES: dict[str, tuple[str, ...]] = {
    STAFF: (Role.COACH, Role.RESEARCHER, *_ORGANISATION_PEOPLE),
    Role.COACH: _ORGANISATION_PEOPLE,
    Role.RESEARCHER: _ORGANISATION_PEOPLE,
    Role.CHAMPION: (Role.PARTICIPANT,),
}


def addable_roles(user, trajectory: Trajectory | int) -> list[str]:
    """The roles `user` may add to or remove from `trajectory`, in Role order."""
    allowed: set[str] = set()
    for role in roles_for(user, trajectory):
        allowed.update(ADDABLE_ROLES.get(role, ()))
    return [role for role in Role.values if role in allowed]


def setup_studies(user):
    """The studies in which `user` may register an organisation and open its trajectory:
    every study for an administrator, the studies they coach for a team coach."""
    if not user.is_authenticated or not user.is_active:
        return Study.objects.none()
    if user.is_staff:
        return Study.objects.all()
    return Study.objects.filter(
        memberships__user=user, memberships__role=StudyRole.COACH
    ).distinct()


def require_setup(user) -> None:
    """403 unless `user` may open trajectories in at least one study (or is staff)."""
    if not (user.is_authenticated and (user.is_staff or setup_studies(user).exists())):
        raise PermissionDenied


def require_staff(user) -> None:
    """Studies and their research teams are the application administrator's."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied


def _cache(user) -> dict:
    """Per-request cache on the user object: ``{"roles": {trajectory_id: frozenset},
    "all": frozenset | None}``, filled as pages ask (never every trajectory at once)."""
    cached = getattr(user, "_lob_role_map", None)
    if cached is None:
        cached = {"roles": {}, "all": None}
        user._lob_role_map = cached
    return cached


def forget(user) -> None:
    """Drop the cached roles, after a service changed this user's memberships."""
    if hasattr(user, "_lob_role_map"):
        del user._lob_role_map


def prime(user, trajectories) -> None:
    """Look up `user`'s roles in these trajectories (ids or objects) in one query, for a
    page that shows several of them; `roles_for` then answers from the cache.

    One UNION of the user's memberships there and the trajectories of their research
    studies, so the cost follows the number asked for, not the number the user is in.
    """
    known = _cache(user)["roles"]
    ids = {t if isinstance(t, int) else t.pk for t in trajectories} - known.keys()
    if not ids:
        return
    found: dict[int, set[str]] = {trajectory_id: set() for trajectory_id in ids}
    if user.is_authenticated and user.is_active:
        members = (
            Membership.objects.filter(user=user, trajectory_id__in=ids)
            .order_by()
            .values_list("trajectory_id", "role")
        )
        studied = (
            Trajectory.objects.filter(pk__in=ids, study_id__in=research_study_ids(user))
            .order_by()
            .annotate(role=Value(STUDY_RESEARCHER, output_field=CharField()))
            .values_list("pk", "role")
        )
        for trajectory_id, role in members.union(studied, all=True):
            found[trajectory_id].add(role)
    for trajectory_id, roles in found.items():
        # A member of the research team who coaches or researches this trajectory holds
        # that role there, not the independent researcher's.
        if STUDY_RESEARCHER in roles and roles & {Role.RESEARCHER, Role.COACH}:
            roles.discard(STUDY_RESEARCHER)
        known[trajectory_id] = frozenset(roles)


def roles_for(user, trajectory: Trajectory | int) -> frozenset[str]:
    trajectory_id = trajectory if isinstance(trajectory, int) else trajectory.pk
    known = _cache(user)["roles"]
    if trajectory_id not in known:
        prime(user, [trajectory_id])
    roles = known[trajectory_id]
    if user.is_authenticated and user.is_staff:
        roles = roles | {STAFF}
    return roles


def all_roles(user) -> frozenset[str]:
    """Every role this user holds anywhere: drives navigation and the landing page.

    One query of one EXISTS per role, each answered from the (user, role) index, so a
    team coach of thousands of trajectories costs what a champion of one does.
    """
    cache = _cache(user)
    if cache["all"] is None:
        roles: set[str] = set()
        if user.is_authenticated and user.is_active:
            mine = Membership.objects.filter(user=user)
            flags = {f"holds_{role}": Exists(mine.filter(role=role)) for role in Role.values}
            # Stored with the research team's memberships (`services.independence`):
            # asked of the trajectories, it read all of the memberships of a researcher in
            # 5,000 of them (3-5 ms on every page).
            flags["holds_study_researcher"] = Exists(
                StudyMembership.objects.filter(
                    user=user, role=StudyRole.RESEARCHER, independent=True
                )
            )
            row = get_user_model().objects.filter(pk=user.pk).values(**flags).first() or {}
            roles = {name.removeprefix("holds_") for name, held in row.items() if held}
        cache["all"] = frozenset(roles)
    roles = cache["all"]
    if user.is_authenticated and user.is_staff:
        roles = roles | {STAFF}
    return roles


def can(user, capability: Capability, trajectory: Trajectory | int) -> bool:
    return bool(roles_for(user, trajectory) & CAPABILITIES[capability])


def _holding(user, allowed: frozenset[str], field: str = "") -> Q:
    """A filter on Trajectory: `user` holds one of the roles `allowed` there; with
    `field`, the same filter on a model whose `field` is a trajectory (see `through`).

    The same rule as `prime`, written as SQL so that a page spanning many
    trajectories sends a subquery, not a list of a thousand ids: a membership
    with an allowed role, or (for `STUDY_RESEARCHER`) the research team of the
    trajectory's study without being its coach or participating researcher.
    """
    trajectory = OuterRef(f"{field}_id" if field else "pk")
    study = f"{field}__study_id" if field else "study_id"
    member_roles = [role for role in allowed if role in Role.values]
    condition = Q(
        Exists(
            Membership.objects.filter(user=user, trajectory_id=trajectory, role__in=member_roles)
        )
    )
    # The research team's branch only for someone who holds that role somewhere (all_roles
    # is asked on every page anyway): for everyone else it matches nothing, and an OR
    # keeps PostgreSQL from turning the membership EXISTS into a join, so a buddy of one
    # trajectory had all 6,000 checked (12 ms at 500x) for "Mijn trajecten".
    if STUDY_RESEARCHER in allowed and STUDY_RESEARCHER in all_roles(user):
        # In the research team's study only a coach or participating researcher of the
        # trajectory is not its independent researcher; where `allowed` holds that role
        # too, the membership grants it anyway, so only the roles outside `allowed`
        # exclude. For the team's capabilities (coach and researcher allowed) nothing is
        # left to exclude, and the study goes first: PostgreSQL evaluates an OR left to
        # right and builds a membership subquery's hash only when it first needs it, so
        # a researcher in 5,000 trajectories of their study no longer has those 5,000
        # read (twice) for every count and page of them.
        in_study = Q(**{f"{study}__in": research_study_ids(user)})
        excluded = [role for role in (Role.RESEARCHER, Role.COACH) if role not in allowed]
        if excluded:
            in_study &= ~Q(
                Exists(
                    Membership.objects.filter(user=user, trajectory_id=trajectory, role__in=excluded)
                )
            )
        condition = in_study | condition
    return condition


def visible_trajectories(user, capability: Capability = Capability.VIEW_TRAJECTORY):
    """The trajectories on which `user` holds `capability`, as a queryset.

    Its condition is a subquery on the user's memberships, so filtering other
    rows by it (`trajectory__in=...`) costs the same with 10 or 10,000
    trajectories in the user's reach.
    """
    return trajectories_holding(user, CAPABILITIES[capability])


def trajectories_holding(user, roles: frozenset[str]):
    """The trajectories in which `user` holds one of `roles`, as a queryset
    (staff hold `STAFF` everywhere)."""
    qs = Trajectory.objects.select_related("organisation", "study")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.is_staff and STAFF in roles:
        return qs
    return qs.filter(_holding(user, roles))


def through(user, roles: frozenset[str], field: str = "trajectory") -> Q:
    """A filter for rows of another model (sessions, reports ...): `user` holds one of
    `roles` in the trajectory their `field` points at.

    The same rule as `trajectories_holding`, asked of each row (`EXISTS` on the row's own
    trajectory) instead of `field__in=<every trajectory the user may see>`: a coach of
    6,000 trajectories had PostgreSQL collect all 6,000 to filter two dialogue sessions."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if user.is_staff and STAFF in roles:
        # Every row, written out: an empty Q() would vanish when OR-ed with another filter.
        return Q(**{f"{field}__isnull": False})
    return _holding(user, roles, field)


def object_or_404(queryset, pk):
    """`queryset.get(pk=pk)`, or 404 when there is none or `pk` is no valid key.

    The `get_*` helpers of every app fetch their object this way and then ask
    whether the user may see it.
    """
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_trajectory(user, pk, capability: Capability = Capability.VIEW_TRAJECTORY) -> Trajectory:
    """The trajectory `pk` if `user` holds `capability` on it.

    404 when the user has no role in the trajectory at all (outsiders learn
    nothing), 403 when they have a role that does not include `capability`.
    """
    trajectory = object_or_404(Trajectory.objects.select_related("organisation", "study"), pk)
    check(user, capability, trajectory)
    return trajectory


def check(user, capability: Capability, trajectory: Trajectory | int) -> None:
    """Raise 404/403 unless `user` holds `capability` on `trajectory`."""
    deny_unless(roles_for(user, trajectory), CAPABILITIES[capability])


def deny_unless(roles: frozenset[str], allowed: frozenset[str]) -> frozenset[str]:
    """The one 404/403 rule of every app: no role at all is 404 (outsiders learn
    nothing), a role without the right is 403. Returns `roles`."""
    if not roles:
        raise Http404
    if not roles & allowed:
        raise PermissionDenied
    return roles


def study_roles(user, study_id: int) -> frozenset[str]:
    """Every role `user` holds in any trajectory of the study.

    In SQL, not from the cached role map: a study of a national programme has thousands
    of trajectories. One query of one EXISTS for each role the user holds anywhere
    (`all_roles`, asked by every page's navigation anyway), each stopping at the first
    membership in the study: a list of the distinct roles read all 5,000 memberships of
    a researcher of that programme."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    anywhere = all_roles(user)
    mine = Membership.objects.filter(user=user, trajectory__study_id=study_id)
    flags = {
        f"holds_{role}": Exists(mine.filter(role=role)) for role in Role.values if role in anywhere
    }
    if STUDY_RESEARCHER in anywhere:
        # An independent researcher of this study (stored, as for `all_roles`).
        flags["holds_study_researcher"] = Exists(
            StudyMembership.objects.filter(
                user=user, study_id=study_id, role=StudyRole.RESEARCHER, independent=True
            )
        )
    if user.is_staff:
        flags["holds_staff"] = Exists(Trajectory.objects.filter(study_id=study_id))
    if not flags:
        return frozenset()
    row = get_user_model().objects.filter(pk=user.pk).values(**flags).first() or {}
    return frozenset(name.removeprefix("holds_") for name, held in row.items() if held)


def organisation_roles(user, organisation_id: int) -> frozenset[str]:
    """Every role `user` holds in any trajectory of the organisation."""
    roles: set[str] = set()
    ids = list(
        Trajectory.objects.filter(organisation_id=organisation_id)
        .order_by()
        .values_list("id", flat=True)
    )
    prime(user, ids)
    for trajectory_id in ids:
        roles |= roles_for(user, trajectory_id)
    return frozenset(roles)


def is_study_researcher(user, study_id: int) -> bool:
    """Whether `user` is in the research team of the study (participating or not)."""
    return (
        user.is_authenticated
        and StudyMembership.objects.filter(
            user=user, study_id=study_id, role=StudyRole.RESEARCHER
        ).exists()
    )


def research_study_ids(user):
    """The studies whose research team `user` is in, as a subquery of ids."""
    return StudyMembership.objects.filter(user=user, role=StudyRole.RESEARCHER).values("study_id")


def anywhere(user, capability: Capability) -> bool:
    """Whether `user` holds `capability` on at least one trajectory."""
    return bool(all_roles(user) & CAPABILITIES[capability])


def require_anywhere(user, capability: Capability) -> None:
    """For pages that span trajectories: 403 unless `user` holds `capability` somewhere."""
    if not anywhere(user, capability):
        raise PermissionDenied


# --- signing the start agreement --------------------------------------------

# Which trajectory roles may sign for which party of the start agreement.
SIGNING_ROLES = {
    "research_team": frozenset({Role.COACH, Role.RESEARCHER}),
    "champion": frozenset({Role.CHAMPION}),
    "management": frozenset({Role.MANAGER}),
}


def signable_parties(user, trajectory: Trajectory | int) -> list[str]:
    """The parties of the start agreement `user` may sign for in `trajectory`."""
    roles = roles_for(user, trajectory)
    return [party for party, allowed in SIGNING_ROLES.items() if roles & allowed]


def calendar_trajectory_ids(user):
    """Trajectories whose half-days appear in `user`'s calendar and feed, as a
    subquery of ids.

    Only trajectories the user holds a planning-related role in: staff see
    everything elsewhere, but their calendar would be unusable.
    """
    if not (user.is_authenticated and user.is_active):
        return Trajectory.objects.none().values("id")
    allowed = CAPABILITIES[Capability.VIEW_PLAN] - {STAFF}
    return Trajectory.objects.filter(_holding(user, allowed)).values("id")
