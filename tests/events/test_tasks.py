"""events.meeting_reminders with a real worker (threads) on Redis."""

import datetime as dt

import pytest
from django.utils import timezone

import events.tasks  # noqa: F401  (registers the tasks before the worker starts)
from accounts.enums import NotificationKind
from accounts.models import Notification
from events import services
from events.models import Slot
from tests.events.factories import MISSION_DATA, MeetingFactory, ParticipationFactory, mission_created
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.postgres]


def test_meeting_reminders_real_worker_once(organiser, celery_worker):
    today = timezone.localdate()
    data = {**MISSION_DATA, "days": [today, today + dt.timedelta(days=1)], "time_zone": "UTC",
            "sessions": [(dt.time(0, 0), dt.time(23, 59))], "meeting_minutes": 60, "break_minutes": 0}  # fmt: skip
    mission = mission_created(organiser, data)
    a, b = (ParticipationFactory(mission=mission, company=MembershipFactory().company) for _ in range(2))
    meeting = MeetingFactory(mission=mission, a=a, b=b)
    slot = Slot.objects.filter(mission=mission, start__gt=timezone.now()).order_by("start").first()  # < 1 h away
    services.meeting_move(meeting=meeting, slot=slot, table=mission.tables.first(), user=organiser)
    services.schedule_publish(mission=mission, user=organiser)

    first = events.tasks.meeting_reminders_task.delay().get(timeout=60)
    second = events.tasks.meeting_reminders_task.delay().get(timeout=60)

    assert (first, second, Notification.objects.filter(kind=NotificationKind.MEETING_REMINDER).count()) == (2, 0, 2)
