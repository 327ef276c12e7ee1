"""The reminder before a firm's first meeting of a mission (run hourly by Celery beat)."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from accounts.enums import NotificationKind
from accounts.models import Notification
from events.enums import MeetingStatus, MissionPhase
from events.models import MeetingSeat, Participation, ScheduleVersion
from events.selectors import meeting_state
from events.services.notify import agenda_link, firm_notify

# A firm is reminded once its first meeting is less than this far away.
REMINDER_AHEAD = timedelta(hours=24)


def reminder_key(party: Participation) -> str:
    return f"meeting-reminder:{party.mission_id}:{party.company_id}"


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every firm whose first placed meeting of a published mission starts within REMINDER_AHEAD;
    returns how many firms were reminded. Once per firm and mission (the notification's key), so running
    it twice, or hourly, reminds nobody twice; a firm whose first meeting has passed is not reminded."""
    now = now or timezone.now()
    published = Exists(ScheduleVersion.objects.filter(mission=OuterRef("meeting__mission")))
    firsts = (
        MeetingSeat.objects.filter(published, meeting__status=MeetingStatus.CONFIRMED)
        .exclude(meeting__mission__phase=MissionPhase.CLOSED)
        .values("participation")
        .annotate(first=Min("slot__start"))
        .filter(first__gt=now, first__lte=now + REMINDER_AHEAD)
        .order_by("participation")
    )
    reminded = 0
    for row in firsts:
        party = Participation.objects.select_related("mission", "company").get(pk=row["participation"])
        if not Notification.objects.filter(key=reminder_key(party)).exists():
            reminded += _remind(party, row["first"])
    return reminded


def _remind(party: Participation, first: datetime) -> int:
    seat = (
        MeetingSeat.objects.filter(participation=party, slot__start=first, meeting__status=MeetingStatus.CONFIRMED)
        .select_related(
            "meeting__mission", "meeting__slot", "meeting__table", "meeting__a__company", "meeting__b__company"
        )  # fmt: skip
        .order_by("meeting_id")
        .first()
    )
    if seat is None:  # moved away since the query above
        return 0
    meeting = seat.meeting
    other = meeting.b if meeting.a_id == party.pk else meeting.a
    mission = party.mission
    state = meeting_state(meeting)
    params = {"mission": mission.title, "firm": other.company.name, "time": state["local_start"],
              "zone": mission.time_zone, "table": state["table"], "venue": mission.venue}  # fmt: skip
    try:
        with transaction.atomic():
            firm_notify(
                party=party, kind=NotificationKind.MEETING_REMINDER, params=params, link=agenda_link(mission),
                key=reminder_key(party),
            )  # fmt: skip
    except IntegrityError:  # another run reminded this firm at the same moment
        return 0
    return 1
