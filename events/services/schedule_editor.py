"""Edits from the schedule editor (a drop on the grid, or a form of its action panel), and their undo.

Each edit calls the meeting services (events.services.meetings) that every other path uses, so a
drop is refused for the same reasons, with the same words, as a form or the API. It also returns
the cells it touched (for the page to redraw in place) and its inverse: a plain dict the caller
keeps (the page keeps it in the session) and hands to `schedule_undo`, which runs it as an edit
through the same services, so an undo is validated like any change (the slot may have been taken
meanwhile) and can itself be undone.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from events.models import Meeting, Mission, Slot, Table
from events.schedule_grid import cell_key
from events.services.meetings import meeting_move, meeting_pin, meeting_restrict, meeting_swap, meeting_unplace

ACTIONS = ("move", "swap", "unplace", "pin", "unpin", "restrict")
Undo = dict[str, Any]


@dataclass(frozen=True)
class ScheduleEdit:
    """What an edit changed: a sentence for the status area, the grid cells to redraw (their keys,
    before and after), whether the list of unplaced meetings changed, and the inverse edit."""

    message: str
    cells: tuple[str, ...]
    unplaced_changed: bool
    undo: Undo | None


Position = tuple[int | None, int | None]


def _positions(*meetings: Meeting) -> list[Position]:
    return [(m.slot_id, m.table_id) for m in meetings]


def _inverse(
    action: str, data: dict[str, Any], before: list[Position], allowed: list[int], pin: tuple[bool, str]
) -> Undo:
    meeting = data["meeting"].pk
    if action == "swap":
        return {"action": "swap", "meeting": meeting, "other": data["other"].pk}
    if action in ("pin", "unpin"):
        # Back to how it was: unpinned, or pinned with the reason it had (a pin may only change the reason).
        was_pinned, reason = pin
        return {"action": "pin", "meeting": meeting, "reason": reason} if was_pinned else {
            "action": "unpin", "meeting": meeting}  # fmt: skip
    if action == "restrict":
        return {"action": "restrict", "meeting": meeting, "slots": allowed}
    slot, table = before[0]
    if slot is None:
        return {"action": "unplace", "meeting": meeting}
    return {"action": "move", "meeting": meeting, "slot": slot, "table": table}


def _call(action: str, data: dict[str, Any], user: User | None) -> list[Meeting]:
    meeting = data["meeting"]
    if action == "move":
        return [meeting_move(meeting=meeting, slot=data["slot"], table=data.get("table"), user=user)]
    if action == "swap":
        return list(meeting_swap(a=meeting, b=data["other"], user=user))
    if action == "unplace":
        return [meeting_unplace(meeting=meeting, user=user)]
    if action == "restrict":
        return [meeting_restrict(meeting=meeting, user=user, slots=data["slots"])]
    reason = data.get("reason") if action == "pin" else None
    return [meeting_pin(meeting=meeting, user=user, pinned=action == "pin", reason=reason)]


MESSAGES = {
    "move": gettext_noop("Meeting moved."),
    "swap": gettext_noop("Meetings swapped."),
    "unplace": gettext_noop("Meeting taken out of the schedule."),
    "pin": gettext_noop("Meeting pinned."),
    "unpin": gettext_noop("Meeting unpinned."),
    "restrict": gettext_noop("Times of the meeting restricted."),
}


def schedule_edit(*, action: str, data: dict[str, Any], user: User | None) -> ScheduleEdit:
    """Run one editor action (`ACTIONS`) with the cleaned data of its form: `meeting`, and `slot` and
    `table` (move), `other` (swap), `slots` (restrict) or `reason` (pin). Raises the service's ValidationError or
    PermissionDenied unchanged; nothing is written then."""
    involved = [data["meeting"]] + ([data["other"]] if action == "swap" else [])
    before = _positions(*involved)
    allowed = list(data["meeting"].allowed_slots.values_list("pk", flat=True)) if action == "restrict" else []
    pin = (data["meeting"].pinned, data["meeting"].pinned_reason)
    after = _positions(*_call(action, data, user))
    keys = {cell_key(slot, table) for slot, table in before + after if slot is not None}
    return ScheduleEdit(
        message=_(MESSAGES[action]), cells=tuple(sorted(keys)),
        unplaced_changed=any((b[0] is None) != (a[0] is None) for b, a in zip(before, after, strict=True)),
        undo=_inverse(action, data, before, allowed, pin),
    )  # fmt: skip


def _undo_data(mission: Mission, undo: Undo) -> dict[str, Any]:
    """The form data of an inverse edit, its objects loaded from this mission only."""
    meetings = Meeting.objects.filter(mission=mission)
    try:
        data: dict[str, Any] = {"meeting": meetings.get(pk=undo["meeting"])}
        if "other" in undo:
            data["other"] = meetings.get(pk=undo["other"])
        if undo.get("slot") is not None:
            data["slot"] = Slot.objects.get(mission=mission, pk=undo["slot"])
            data["table"] = Table.objects.get(mission=mission, pk=undo["table"]) if undo.get("table") else None
        if "reason" in undo:
            data["reason"] = str(undo["reason"])
        if "slots" in undo:
            data["slots"] = list(Slot.objects.filter(mission=mission, pk__in=undo["slots"]))
    except (Meeting.DoesNotExist, Slot.DoesNotExist, Table.DoesNotExist, KeyError, TypeError) as exc:
        raise ValidationError({"non_field_errors": [_("The last change can no longer be undone.")]}) from exc
    return data


def schedule_undo(*, mission: Mission, user: User | None, undo: Undo | None) -> ScheduleEdit:
    """Apply the inverse an edit returned; its own inverse comes back, so undoing twice redoes."""
    if not undo or undo.get("action") not in ACTIONS:
        raise ValidationError({"non_field_errors": [_("There is no change to undo.")]})
    edit = schedule_edit(action=undo["action"], data=_undo_data(mission, undo), user=user)
    return ScheduleEdit(
        message=_("Last change undone."), cells=edit.cells, unplaced_changed=edit.unplaced_changed, undo=edit.undo
    )
