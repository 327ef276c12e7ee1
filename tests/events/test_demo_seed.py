import pytest
from django.core.management import call_command

from events.demo_seed import DEMO_MEETINGS, DEMO_MISSION_TITLE
from events.enums import MissionPhase, ScheduleRunStatus
from events.models import Meeting, Mission, ScheduleRun
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
