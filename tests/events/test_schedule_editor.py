"""The organiser's schedule editor: drops and panel forms call the meeting services (same refusals,
nothing changed on refusal), cells redrawn in place, undo, filters, display zone, permissions, and a
page built from the same number of queries whatever the mission's size."""

import json

import pytest
from django.test import Client

from events import services
from events.models import Meeting, Participation
from events.schedule_grid import short_name
from tests.clients import web
from tests.events.factories import MeetingFactory, brussels_mission
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def _url(mission, action: str = "") -> str:
    return f"/missions/{mission.pk}/schedule/{action + '/' if action else ''}"


def _key(slot, table) -> str:
    return f"{slot.pk}:{table.pk}"


def _where(*meetings: Meeting) -> list[tuple]:
    return [tuple(Meeting.objects.values_list("slot_id", "table_id", "pinned").get(pk=m.pk)) for m in meetings]


@pytest.fixture
def part_d(mission) -> Participation:
    return Participation.objects.create(mission=mission, company=CompanyFactory(name="Delta Cells KK", country="JP"))


@pytest.fixture
def ab(mission, organiser, part_a, part_b, slots, tables) -> Meeting:
    """Alpha meets Beta in the first slot at T1."""
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    return services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)


@pytest.fixture
def cd(mission, organiser, part_c, part_d, slots, tables) -> Meeting:
    """Gamma meets Delta in the second slot at T2."""
    meeting = MeetingFactory(mission=mission, a=part_c, b=part_d)
    return services.meeting_move(meeting=meeting, slot=slots[1], table=tables[1], user=organiser)


def _post(client: Client, mission, action: str, data: dict, query: str = "") -> tuple[int, dict]:
    response = client.post(_url(mission, action) + query, data, **JSON)
    return response.status_code, json.loads(response.content)


# Drops: move and swap ---------------------------------------------------------------------------


def test_drop_on_empty_cell_moves_and_redraws_both_cells(mission, organiser, ab, slots, tables):
    status, answer = _post(
        web(organiser), mission, "move", {"meeting": ab.pk, "slot": slots[3].pk, "table": tables[1].pk}
    )

    assert (status, answer["ok"], answer["message"]) == (200, True, "Meeting moved.")
    assert sorted(answer["cells"]) == sorted([_key(slots[0], tables[0]), _key(slots[3], tables[1])])
    assert f'data-meeting="{ab.pk}"' in answer["cells"][_key(slots[3], tables[1])]
    assert answer["cells"][_key(slots[0], tables[0])] == (
        f'<td class="cell is-empty" data-cell="{_key(slots[0], tables[0])}"></td>'
    )
    assert _where(ab) == [(slots[3].pk, tables[1].pk, False)]


def test_drop_on_meeting_swaps_them(mission, organiser, ab, cd, slots, tables):
    status, answer = _post(web(organiser), mission, "swap", {"meeting": ab.pk, "other": cd.pk})

    assert (status, answer["ok"], answer["message"]) == (200, True, "Meetings swapped.")
    assert _where(ab, cd) == [(slots[1].pk, tables[1].pk, False), (slots[0].pk, tables[0].pk, False)]
    assert sorted(answer["cells"]) == sorted([_key(slots[0], tables[0]), _key(slots[1], tables[1])])


def test_drop_of_unplaced_meeting_redraws_the_unplaced_list(mission, organiser, part_c, part_d, slots, tables):
    meeting = MeetingFactory(mission=mission, a=part_c, b=part_d)

    _, answer = _post(
        web(organiser), mission, "move", {"meeting": meeting.pk, "slot": slots[2].pk, "table": tables[0].pk}
    )

    assert list(answer["cells"]) == [_key(slots[2], tables[0])]
    assert 'id="schedule-unplaced"' in answer["unplaced"] and f'data-meeting="{meeting.pk}"' not in answer["unplaced"]


def test_refused_drop_firm_busy_gives_the_reason_and_changes_nothing(
    mission, organiser, ab, part_a, part_c, slots, tables
):
    second = MeetingFactory(mission=mission, a=part_a, b=part_c)
    client = web(organiser)

    status, answer = _post(client, mission, "move", {"meeting": second.pk, "slot": slots[0].pk, "table": tables[1].pk})

    assert (status, answer) == (409, {
        "ok": False, "message": "Alpha Cathodes GmbH already has 1 meeting(s) at this time and only 1 delegate(s).",
    })  # fmt: skip
    assert _where(ab, second) == [(slots[0].pk, tables[0].pk, False), (None, None, False)]
    assert 'id="schedule-undo"></div>' in client.get(_url(mission)).content.decode()


def test_refused_drop_table_taken_gives_the_reason(mission, organiser, ab, cd, slots, tables):
    status, answer = _post(
        web(organiser), mission, "move", {"meeting": cd.pk, "slot": slots[0].pk, "table": tables[0].pk}
    )

    assert (status, answer["message"]) == (
        409,
        "Table T1 is taken at this time by Alpha Cathodes GmbH and Beta Refining KK.",
    )
    assert _where(cd) == [(slots[1].pk, tables[1].pk, False)]


def test_refused_swap_of_pinned_meeting(mission, organiser, ab, cd):
    services.meeting_pin(meeting=ab, user=organiser)

    status, answer = _post(web(organiser), mission, "swap", {"meeting": cd.pk, "other": ab.pk})

    assert (status, answer["message"]) == (409, "This meeting is pinned to its slot; unpin it first.")


def test_drop_with_a_stale_meeting_is_a_clear_400(mission, organiser, slots, tables):
    status, answer = _post(
        web(organiser), mission, "move", {"meeting": 999999, "slot": slots[0].pk, "table": tables[0].pk}
    )

    assert (status, answer) == (
        400,
        {"ok": False, "message": "This meeting is not in this mission any more; reload the page."},
    )


# Without JavaScript: the same URLs, a redirect that keeps the view --------------------------------


def test_panel_form_moves_and_comes_back_to_the_same_view(mission, organiser, ab, slots, tables):
    query = f"?day=2025-10-07&firm={ab.a_id}"

    response = web(organiser).post(
        _url(mission, "move") + query, {"meeting": ab.pk, "slot": slots[5].pk, "table": tables[0].pk}, follow=True
    )

    assert response.redirect_chain == [(f"{_url(mission)}?firm={ab.a_id}&day=2025-10-07", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Meeting moved."]
    assert _where(ab) == [(slots[5].pk, tables[0].pk, False)]


def test_panel_lists_slots_in_mission_time_and_every_action(mission, organiser, ab, cd):
    html = web(organiser).get(_url(mission) + f"?meeting={ab.pk}").content.decode()

    assert f'<option value="{ab.slot_id}" selected>Mon 6 Oct 09:00–09:25</option>' in html
    assert "UTC" not in html.split('id="schedule-panel"')[1].split("</section>")[0]
    for action in ("move", "swap", "pin", "unplace"):
        assert f'action="{_url(mission, action)}?"' in html
    assert f'<option value="{cd.pk}">T2 · Gamma Recycling – Delta Cells</option>' in html


def test_panel_alone_for_the_script(mission, organiser, ab):
    response = web(organiser).get(_url(mission) + f"?meeting={ab.pk}", HTTP_X_SCHEDULE_PANEL="1")

    assert response.content.decode().startswith('<section id="schedule-panel"')


# Undo -------------------------------------------------------------------------------------------


def test_undo_puts_a_moved_meeting_back(mission, organiser, ab, slots, tables):
    client = web(organiser)
    _post(client, mission, "move", {"meeting": ab.pk, "slot": slots[4].pk, "table": tables[1].pk})

    status, answer = _post(client, mission, "undo", {})

    assert (status, answer["message"]) == (200, "Last change undone.")
    assert _where(ab) == [(slots[0].pk, tables[0].pk, False)]
    assert answer["undo"] == '<div id="schedule-undo"></div>'


def test_undo_swaps_back(mission, organiser, ab, cd, slots, tables):
    client = web(organiser)
    _post(client, mission, "swap", {"meeting": ab.pk, "other": cd.pk})

    _post(client, mission, "undo", {})

    assert _where(ab, cd) == [(slots[0].pk, tables[0].pk, False), (slots[1].pk, tables[1].pk, False)]


def test_undo_of_a_first_placement_unplaces(mission, organiser, part_c, part_d, slots, tables):
    meeting = MeetingFactory(mission=mission, a=part_c, b=part_d)
    client = web(organiser)
    _post(client, mission, "move", {"meeting": meeting.pk, "slot": slots[2].pk, "table": tables[0].pk})

    _, answer = _post(client, mission, "undo", {})

    assert _where(meeting) == [(None, None, False)]
    assert f'data-meeting="{meeting.pk}"' in answer["unplaced"]


def test_undo_of_a_pin_unpins(mission, organiser, ab):
    client = web(organiser)
    _post(client, mission, "pin", {"meeting": ab.pk})

    _post(client, mission, "undo", {})

    assert _where(ab)[0][2] is False


def test_undo_is_checked_by_the_services(mission, organiser, ab, part_c, part_d, slots, tables):
    """The old place was taken meanwhile: the undo is refused with the reason and changes nothing."""
    client = web(organiser)
    _post(client, mission, "move", {"meeting": ab.pk, "slot": slots[4].pk, "table": tables[1].pk})
    services.meeting_move(meeting=MeetingFactory(mission=mission, a=part_c, b=part_d), slot=slots[0],
                          table=tables[0], user=organiser)  # fmt: skip

    status, answer = _post(client, mission, "undo", {})

    assert (status, answer["message"]) == (
        409,
        "Table T1 is taken at this time by Gamma Recycling SAS and Delta Cells KK.",
    )
    assert _where(ab) == [(slots[4].pk, tables[1].pk, False)]


def test_undo_with_nothing_to_undo(mission, organiser, ab):
    client = web(organiser)
    _post(client, mission, "move", {"meeting": ab.pk, "slot": ab.slot_id, "table": ab.table_id})
    _post(client, mission, "undo", {})

    assert _post(client, mission, "undo", {}) == (409, {"ok": False, "message": "There is no change to undo."})


def test_undo_button_without_javascript(mission, organiser, ab, slots, tables):
    client = web(organiser)
    client.post(_url(mission, "move"), {"meeting": ab.pk, "slot": slots[4].pk, "table": tables[1].pk})

    page = client.get(_url(mission)).content.decode()
    response = client.post(_url(mission, "undo"), follow=True)

    assert f'<form method="post" action="{_url(mission, "undo")}?"' in page
    assert [str(m) for m in response.context["messages"]] == ["Last change undone."]
    assert _where(ab) == [(slots[0].pk, tables[0].pk, False)]


# Filters and display zone -----------------------------------------------------------------------


def _grid(user, mission, query: str = ""):
    return web(user).get(_url(mission) + query).context["grid"]


def test_filter_by_table_shows_its_column_only(mission, organiser, ab, tables):
    grid = _grid(organiser, mission, f"?table={tables[1].pk}")

    assert [c.name for c in grid.columns] == ["T2"]


def test_filter_by_day_shows_its_slots_only(mission, organiser, ab, slots):
    grid = _grid(organiser, mission, "?day=2025-10-07")

    assert [row.slot_id for day in grid.days for row in day.rows] == [s.pk for s in slots[5:]]


def test_filter_by_firm_highlights_its_meetings_and_dims_the_rest(mission, organiser, ab, cd, part_c):
    grid = _grid(organiser, mission, f"?firm={part_c.pk}")

    assert {m.id: m.tone for m in grid.meetings.values()} == {ab.pk: "dim", cd.pk: "hi"}


def test_filters_with_bad_values_are_said_and_left_out(mission, organiser, ab):
    response = web(organiser).get(_url(mission) + "?day=someday&tz=Mars/Olympus&table=abc")

    assert response.context["grid"].filters.day is None and response.context["grid"].zone == "Asia/Tokyo"
    assert "“Mars/Olympus” is not an IANA time zone such as Europe/Brussels." in response.content.decode()


def test_times_in_mission_time_by_default(mission, organiser, ab):
    grid = _grid(organiser, mission)

    assert (grid.zone, [row.clock for row in grid.days[0].rows]) == (
        "Asia/Tokyo", ["09:00–09:25", "09:30–09:55", "10:00–10:25", "14:00–14:25", "14:30–14:55"],
    )  # fmt: skip


def test_times_in_another_zone_on_request(mission, organiser, ab):
    grid = _grid(organiser, mission, "?tz=Europe/Paris")

    first = grid.days[0].rows[0]
    assert (grid.zone, first.clock, first.date_label, grid.slot_choices[0].label) == (
        "Europe/Paris", "02:00–02:25", "", "Mon 6 Oct 02:00–02:25",
    )  # fmt: skip


def test_page_in_japanese_uses_japanese_names(mission, organiser, part_b, ab):
    part_b.company.name_ja = "ベータ精錬株式会社"
    part_b.company.save()

    html = web(organiser, "ja").get(_url(mission)).content.decode()

    assert '<span class="mtg-b">ベータ精錬</span>' in html


def test_mission_without_tables_has_one_no_table_column(organiser, company_a, company_b):
    a, _b = brussels_mission(organiser, company_a, company_b)
    mission, meeting = a.mission, Meeting.objects.get(mission=a.mission)
    second = mission.slots.order_by("start")[1]

    status, answer = _post(web(organiser), mission, "move", {"meeting": meeting.pk, "slot": second.pk, "table": ""})

    assert (status, sorted(answer["cells"])) == (200, sorted([f"{meeting.slot_id}:", f"{second.pk}:"]))
    assert [(c.id, c.name) for c in _grid(organiser, mission).columns] == [(None, "")]
    assert _where(meeting) == [(second.pk, None, False)]


def test_drop_on_a_removed_slot_is_refused(mission, organiser, ab, slots, tables):
    services.slot_set_removed(slot=slots[4], removed=True, user=organiser)

    status, answer = _post(
        web(organiser), mission, "move", {"meeting": ab.pk, "slot": slots[4].pk, "table": tables[0].pk}
    )

    assert (status, answer["message"]) == (409, "This slot was removed from the schedule.")


# Hooks, permissions, queries --------------------------------------------------------------------


def test_page_carries_the_editor_hooks(mission, organiser, ab, slots, tables):
    html = web(organiser).get(_url(mission)).content.decode()

    for hook in ('id="schedule-grid"', 'id="schedule-status"', 'id="schedule-undo"', 'id="schedule-unplaced"',
                 f'<td class="cell" data-cell="{_key(slots[0], tables[0])}"><a class="mtg" href="?meeting={ab.pk}'
                 f'#schedule-panel" data-meeting="{ab.pk}" draggable="true" '):  # fmt: skip
        assert hook in html


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member_a", 403), ("other_organiser", 403), ("organiser", 200), ("admin", 200)],
)
@pytest.mark.parametrize("action", ["move", "undo"])
def test_edits_only_by_the_mission_organisers_and_staff(mission, roles, ab, slots, tables, role, status, action):
    client = web(roles[role])
    client.post(_url(mission, "move"), {"meeting": ab.pk, "slot": slots[4].pk, "table": tables[0].pk})

    response = client.post(
        _url(mission, action), {"meeting": ab.pk, "slot": slots[3].pk, "table": tables[1].pk}, **JSON
    )

    assert response.status_code == status
    moved = {"move": (slots[3].pk, tables[1].pk, False), "undo": (slots[0].pk, tables[0].pk, False)}[action]
    assert _where(ab) == [moved if status == 200 else (slots[0].pk, tables[0].pk, False)]


def _fill(mission, slots, tables, firms: int) -> None:
    """`firms` × `firms` meetings: EU firm e meets JP firm j in slot (e + j) at table e, or unplaced past the grid."""
    eu = [Participation.objects.create(mission=mission, company=CompanyFactory(country="DE")) for _ in range(firms)]
    jp = [Participation.objects.create(mission=mission, company=CompanyFactory(country="JP")) for _ in range(firms)]
    Meeting.objects.bulk_create(
        Meeting(mission=mission, a=eu[e], b=jp[j], slot=slots[(e + j) % len(slots)] if e < len(tables) else None,
                table=tables[e] if e < len(tables) else None, pinned=j == 0 and e < len(tables))
        for e in range(firms) for j in range(firms)
    )  # fmt: skip


QUERY_BOUND = (
    22  # session, user, mission and its organisers, refusals' dates, grid (4), run, snapshot, versions, changes
    + 8  # the pre-check's problem: tables, meetings and their allowed slots, slots, unavailability, hosts,
    # delegates away, participations
    + 3  # the names in its findings: meetings, firms, slots
)


@pytest.mark.parametrize("firms", [1, 8])
@pytest.mark.parametrize("query", ["", "?firm=1&tz=Europe/Paris", "?meeting=1"])
def test_page_queries_do_not_grow_with_the_mission(
    mission, organiser, slots, tables, django_assert_max_num_queries, firms, query
):
    _fill(mission, slots, tables, firms)
    client = web(organiser)
    query = query.replace("meeting=1", f"meeting={Meeting.objects.filter(mission=mission).first().pk}")

    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.get(_url(mission) + query)

    assert (response.status_code, len(response.context["grid"].meetings)) == (200, firms * firms)


def test_short_names_drop_legal_forms():
    names = ["Alpha Cathodes GmbH", "Beta Refining KK", "Delta Cells K.K.", "Nippon Lithium Co., Ltd.",
             "株式会社ベータ", "Gamma Recycling SAS", "A very long company name that goes on", "GmbH"]  # fmt: skip

    assert [short_name(n) for n in names] == [
        "Alpha Cathodes", "Beta Refining", "Delta Cells", "Nippon Lithium", "ベータ", "Gamma Recycling",
        "A very long company n…", "GmbH",
    ]  # fmt: skip
