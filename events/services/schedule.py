"""Publishing the schedule, the change log after publishing, and the notifications about both."""

from django.db import transaction
from django.db.models import Max

from accounts.enums import NotificationKind
from accounts.models import User
from events.enums import ChangeKind, MissionAction
from events.models import Meeting, Mission, ScheduleChange, ScheduleVersion
from events.selectors import meeting_state, schedule_snapshot
from events.services._common import require_manager, require_unlocked
from events.services.notify import meeting_notify, schedule_published_notify
from events.services.phases import phase_enter_published, require_phase


def mission_is_published(mission: Mission) -> bool:
    return ScheduleVersion.objects.filter(mission=mission).exists()


@transaction.atomic
def schedule_publish(*, mission: Mission, user: User | None) -> ScheduleVersion:
    """Freeze the current schedule as the next version; every firm's members are notified (e-mailed once
    it is committed)."""
    require_manager(user=user, mission=mission)
    mission = Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
    require_unlocked(mission)
    require_phase(mission, MissionAction.PUBLISH)
    number = (ScheduleVersion.objects.filter(mission=mission).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ScheduleVersion.objects.create(
        mission=mission, number=number, created_by=user, snapshot=schedule_snapshot(mission), notified=True
    )
    schedule_published_notify(mission=mission, number=number)
    phase_enter_published(mission=mission, user=user)
    return version


def schedule_change_record(*, meeting: Meeting, kind: str, before: dict, user: User | None) -> ScheduleChange | None:
    """Log a change made after publishing; before publishing nothing is logged. Both firms are notified of a
    new time or table; a cancellation is notified by meeting_cancel, a new (unplaced) meeting when placed."""
    if not mission_is_published(meeting.mission):
        return None
    after = meeting_state(meeting)
    change = ScheduleChange.objects.create(
        mission=meeting.mission, meeting=meeting, kind=kind, before=before, after=after, user=user, notified=True
    )
    if kind in (ChangeKind.MOVED, ChangeKind.SWAPPED) and (before.get("slot"), before.get("table")) != (
        after["slot"],
        after["table"],
    ):
        meeting_notify(meeting=meeting, kind=NotificationKind.MEETING_MOVED, before=before, after=after)
    return change
