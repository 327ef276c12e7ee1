"""Writes on missions, split by subject; import from here."""

from events.services.availability import Conflict, capacity_conflicts, delegate_availability_set
from events.services.delegation_import import (
    DelegationImportResult,
    ImportRefused,
    RowError,
    delegation_import,
    delegation_import_confirm,
    delegation_import_preview,
)
from events.services.enrolment import EnrolResult, participations_enrol
from events.services.meetings import (
    meeting_cancel,
    meeting_cancel_by_firm,
    meeting_create,
    meeting_move,
    meeting_pin,
    meeting_restrict,
    meeting_swap,
    meeting_unplace,
)
from events.services.missions import (
    mission_create,
    mission_scheduling_lock,
    mission_update,
    mission_validate,
    slot_set_removed,
    slot_times,
    slots_generate,
    table_create,
    table_delete,
    table_names_from_count,
    table_update,
    tables_replace,
)
from events.services.organisers import mission_organiser_add, mission_organiser_remove
from events.services.outcomes import meeting_outcome_record
from events.services.participation import (
    availability_set,
    delegates_set,
    participation_add,
    participation_join,
    participation_update,
)
from events.services.phases import phase_move, phase_plan_set, require_phase
from events.services.reminders import meeting_reminders_send
from events.services.requests import (
    meeting_request_accept,
    meeting_request_create,
    meeting_request_decline,
    meeting_request_mutual,
    meeting_request_withdraw,
)
from events.services.schedule import Publication, mission_is_published, schedule_change_record, schedule_publish
from events.services.scheduling import (
    missions_unlock_orphaned,
    runs_sweep,
    schedule_apply,
    schedule_run_execute,
    schedule_run_retry,
    schedule_run_start,
    schedule_solution_import,
)

__all__ = [
    "DelegationImportResult", "Publication", "RowError", "availability_set", "delegates_set", "delegation_import",
    "delegation_import_confirm", "delegation_import_preview", "ImportRefused",
    "meeting_cancel", "meeting_create", "meeting_move", "meeting_pin", "meeting_request_accept",
    "meeting_request_create", "meeting_request_decline", "meeting_request_mutual", "meeting_request_withdraw",
    "meeting_swap",
    "mission_create", "mission_is_published", "mission_scheduling_lock",
    "mission_update", "mission_validate", "participation_add", "participation_join",
    "participation_update", "schedule_change_record", "schedule_publish", "meeting_reminders_send",
    "slot_set_removed", "slot_times", "slots_generate", "table_create",
    "table_delete", "table_names_from_count", "table_update", "tables_replace", "schedule_apply",
    "schedule_run_execute", "schedule_run_start", "schedule_solution_import", "meeting_restrict",
    "missions_unlock_orphaned", "runs_sweep", "schedule_run_retry", "meeting_outcome_record",
    "phase_move", "phase_plan_set", "require_phase",
    "meeting_cancel_by_firm", "meeting_unplace",
    "EnrolResult", "participations_enrol", "mission_organiser_add", "mission_organiser_remove",
    "Conflict", "capacity_conflicts", "delegate_availability_set",
]  # fmt: skip
