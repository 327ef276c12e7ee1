"""Writes on meeting outcomes: how each firm judged a meeting it held (docs/missions.md)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import MeetingOutcomeChoice, MeetingStatus, MissionAction
from events.models import NOTE_MAX_LENGTH, Meeting, MeetingOutcome, Participation
from events.selectors import participation_is_member
from events.services.phases import require_phase


def _answering_firm(*, meeting: Meeting, user: User) -> Participation:
    for participation in (meeting.a, meeting.b):
        if participation_is_member(user=user, participation=participation):
            return participation
    raise PermissionDenied(_("Only the two firms of a meeting can say how it went."))


def _check_open(meeting: Meeting, now: datetime) -> None:
    if meeting.status != MeetingStatus.CONFIRMED:
        raise ValidationError({"non_field_errors": [_("This meeting was cancelled.")]})
    if meeting.slot is None:
        raise ValidationError({"non_field_errors": [_("This meeting has no time yet.")]})
    require_phase(meeting.mission, MissionAction.RECORD_OUTCOME)
    if meeting.slot.start > now:
        start = meeting.slot.start.astimezone(ZoneInfo(meeting.mission.time_zone))
        raise ValidationError(
            {"non_field_errors": [_("You can say how the meeting went once it has started (%(start)s).") % {
                "start": f"{start:%Y-%m-%d %H:%M} {meeting.mission.time_zone}"
            }]}
        )  # fmt: skip


def meeting_outcome_record(
    *, meeting: Meeting, user: User, outcome: str, note: str = "", now: datetime | None = None
) -> tuple[MeetingOutcome, bool]:
    """The user's firm's answer on `meeting`, and whether it is new (answering again replaces it).

    PermissionDenied unless the user belongs to one of the two firms; ValidationError for an unknown
    outcome, a note over NOTE_MAX_LENGTH characters, or a meeting cancelled, unplaced or not started.
    """
    participation = _answering_firm(meeting=meeting, user=user)
    if outcome not in MeetingOutcomeChoice.values:
        raise ValidationError({"outcome": [_("Choose one of the answers.")]})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX_LENGTH}]})
    now = now or timezone.now()
    _check_open(meeting, now)
    with transaction.atomic():
        return MeetingOutcome.objects.update_or_create(
            meeting=meeting,
            participation=participation,
            defaults={"outcome": outcome, "note": note.strip(), "answered_by": user, "answered_at": now},
        )
