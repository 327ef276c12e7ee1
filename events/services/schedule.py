"""Publishing the schedule, the organisers' change log, and the notifications of a publication.

The first publication tells every participating firm its meetings. Later edits (by hand or by a
recompute) make a draft that firms neither see nor hear of; publishing it tells only the firms whose
meetings moved, were added or were removed, each of its own changes. Publishing is idempotent: when
the live schedule equals the last version, nothing is created and nobody is told.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import MissionAction
from events.models import Meeting, Mission, ScheduleChange, ScheduleVersion
from events.publication import schedule_pending
from events.schedule_diff import ScheduleDiff
from events.selectors import meeting_state
from events.services._common import require_manager, require_unlocked
from events.services.notify import schedule_changed_notify, schedule_published_notify
from events.services.phases import phase_enter_published, require_phase


def mission_is_published(mission: Mission) -> bool:
    return ScheduleVersion.objects.filter(mission=mission).exists()


@dataclass(frozen=True)
class Publication:
    """The version now current; `created` is False when there was nothing new to publish."""

    version: ScheduleVersion
    created: bool
    diff: ScheduleDiff


@transaction.atomic
def schedule_publish(*, mission: Mission, user: User | None, fingerprint: str | None = None) -> Publication:
    """Freeze the live schedule as the next version and tell the firms concerned (e-mailed once committed).

    `fingerprint` is the one the organiser reviewed (events.publication.schedule_pending): when the
    schedule changed since, nothing is published and the error says to review again. A second click,
    or a page whose changes someone else published meanwhile, returns the last version unchanged.
    """
    require_manager(user=user, mission=mission)
    mission = Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
    require_unlocked(mission)
    require_phase(mission, MissionAction.PUBLISH)
    pending = schedule_pending(mission)
    if pending.base is not None and pending.diff.is_empty:
        return Publication(version=pending.base, created=False, diff=pending.diff)
    if fingerprint is not None and fingerprint != pending.fingerprint:
        raise ValidationError(
            {"fingerprint": [_("The schedule changed since you reviewed it; review the changes again.")]}
        )
    number = (pending.base.number if pending.base else 0) + 1
    version = ScheduleVersion.objects.create(
        mission=mission, number=number, created_by=user, snapshot=pending.snapshot, notified=True
    )
    ScheduleChange.objects.filter(mission=mission, notified=False).update(notified=True)
    if pending.base is None:
        schedule_published_notify(mission=mission, number=number)
    else:
        schedule_changed_notify(mission=mission, number=number, diff=pending.diff)
    phase_enter_published(mission=mission, user=user)
    return Publication(version=version, created=True, diff=pending.diff)


def schedule_change_record(
    *, meeting: Meeting, kind: str, before: dict, user: User | None, notified: bool = False
) -> ScheduleChange | None:
    """Log, for the organisers, a change made after publishing (before it nothing is logged). Nobody is
    told here: the firms hear of it when the organisers publish. `notified=True` marks a change both firms
    were already told of by the caller (a firm cancelling its meeting), which publishing does not repeat."""
    if not mission_is_published(meeting.mission):
        return None
    return ScheduleChange.objects.create(
        mission=meeting.mission, meeting=meeting, kind=kind, before=before, after=meeting_state(meeting), user=user,
        notified=notified,
    )  # fmt: skip
