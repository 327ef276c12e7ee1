from collections import Counter

import pytest
from django.core.management import call_command

from accounts.enums import NotificationKind
from accounts.models import Notification
from events.demo_seed import DEMO_ACCEPTED, DEMO_MEETINGS, DEMO_MISSION_TITLE, DEMO_MUTUAL, DEMO_REQUESTS
from events.enums import MissionPhase, RequestSource, RequestStatus, ScheduleRunStatus
from events.models import Meeting, MeetingRequest, Mission, ScheduleRun
from matchmaking.enums import SuggestionStatus
from matchmaking.models import Suggestion


@pytest.mark.django_db
def test_seed_demo_builds_a_matched_and_scheduled_mission(capsys):
    call_command("seed_demo", "--allow-without-debug")
    mission = Mission.objects.get(title=DEMO_MISSION_TITLE)
    assert mission.participations.count() == 66
    assert Meeting.objects.filter(mission=mission).count() == DEMO_MEETINGS
    assert Meeting.objects.filter(mission=mission, slot__isnull=True).count() == 0
    assert ScheduleRun.objects.get(mission=mission).status == ScheduleRunStatus.SUCCEEDED
    assert mission.phase == MissionPhase.REQUESTS
    assert Suggestion.objects.filter(mission=mission).exclude(status=SuggestionStatus.APPROVED).count() == 0
    assert (
        f"Demo mission: {DEMO_MISSION_TITLE} ({DEMO_MEETINGS} meetings, {DEMO_MEETINGS} placed)."
        in capsys.readouterr().out
    )

    call_command("seed_demo", "--allow-without-debug")
    assert Mission.objects.filter(title=DEMO_MISSION_TITLE).count() == 1
    assert "kept as it was" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_meetings_come_the_product_way():
    """Mutual interest arranges meetings, firms send requests from suggestions (some accepted), and
    the organiser converts the best remaining suggestions into must-meet meetings; firms are told."""
    call_command("seed_demo", "--allow-without-debug")
    mission = Mission.objects.get(title=DEMO_MISSION_TITLE)

    made = Counter(
        (m.required, m.request.source if m.request else None) for m in Meeting.objects.filter(mission=mission)
    )
    assert made == {
        (False, RequestSource.SUGGESTION): DEMO_MUTUAL,
        (False, RequestSource.PARTICIPANT): DEMO_ACCEPTED,
        (True, None): DEMO_MEETINGS - DEMO_MUTUAL - DEMO_ACCEPTED,
    }
    sent = MeetingRequest.objects.filter(mission=mission, source=RequestSource.PARTICIPANT)
    assert Counter(sent.values_list("status", flat=True)) == {
        RequestStatus.ACCEPTED: DEMO_ACCEPTED, RequestStatus.PENDING: DEMO_REQUESTS - DEMO_ACCEPTED,
    }  # fmt: skip
    intros = ("Kizuna suggested our two firms to each other", "Kizunaのマッチングで貴社と弊社が互いに紹介されました")
    assert all(r.message.startswith(intros) for r in sent)
    kinds = Counter(Notification.objects.values_list("kind", flat=True))
    assert kinds[NotificationKind.MUTUAL_INTEREST] == 2 * DEMO_MUTUAL
    assert (kinds[NotificationKind.REQUEST_ACCEPTED], kinds[NotificationKind.ORGANISERS_CONVERTED] > 0) == (
        DEMO_ACCEPTED, True,
    )  # fmt: skip
