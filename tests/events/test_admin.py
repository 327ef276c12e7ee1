"""The events admin: every list and the mission page load for a superuser, and nothing can be edited there."""

import pytest
from django.test import Client

from events import services
from events.models import ScheduleChange, ScheduleVersion
from tests.events.factories import DelegateFactory

MODELS = ["mission", "slot", "participation", "meetingrequest", "meeting", "scheduleversion", "schedulechange"]


@pytest.fixture
def published(mission, part_a, part_b, part_c, member_a, organiser, slots, tables):
    """A published schedule with one change after publishing, so every list has a row."""
    DelegateFactory(participation=part_a, name="Anna Example")
    services.meeting_request_create(
        mission=mission, requester=part_a, recipient=part_c, user=member_a, message="Hello", priority="high"
    )
    meeting = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    meeting = services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=meeting, slot=slots[1], table=tables[0], user=organiser)
    return meeting


@pytest.fixture
def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_admin_changelist_loads_for_superuser(published, admin_client, model):
    response = admin_client.get(f"/admin/events/{model}/")

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def test_admin_meeting_changelist_shows_slot_and_table(published, admin_client, slots):
    response = admin_client.get("/admin/events/meeting/", {"status__exact": "confirmed"})

    rows = [(m.pk, m.slot_id, m.table.name) for m in response.context["cl"].result_list]
    assert rows == [(published.pk, slots[1].pk, "T1")]


def test_admin_schedule_lists_hold_version_and_change(published, admin_client):
    versions = admin_client.get("/admin/events/scheduleversion/").context["cl"].result_list
    changes = admin_client.get("/admin/events/schedulechange/").context["cl"].result_list

    assert [v.number for v in versions] == [1]
    assert [(c.meeting_id, c.kind) for c in changes] == [(published.pk, "moved")]


def test_admin_mission_page_is_read_only_with_inlines(published, admin_client, mission):
    response = admin_client.get(f"/admin/events/mission/{mission.pk}/change/")
    body = response.content.decode()

    assert response.status_code == 200
    assert [type(i.opts).__name__ for i in response.context["inline_admin_formsets"]] == [
        "MissionDayInline", "SessionInline", "TableInline",
    ]  # fmt: skip
    assert 'name="_save"' not in body
    assert mission.invitation_token not in body


@pytest.mark.parametrize("model", MODELS)
def test_admin_add_is_forbidden(admin_client, model):
    assert admin_client.get(f"/admin/events/{model}/add/").status_code == 403


def test_admin_changelist_for_organiser_redirects_to_login(mission, organiser):
    client = Client()
    client.force_login(organiser)

    response = client.get("/admin/events/mission/")

    assert (response.status_code, response.url) == (302, "/admin/login/?next=/admin/events/mission/")


def test_admin_does_not_change_schedule_rows(published, admin_client, mission):
    version = ScheduleVersion.objects.get(mission=mission)

    response = admin_client.post(f"/admin/events/scheduleversion/{version.pk}/change/", {"number": 9})

    assert response.status_code == 403
    assert (ScheduleVersion.objects.get(pk=version.pk).number, ScheduleChange.objects.count()) == (1, 1)
