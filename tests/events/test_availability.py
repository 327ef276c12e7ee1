"""Delegates' availability: set by the firm (or the organisers), honoured by the schedule editor and
the scheduler, refused for firms when it leaves placed meetings without a delegate."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events import services
from events.enums import MissionPhase
from events.models import DelegateUnavailability, Meeting, Unavailability
from events.schedule_problem import mission_schedule_problem
from events.selectors_availability import delegate_unavailable_slots, participation_capacity_in
from tests.clients import api, web
from tests.events.factories import DelegateFactory, MeetingFactory, phase_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(part_a):
    """Alpha sends two delegates: Anna and Ken."""
    return [DelegateFactory(participation=part_a, name="Anna"), DelegateFactory(participation=part_a, name="Ken")]


def _away(participation):
    return delegate_unavailable_slots(participation)


def test_firm_sets_slots_a_delegate_cannot_attend(part_a, member_a, two, slots):
    anna, ken = two
    conflicts = services.delegate_availability_set(
        participation=part_a, user=member_a, unavailable={ken.pk: {slots[0].pk, slots[1].pk}}
    )
    assert conflicts == []
    assert _away(part_a) == {anna.pk: [], ken.pk: [slots[0].pk, slots[1].pk]}
    assert [participation_capacity_in(part_a, s) for s in slots[:3]] == [1, 1, 2]


def test_problem_gets_capacity_per_slot_and_unavailable_where_nobody_is_present(mission, part_a, member_a, two, slots):
    anna, ken = two
    services.delegate_availability_set(
        participation=part_a, user=member_a, unavailable={anna.pk: {slots[0].pk}, ken.pk: {slots[0].pk, slots[2].pk}}
    )
    [record] = [p for p in mission_schedule_problem(mission=mission).problem["participants"] if p["id"] == part_a.pk]
    assert record == {
        "id": part_a.pk, "capacity": 2, "unavailable": [slots[0].pk], "slot_capacity": {str(slots[2].pk): 1},
    }  # fmt: skip


def test_firm_change_that_strands_a_placed_meeting_is_refused_naming_it(
    mission, organiser, part_a, part_b, member_a, two, slots, tables
):
    anna, ken = two
    meeting = services.meeting_move(
        meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), slot=slots[0], table=tables[0], user=organiser
    )
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={anna.pk: {slots[0].pk}})
    with pytest.raises(ValidationError) as caught:
        services.delegate_availability_set(
            participation=part_a, user=member_a, unavailable={anna.pk: {slots[0].pk}, ken.pk: {slots[0].pk}}
        )
    assert caught.value.messages == [
        "Meetings are placed when too few of your delegates would be present; ask the organisers to move them first.",
        "Mon 6 Oct 09:00: meeting(s) with Beta Refining KK placed, 0 delegate(s) present.",
    ]
    assert _away(part_a) == {anna.pk: [slots[0].pk], ken.pk: []}
    assert Meeting.objects.get(pk=meeting.pk).slot_id == slots[0].pk


def test_organiser_change_is_saved_and_tells_what_is_now_in_conflict(
    mission, organiser, part_a, part_b, two, slots, tables
):
    anna, ken = two
    meeting = services.meeting_move(
        meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), slot=slots[0], table=tables[0], user=organiser
    )
    conflicts = services.delegate_availability_set(
        participation=part_a, user=organiser, unavailable={anna.pk: {slots[0].pk}, ken.pk: {slots[0].pk}}
    )
    assert [(c.slot.pk, [m.pk for m in c.meetings], c.present) for c in conflicts] == [(slots[0].pk, [meeting.pk], 0)]
    assert _away(part_a) == {anna.pk: [slots[0].pk], ken.pk: [slots[0].pk]}


def test_firms_cannot_change_it_once_the_schedule_is_published(mission, part_a, member_a, organiser, two, slots):
    phase_set(mission, MissionPhase.PUBLISHED)
    part_a.refresh_from_db()
    with pytest.raises(ValidationError):
        services.delegate_availability_set(participation=part_a, user=member_a, unavailable={two[0].pk: {slots[0].pk}})
    services.delegate_availability_set(participation=part_a, user=organiser, unavailable={two[0].pk: {slots[0].pk}})
    assert _away(part_a) == {two[0].pk: [slots[0].pk], two[1].pk: []}


def test_other_firms_cannot_set_it(part_a, member_b, two, slots):
    with pytest.raises(PermissionDenied):
        services.delegate_availability_set(participation=part_a, user=member_b, unavailable={})


def test_unknown_delegates_and_slots_are_field_errors(part_a, part_b, member_a, two):
    stranger = DelegateFactory(participation=part_b)
    with pytest.raises(ValidationError) as caught:
        services.delegate_availability_set(participation=part_a, user=member_a, unavailable={stranger.pk: {999999}})
    assert caught.value.message_dict == {"delegates": [f"Unknown delegates: {stranger.pk}.", "Unknown slots: 999999."]}
    assert DelegateUnavailability.objects.count() == 0


def test_delegates_kept_by_name_keep_their_unavailability(part_a, member_a, two, slots):
    anna, ken = two
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={ken.pk: {slots[3].pk}})
    services.delegates_set(
        participation=part_a, user=member_a,
        delegates=[{"name": "Ken", "email": "ken@alpha.example"}, {"name": "Mia"}],
    )  # fmt: skip
    names = dict(part_a.delegates.values_list("name", "pk"))
    assert names["Ken"] == ken.pk
    assert _away(part_a) == {ken.pk: [slots[3].pk], names["Mia"]: []}


def test_a_delegate_renamed_by_id_keeps_its_unavailability(part_a, member_a, two, slots):
    anna, ken = two
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={ken.pk: {slots[3].pk}})
    services.delegates_set(
        participation=part_a, user=member_a, delegates=[{"id": ken.pk, "name": "Kenji Sato"}, {"name": "Anna"}]
    )
    assert dict(part_a.delegates.values_list("pk", "name")) == {anna.pk: "Anna", ken.pk: "Kenji Sato"}
    assert _away(part_a) == {anna.pk: [], ken.pk: [slots[3].pk]}


def test_an_id_that_is_not_the_firms_delegate_is_a_row_error(part_a, part_b, member_a, two):
    stranger = DelegateFactory(participation=part_b, name="Ken")
    anna, ken = two
    with pytest.raises(ValidationError) as caught:
        services.delegates_set(participation=part_a, user=member_a, delegates=[
            {"id": stranger.pk, "name": "Ken"}, {"id": anna.pk, "name": "A"}, {"id": anna.pk, "name": "B"},
        ])  # fmt: skip
    assert caught.value.message_dict == {"delegates": [
        f"Row 1: {stranger.pk} is not one of this firm's delegates.",
        f"Row 3: delegate {anna.pk} is in the list twice.",
    ]}  # fmt: skip
    assert sorted(part_a.delegates.values_list("name", flat=True)) == ["Anna", "Ken"]


def test_renaming_on_the_page_keeps_the_delegate(mission, part_a, member_a, two, slots):
    anna, ken = two
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={ken.pk: {slots[3].pk}})
    page = web(member_a).get(f"/missions/{mission.pk}/me/")
    assert f'name="d-1-id" value="{ken.pk}"' in page.content.decode()
    response = web(member_a).post(f"/missions/{mission.pk}/me/", {
        "section": "delegates", "d-TOTAL_FORMS": "3", "d-INITIAL_FORMS": "2",
        "d-0-id": anna.pk, "d-0-name": "Anna", "d-0-DELETE": "on",
        "d-1-id": ken.pk, "d-1-name": "Kenji Sato", "d-2-name": "Mia",
    })  # fmt: skip
    assert response.status_code == 302
    assert sorted(part_a.delegates.values_list("pk", "name")) == sorted(
        [(ken.pk, "Kenji Sato"), (part_a.delegates.get(name="Mia").pk, "Mia")]
    )
    assert _away(part_a)[ken.pk] == [slots[3].pk]


def test_renaming_through_the_api_keeps_the_delegate(part_a, member_a, two, slots):
    anna, ken = two
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={ken.pk: {slots[3].pk}})
    response = api(member_a).put(f"/api/v1/participations/{part_a.pk}/delegates/", {
        "delegates": [{"id": ken.pk, "name": "Kenji Sato"}],
    }, format="json")  # fmt: skip
    assert response.status_code == 200, response.content
    assert [(d["id"], d["name"]) for d in response.json()["delegates"]] == [(ken.pk, "Kenji Sato")]
    assert _away(part_a) == {ken.pk: [slots[3].pk]}
    bad = api(member_a).put(f"/api/v1/participations/{part_a.pk}/delegates/", {
        "delegates": [{"id": anna.pk, "name": "Anna"}],
    }, format="json")  # fmt: skip
    assert bad.status_code == 400
    assert "is not one of this firm's delegates" in str(bad.json())


def test_removing_the_delegate_present_for_a_placed_meeting_is_refused(
    mission, organiser, part_a, part_b, member_a, two, slots, tables
):
    anna, ken = two
    services.meeting_move(
        meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), slot=slots[0], table=tables[0], user=organiser
    )
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={ken.pk: {slots[0].pk}})
    with pytest.raises(ValidationError) as caught:
        services.delegates_set(participation=part_a, user=member_a, delegates=[{"name": "Ken"}])
    assert caught.value.messages == [
        "Too few of these delegates are present when meetings are placed:",
        "Mon 6 Oct 09:00: meeting(s) with Beta Refining KK placed, 0 delegate(s) present.",
    ]
    assert sorted(part_a.delegates.values_list("name", flat=True)) == ["Anna", "Ken"]


# The schedule editor and the scheduler honour it --------------------------------------------------


def test_move_into_a_slot_without_a_delegate_present_is_refused(
    mission, organiser, part_a, part_b, member_a, two, slots, tables
):
    anna, ken = two
    services.delegate_availability_set(
        participation=part_a, user=member_a, unavailable={anna.pk: {slots[0].pk}, ken.pk: {slots[0].pk}}
    )
    with pytest.raises(ValidationError) as caught:
        services.meeting_move(
            meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), slot=slots[0], table=tables[0], user=organiser
        )
    assert caught.value.message_dict == {"slot": ["Alpha Cathodes GmbH has no delegate present at this time."]}


def test_second_meeting_refused_when_one_of_two_delegates_is_away(
    mission, organiser, part_a, part_b, part_c, member_a, two, slots, tables
):
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={two[1].pk: {slots[0].pk}})
    services.meeting_move(
        meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), slot=slots[0], table=tables[0], user=organiser
    )
    with pytest.raises(ValidationError) as caught:
        services.meeting_move(
            meeting=MeetingFactory(mission=mission, a=part_a, b=part_c), slot=slots[0], table=tables[1], user=organiser
        )
    assert caught.value.message_dict == {
        "slot": ["Alpha Cathodes GmbH already has 1 meeting(s) at this time and only 1 delegate(s) present then."]
    }
    services.meeting_move(
        meeting=Meeting.objects.get(a=part_a, b=part_c), slot=slots[1], table=tables[1], user=organiser
    )


def test_schedule_run_holds_a_firm_to_its_delegates_present(
    mission, organiser, part_a, part_b, part_c, member_a, two, slots
):
    """B and C are free only in the first slot; Alpha has two delegates but one is away then, so only
    one of its two meetings can be placed (two tables: without capacity per slot both would be)."""
    for other in (part_b, part_c):
        Unavailability.objects.bulk_create(Unavailability(participation=other, slot=s) for s in slots[1:])
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={two[1].pk: {slots[0].pk}})
    ab = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    ac = services.meeting_create(mission=mission, a=part_a, b=part_c, user=organiser)
    run = services.schedule_run_start(mission=mission, user=organiser, enqueue=False, time_limit=2)
    run = services.schedule_run_execute(run_id=run.pk)
    placed = dict(Meeting.objects.filter(pk__in=[ab.pk, ac.pk]).values_list("pk", "slot_id"))
    assert sorted(placed.values(), key=str) == sorted([slots[0].pk, None], key=str)
    assert [(row["kind"]) for row in run.unscheduled] == ["capacity"]
    assert run.stats["precheck"] == [
        {
            "kind": "over_seats", "meetings": [ab.pk, ac.pk], "participant": part_a.pk, "slot": None, "count": 2,
            "limit": 1, "message": f"{part_a.pk!r} has 2 meetings but only 1 seats in the slots they may use",
        }
    ]  # fmt: skip


# The page and the API -----------------------------------------------------------------------------


def test_page_lists_slots_in_mission_time_with_a_box_per_delegate(mission, part_a, member_a, two, slots):
    anna, ken = two
    services.delegate_availability_set(participation=part_a, user=member_a, unavailable={ken.pk: {slots[0].pk}})
    html = web(member_a).get(f"/missions/{mission.pk}/me/availability/").content.decode()
    assert html.count('type="checkbox" name="present-') == 2 * len(slots)
    assert f'name="present-{ken.pk}" value="{slots[0].pk}" aria-label' in html
    assert f'name="present-{anna.pk}" value="{slots[0].pk}" checked' in html
    assert "09:00–09:25" in html and "Asia/Tokyo" in html


def test_page_saves_unticked_boxes_as_unavailable(mission, part_a, member_a, two, slots):
    anna, ken = two
    present = {f"present-{anna.pk}": [s.pk for s in slots], f"present-{ken.pk}": [s.pk for s in slots[2:]]}
    response = web(member_a).post(f"/missions/{mission.pk}/me/availability/", present)
    assert response.status_code == 302
    assert _away(part_a) == {anna.pk: [], ken.pk: [slots[0].pk, slots[1].pk]}


def test_page_shows_a_refusal_and_writes_nothing(mission, organiser, part_a, part_b, member_a, two, slots, tables):
    services.meeting_move(
        meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), slot=slots[0], table=tables[0], user=organiser
    )
    response = web(member_a).post(f"/missions/{mission.pk}/me/availability/", {}, follow=True)
    html = response.content.decode()
    assert "ask the organisers to move them first" in html
    assert "Mon 6 Oct 09:00: meeting(s) with Beta Refining KK placed, 0 delegate(s) present." in html
    assert DelegateUnavailability.objects.count() == 0


def test_organiser_page_saves_and_lists_the_conflicts(mission, organiser, part_a, part_b, two, slots, tables):
    services.meeting_move(
        meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), slot=slots[0], table=tables[0], user=organiser
    )
    url = f"/missions/{mission.pk}/participants/{part_a.pk}/availability/"
    html = web(organiser).post(url, {}, follow=True).content.decode()
    assert "These meetings now have too few delegates present; move them:" in html
    assert "Mon 6 Oct 09:00: meeting(s) with Beta Refining KK placed, 0 delegate(s) present." in html
    assert DelegateUnavailability.objects.count() == 2 * len(slots)


def test_grid_marks_meetings_left_short_of_delegates_by_an_organisers_change(
    mission, organiser, part_a, part_b, part_c, two, slots, tables
):
    anna, ken = two
    first, second, elsewhere = (
        services.meeting_move(
            meeting=MeetingFactory(mission=mission, a=a, b=b), slot=slot, table=table, user=organiser
        )  # fmt: skip
        for a, b, slot, table in [
            (part_a, part_b, slots[0], tables[0]),
            (part_a, part_c, slots[0], tables[1]),
            (part_b, part_c, slots[1], tables[0]),
        ]  # fmt: skip
    )
    grid = web(organiser).get(f"/missions/{mission.pk}/schedule/").context["grid"]
    assert grid.short_count == 0
    # Ken is away in slot 0, where Alpha holds two meetings: one delegate present for two.
    services.delegate_availability_set(participation=part_a, user=organiser, unavailable={ken.pk: {slots[0].pk}})
    page = web(organiser).get(f"/missions/{mission.pk}/schedule/")
    grid = page.context["grid"]
    assert {m.id: m.short_of for m in grid.meetings.values()} == {
        first.pk: ["Alpha Cathodes"],
        second.pk: ["Alpha Cathodes"],
        elsewhere.pk: [],
    }
    html = page.content.decode()
    assert "2 meetings are placed where a firm has fewer delegates present than meetings" in html
    assert html.count('<span class="mtg-short">too few delegates: Alpha Cathodes</span>') == 2
    page_ja = web(organiser, "ja").get(f"/missions/{mission.pk}/schedule/").content.decode()
    assert "出席者不足: Alpha Cathodes" in page_ja
    panel = web(organiser).get(f"/missions/{mission.pk}/schedule/?meeting={first.pk}").content.decode()
    assert "Alpha Cathodes has fewer delegates present at this time than meetings placed" in panel


def test_pages_are_for_the_firm_and_its_organisers_only(mission, part_a, member_b, other_organiser, two):
    assert web(member_b).get(f"/missions/{mission.pk}/participants/{part_a.pk}/availability/").status_code == 403
    assert web(other_organiser).get(f"/missions/{mission.pk}/participants/{part_a.pk}/availability/").status_code == 403
    assert web(None).get(f"/missions/{mission.pk}/me/availability/").status_code == 302


def test_api_reads_and_replaces_the_delegates_unavailability(part_a, member_a, two, slots):
    anna, ken = two
    url = f"/api/v1/participations/{part_a.pk}/delegate-availability/"
    body = {"delegates": [{"delegate": ken.pk, "unavailable_slots": [slots[1].pk]}]}
    response = api(member_a).put(url, body, format="json")
    assert response.status_code == 200
    expected = {
        "delegates": [
            {"delegate": anna.pk, "name": "Anna", "unavailable_slots": []},
            {"delegate": ken.pk, "name": "Ken", "unavailable_slots": [slots[1].pk]},
        ],
        "conflicts": [],
    }
    assert response.json() == expected
    assert api(member_a).get(url).json() == expected


def test_api_refuses_a_firm_change_naming_the_meeting_and_tells_organisers(
    mission, organiser, part_a, part_b, member_a, member_b, two, slots, tables
):
    meeting = services.meeting_move(
        meeting=MeetingFactory(mission=mission, a=part_a, b=part_b), slot=slots[0], table=tables[0], user=organiser
    )
    url = f"/api/v1/participations/{part_a.pk}/delegate-availability/"
    body = {"delegates": [{"delegate": d.pk, "unavailable_slots": [slots[0].pk]} for d in two]}
    refused = api(member_a).put(url, body, format="json")
    assert (refused.status_code, refused.json()["delegates"][1]) == (
        400, "Mon 6 Oct 09:00: meeting(s) with Beta Refining KK placed, 0 delegate(s) present."
    )  # fmt: skip
    assert api(member_b).put(url, body, format="json").status_code == 404
    done = api(organiser).put(url, body, format="json")
    assert done.json()["conflicts"] == [{"slot": slots[0].pk, "meetings": [meeting.pk], "present": 0}]


def test_agenda_marks_times_without_a_delegate_as_unavailable(part_a, member_a, two, slots):
    from events.agenda import agenda_for

    services.delegate_availability_set(
        participation=part_a,
        user=member_a,
        unavailable={two[0].pk: {slots[0].pk}, two[1].pk: {slots[0].pk, slots[1].pk}},
    )
    first_day = agenda_for(participation=part_a, viewer_tz=None).days[0]
    assert [(f.slot_id, f.available) for f in first_day.free[:3]] == [
        (slots[0].pk, False), (slots[1].pk, True), (slots[2].pk, True)
    ]  # fmt: skip
