"""Writes for trajectories: phase transitions, signing, hours, half-days, feeds.

Every function validates, raises a Dutch ``ValidationError`` on bad input and
changes nothing in that case (``transaction.atomic``).

One module per area; the public names are re-exported here. Reads (the
phase rules, hours summary, closing problems) live in ``trajectories.selectors``.
"""

from .agreement import agreement_save, agreement_sign
from .closing import (
    REACHED_TO_PROGRESS,
    closing_interview_add_audio,
    closing_interview_delete,
    closing_interview_plan,
    closing_interview_record_missed,
    closing_interview_save_answers,
    closing_meeting_save,
)
from .goals import goal_baseline_record, interim_evaluation_save
from .hours import MAX_HOURS_PER_ENTRY, budget_extend, hours_change, hours_delete, hours_log
from .people import (
    invitation_deliver,
    invitation_resend,
    person_assign,
    person_readd,
    person_remove,
    study_create,
    study_member_add,
    study_member_remove,
)
from .phases import trajectory_change_phase, trajectory_step_back
from .planning import (
    feed_get_or_create,
    feed_revoke,
    half_day_add_outcomes,
    half_day_delete,
    half_day_lock_reason,
    half_day_save,
)
from .recruitment import (
    contact_person_add,
    decision_factor_add,
    decision_factor_change,
    decision_factor_delete,
    decision_record,
    factors_locked,
    recruitment_contact_add,
    recruitment_contact_change,
    recruitment_contact_delete,
)
from .setup import organisation_name_taken, organisation_update, trajectory_open

__all__ = [
    "trajectory_open",
    "organisation_update",
    "organisation_name_taken",
    "study_member_remove",
    "study_member_add",
    "study_create",
    "person_remove",
    "person_readd",
    "invitation_resend",
    "invitation_deliver",
    "MAX_HOURS_PER_ENTRY",
    "recruitment_contact_change",
    "recruitment_contact_delete",
    "decision_factor_change",
    "decision_factor_delete",
    "factors_locked",
    "half_day_delete",
    "half_day_lock_reason",
    "hours_change",
    "hours_delete",
    "trajectory_step_back",
    "REACHED_TO_PROGRESS",
    "agreement_save",
    "agreement_sign",
    "budget_extend",
    "closing_interview_add_audio",
    "closing_interview_delete",
    "closing_interview_plan",
    "closing_interview_record_missed",
    "closing_interview_save_answers",
    "closing_meeting_save",
    "contact_person_add",
    "decision_factor_add",
    "decision_record",
    "feed_get_or_create",
    "feed_revoke",
    "goal_baseline_record",
    "half_day_add_outcomes",
    "half_day_save",
    "hours_log",
    "interim_evaluation_save",
    "person_assign",
    "recruitment_contact_add",
    "trajectory_change_phase",
]
