"""Meetings the organisers fix with a reason, and the pre-check shown before computing."""

import pytest
from django.core.exceptions import ValidationError

from events import services
from events.agenda import agenda_for
from events.models import Meeting, Unavailability
from tests.clients import api, web
from tests.events.factories import DelegateFactory, MeetingFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def ab(mission, organiser, part_a, part_b, slots, tables) -> Meeting:
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    return services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)


def _pin(meeting):
    return tuple(Meeting.objects.values_list("pinned", "pinned_reason").get(pk=meeting.pk))


def test_pin_keeps_its_reason_and_unpin_drops_it(organiser, ab):
    services.meeting_pin(meeting=ab, user=organiser, reason="  Ministry   slot ")
    assert _pin(ab) == (True, "Ministry slot")
    services.meeting_pin(meeting=ab, user=organiser)  # no reason given: kept
    assert _pin(ab) == (True, "Ministry slot")
    services.meeting_pin(meeting=ab, user=organiser, pinned=False)
    assert _pin(ab) == (False, "")


def test_pin_reason_too_long_is_refused(organiser, ab):
    with pytest.raises(ValidationError) as caught:
        services.meeting_pin(meeting=ab, user=organiser, reason="x" * 201)
    assert caught.value.message_dict == {"reason": ["Keep the reason under 200 characters."]}
    assert _pin(ab) == (False, "")


def test_cancel_drops_the_pin_and_its_reason(organiser, ab):
    services.meeting_pin(meeting=ab, user=organiser, reason="Ministry slot")
    services.meeting_cancel(meeting=ab, user=organiser, reason="Minister ill")
    assert _pin(ab) == (False, "")


def test_editor_pins_with_a_reason_shows_it_on_the_grid_and_undo_restores_the_old_one(mission, organiser, ab):
    client = web(organiser)
    url = f"/missions/{mission.pk}/schedule/"
    assert client.post(url + "pin/", {"meeting": ab.pk, "reason": "Ministry slot"}, **JSON).status_code == 200
    html = client.get(url).content.decode()
    assert '<span class="mtg-why">Ministry slot</span>' in html
    client.post(url + "pin/", {"meeting": ab.pk, "reason": "Site visit after"}, **JSON)
    assert _pin(ab) == (True, "Site visit after")
    client.post(url + "undo/", **JSON)
    assert _pin(ab) == (True, "Ministry slot")
    panel = client.get(url, {"meeting": ab.pk}).content.decode()
    assert "Fixed by the organisers:</strong> Ministry slot" in panel


def test_api_pins_with_a_reason_and_returns_it(organiser, ab):
    response = api(organiser).post(f"/api/v1/meetings/{ab.pk}/pin/", {"reason": "Ministry slot"}, format="json")
    assert (response.status_code, response.json()["pinned"], response.json()["pinned_reason"]) == (
        200, True, "Ministry slot"
    )  # fmt: skip


def test_firms_read_the_reason_on_their_agenda(mission, organiser, part_a, ab):
    services.meeting_pin(meeting=ab, user=organiser, reason="Ministry slot")
    services.schedule_publish(mission=mission, user=organiser)
    [day] = [d for d in agenda_for(participation=part_a, viewer_tz=None).days if d.entries]
    assert [e.fixed_reason for e in day.entries] == ["Ministry slot"]


# The pre-check ------------------------------------------------------------------------------------


@pytest.fixture
def stranded(mission, organiser, part_a, part_b, part_c, slots, tables):
    """A meeting fixed in the first slot, then Beta became unavailable there; Alpha and Gamma are
    never both available."""
    meeting = services.meeting_pin(
        meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), user=organiser, slot=slots[0], table=tables[0],
        reason="Ministry slot",
    )  # fmt: skip
    Unavailability.objects.create(participation=part_b, slot=slots[0])
    Unavailability.objects.bulk_create(Unavailability(participation=part_c, slot=s) for s in slots[1:])
    Unavailability.objects.create(participation=part_a, slot=slots[0])
    never = services.meeting_create(mission=mission, a=part_a, b=part_c, user=organiser)
    return meeting, never


def test_scheduling_page_shows_the_precheck_before_computing(mission, organiser, stranded):
    fixed, never = stranded
    html = web(organiser).get(f"/missions/{mission.pk}/schedule/").content.decode()
    panel = html[html.index('id="schedule-precheck"') : html.index("</section>", html.index('id="schedule-precheck"'))]
    assert "2 problems found with fixed meetings and availability." in panel
    assert "Fixed at Mon 6 Oct 09:00, when Alpha Cathodes GmbH is unavailable (no delegate present)." in panel
    assert f'#{fixed.pk} Alpha Cathodes GmbH – Beta Refining KK</a> <span class="muted">(fixed: Ministry slot)' in panel
    assert "Its two firms are never both available in a slot this meeting may use." in panel
    assert f"#{never.pk} Alpha Cathodes GmbH – Gamma Recycling SAS</a>" in panel
    assert html.index('id="schedule-precheck"') < html.index(f'action="/missions/{mission.pk}/schedule/compute/"')


def test_scheduling_page_says_when_the_precheck_finds_nothing(mission, organiser, ab):
    html = web(organiser).get(f"/missions/{mission.pk}/schedule/").content.decode()
    assert "No fixed meeting or unavailability rules out a meeting" in html


def test_precheck_page_in_japanese(mission, organiser, stranded):
    html = web(organiser, "ja").get(f"/missions/{mission.pk}/schedule/").content.decode()
    assert "計算の前に" in html


def test_api_precheck_matches_what_the_run_leaves_out(mission, organiser, stranded, member_a):
    fixed, never = stranded
    findings = api(organiser).get(f"/api/v1/missions/{mission.pk}/schedule-precheck/").json()
    assert [(f["kind"], f["meetings"]) for f in findings] == [("pinned", [fixed.pk]), ("no_common_slot", [never.pk])]
    assert api(member_a).get(f"/api/v1/missions/{mission.pk}/schedule-precheck/").status_code == 403
    services.meeting_pin(meeting=fixed, user=organiser, pinned=False)
    findings = api(organiser).get(f"/api/v1/missions/{mission.pk}/schedule-precheck/").json()
    run = services.schedule_run_start(mission=mission, user=organiser, enqueue=False, time_limit=2)
    run = services.schedule_run_execute(run_id=run.pk)
    assert [(row["id"], row["kind"]) for row in run.unscheduled] == [(never.pk, "no_common_slot")]
    assert run.stats["precheck"] == findings == [
        {
            "kind": "no_common_slot", "meetings": [never.pk], "participant": None, "slot": None, "count": 0,
            "limit": 0, "message": f"meeting {never.pk}: no common free slot: its participants are never all "
            "available in the mission",
        }
    ]  # fmt: skip


def test_computing_is_refused_while_a_fixed_meeting_breaks_a_rule(mission, organiser, stranded):
    fixed, never = stranded
    with pytest.raises(ValidationError) as caught:
        services.schedule_run_start(mission=mission, user=organiser, enqueue=False)
    assert caught.value.messages == [
        "Fixed meetings cannot stay where they are fixed; move or unpin them before computing:",
        "Fixed at Mon 6 Oct 09:00, when Alpha Cathodes GmbH is unavailable (no delegate present). "
        f"(#{fixed.pk} Alpha Cathodes GmbH – Beta Refining KK)",
    ]
    html = web(organiser).get(f"/missions/{mission.pk}/schedule/").content.decode()
    assert "Computing is refused while a fixed meeting breaks a rule where it stands" in html
    response = api(organiser).post(f"/api/v1/missions/{mission.pk}/schedule/", {"time_limit": 2}, format="json")
    assert response.status_code == 400


def test_precheck_names_fixed_meetings_beyond_the_delegates_present(mission, organiser, part_a, part_b, part_c,
                                                                    slots, tables):  # fmt: skip
    DelegateFactory(participation=part_a, name="Anna")
    ken = DelegateFactory(participation=part_a, name="Ken")
    for other, table in ((part_b, tables[0]), (part_c, tables[1])):
        services.meeting_pin(meeting=MeetingFactory(mission=mission, a=part_a, b=other), user=organiser,
                             slot=slots[0], table=table)  # fmt: skip
    services.delegate_availability_set(participation=part_a, user=organiser, unavailable={ken.pk: {slots[0].pk}})
    html = web(organiser).get(f"/missions/{mission.pk}/schedule/").content.decode()
    assert "2 meetings of Alpha Cathodes GmbH are fixed at Mon 6 Oct 09:00, when it has 1 delegate present." in html


def test_precheck_names_a_firm_unavailable_at_every_time(mission, organiser, part_a, part_c, slots):
    Unavailability.objects.bulk_create(Unavailability(participation=part_c, slot=s) for s in slots)
    services.meeting_create(mission=mission, a=part_a, b=part_c, user=organiser)
    html = web(organiser).get(f"/missions/{mission.pk}/schedule/").content.decode()
    assert "Gamma Recycling SAS is unavailable at every time of the mission." in html
