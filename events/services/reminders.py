"""The reminder before a firm's first meeting of a mission (run hourly by Celery beat)."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.enums import NotificationKind
from accounts.models import Notification
from events.enums import MissionPhase
from events.models import Mission, Participation, ScheduleVersion
from events.publication import FirstMeeting, published_first_meetings
from events.services.notify import agenda_link, firm_notify

# A firm is reminded once its first meeting is less than this far away.
REMINDER_AHEAD = timedelta(hours=24)


def reminder_key(party: Participation) -> str:
    return f"meeting-reminder:{party.mission_id}:{party.company_id}"


def meeting_reminders_send(*, now: datetime | None = None) -> int:
    """Remind every firm whose first placed meeting of a published mission starts within REMINDER_AHEAD;
    returns how many firms were reminded. The meeting is the one the firm's agenda shows: its place in
    the last published version, never an unpublished draft (events.publication). Once per firm and
    mission (the notification's key), so running it twice, or hourly, reminds nobody twice; a firm
    whose first meeting has passed is not reminded."""
    now = now or timezone.now()
    reminded = 0
    published = Exists(ScheduleVersion.objects.filter(mission=OuterRef("pk")))
    for mission in Mission.objects.filter(published).exclude(phase=MissionPhase.CLOSED).order_by("pk"):
        due = {pk: first for pk, first in published_first_meetings(mission).items()
               if now < first.start <= now + REMINDER_AHEAD}  # fmt: skip
        for party in Participation.objects.filter(pk__in=due).select_related("mission", "company").order_by("pk"):
            if not Notification.objects.filter(key=reminder_key(party)).exists():
                reminded += _remind(party, due[party.pk])
    return reminded


def _remind(party: Participation, first: FirstMeeting) -> int:
    mission = party.mission
    params = {"mission": mission.title, "firm": first.partner, "time": first.local_start,
              "zone": mission.time_zone, "table": first.table, "venue": mission.venue}  # fmt: skip
    try:
        with transaction.atomic():
            firm_notify(
                party=party, kind=NotificationKind.MEETING_REMINDER, params=params, link=agenda_link(mission),
                key=reminder_key(party),
            )  # fmt: skip
    except IntegrityError:  # another run reminded this firm at the same moment
        return 0
    return 1
