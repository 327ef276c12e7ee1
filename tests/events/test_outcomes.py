"""Meeting outcomes: the service, the agenda page form and the API endpoint (real rows)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from events import selectors, services
from events.enums import MeetingOutcomeChoice, MissionPhase
from events.models import MeetingOutcome
from tests.events.factories import MISSION_DATA, MeetingFactory, ParticipationFactory, mission_created, phase_set


@pytest.fixture
def held(mission, part_a, part_b, organiser, slots, tables):
    """A-B met in the first slot (6 October 2025, 09:00 Tokyo), long past."""
    phase_set(mission, MissionPhase.LIVE)
    meeting = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    return services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)


@pytest.fixture
def upcoming(organiser, company_a, company_b):
    """A-B meet on 13 May 2030 at 09:00 Tokyo, in a mission still to come."""
    data = dict(MISSION_DATA, days=[dt.date(2030, 5, 13)], sessions=[(dt.time(9, 0), dt.time(10, 0))])
    mission = mission_created(organiser, data, phase=MissionPhase.PUBLISHED)
    a = ParticipationFactory(mission=mission, company=company_a)
    b = ParticipationFactory(mission=mission, company=company_b)
    meeting = services.meeting_create(mission=mission, a=a, b=b, user=organiser)
    meeting = services.meeting_move(
        meeting=meeting, slot=mission.slots.order_by("start").first(), table=mission.tables.first(), user=organiser
    )
    return meeting


def _answers():
    return list(
        MeetingOutcome.objects.values_list("participation__company__name", "outcome", "note", "answered_by__email")
    )


# Service -----------------------------------------------------------------------------------------


def test_outcome_record_by_each_firm(held, member_a, member_b):
    first, created_a = services.meeting_outcome_record(
        meeting=held, user=member_a, outcome=MeetingOutcomeChoice.FOLLOW_UP, note="  Samples in June. "
    )
    _second, created_b = services.meeting_outcome_record(
        meeting=held, user=member_b, outcome=MeetingOutcomeChoice.NOT_RELEVANT
    )

    assert (created_a, created_b, first.participation_id) == (True, True, held.a_id)
    assert _answers() == [
        ("Alpha Cathodes GmbH", "follow_up", "Samples in June.", member_a.email),
        ("Beta Refining KK", "not_relevant", "", member_b.email),
    ]


def test_outcome_record_again_replaces_the_answer(held, member_a):
    services.meeting_outcome_record(meeting=held, user=member_a, outcome=MeetingOutcomeChoice.FOLLOW_UP, note="x")
    answer, created = services.meeting_outcome_record(meeting=held, user=member_a, outcome=MeetingOutcomeChoice.USEFUL)

    assert (created, answer.outcome) == (False, "useful")
    assert _answers() == [("Alpha Cathodes GmbH", "useful", "", member_a.email)]


@pytest.mark.parametrize("role", ["member_c", "organiser", "admin"])
def test_outcome_record_refused_to_others(held, roles, role):
    with pytest.raises(PermissionDenied) as exc:
        services.meeting_outcome_record(meeting=held, user=roles[role], outcome=MeetingOutcomeChoice.USEFUL)

    assert (str(exc.value), _answers()) == ("Only the two firms of a meeting can say how it went.", [])


def test_outcome_record_refused_before_the_slot_starts(upcoming, member_a):
    with pytest.raises(ValidationError) as exc:
        services.meeting_outcome_record(meeting=upcoming, user=member_a, outcome=MeetingOutcomeChoice.USEFUL)

    assert exc.value.message_dict == {
        "non_field_errors": ["You can say how the meeting went once it has started (2030-05-13 09:00 Asia/Tokyo)."]
    }
    assert _answers() == []


def test_outcome_record_refused_for_unplaced_and_cancelled_meetings(mission, part_a, part_c, member_a, held, organiser):
    unplaced = MeetingFactory(mission=mission, a=part_a, b=part_c)
    services.meeting_cancel(meeting=held, user=organiser, reason="Firm C withdrew.")
    held.refresh_from_db()

    messages = []
    for meeting in (unplaced, held):
        with pytest.raises(ValidationError) as exc:
            services.meeting_outcome_record(meeting=meeting, user=member_a, outcome=MeetingOutcomeChoice.USEFUL)
        messages.append(exc.value.message_dict)

    assert messages == [
        {"non_field_errors": ["This meeting has no time yet."]},
        {"non_field_errors": ["This meeting was cancelled."]},
    ]


def test_outcome_record_unknown_answer_and_long_note(held, member_a):
    errors = []
    for outcome, note in (("great", ""), (MeetingOutcomeChoice.USEFUL, "x" * 1001)):
        with pytest.raises(ValidationError) as exc:
            services.meeting_outcome_record(meeting=held, user=member_a, outcome=outcome, note=note)
        errors.append(exc.value.message_dict)

    assert errors == [
        {"outcome": ["Choose one of the answers."]},
        {"note": ["Keep the note under 1000 characters."]},
    ]


def test_outcome_questions_list_only_started_meetings(held, upcoming, part_a, member_a):
    services.meeting_outcome_record(meeting=held, user=member_a, outcome=MeetingOutcomeChoice.FOLLOW_UP, note="n")

    questions = selectors.meeting_outcome_questions(participation=part_a)
    later = selectors.meeting_outcome_questions(participation=upcoming.a, now=upcoming.slot.start)

    assert [(q.meeting.pk, q.partner.company.name, q.outcome, q.note) for q in questions] == [
        (held.pk, "Beta Refining KK", "follow_up", "n")
    ]
    assert [(q.meeting.pk, q.outcome) for q in later] == [(upcoming.pk, "")]
    assert selectors.meeting_outcome_questions(participation=upcoming.a) == []


# Agenda page -------------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_agenda_page_shows_the_outcome_form_in_both_languages(held, mission, member_a):
    url = f"/missions/{mission.pk}/me/agenda/"
    english = _client(member_a).get(url).content.decode()
    japanese = _client(member_a).get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    action = f'action="/missions/{mission.pk}/me/meetings/{held.pk}/outcome/"'
    for page in (english, japanese):
        assert action in page
        assert f'value="follow_up" required id="id_outcome_{held.pk}_outcome_0">' in page
    english_texts = ("How did your meetings go?", "Promising: we will follow up", "Save my answer")
    japanese_texts = ("商談はいかがでしたか？", "有望：今後も連絡を取ります", "回答を保存")
    assert [s for s in english_texts if s not in english] == []
    assert [s for s in japanese_texts if s not in japanese] == []


def test_agenda_page_post_saves_and_shows_the_answer(held, mission, member_a):
    client = _client(member_a)
    response = client.post(
        f"/missions/{mission.pk}/me/meetings/{held.pk}/outcome/", {"outcome": "useful", "note": "Nice people."}
    )
    page = client.get(response.url)

    assert (response.status_code, response.url) == (302, f"/missions/{mission.pk}/me/agenda/#outcome-{held.pk}")
    assert [str(m) for m in page.context["messages"]] == ["Thank you: your answer on this meeting is saved."]
    assert _answers() == [("Alpha Cathodes GmbH", "useful", "Nice people.", member_a.email)]
    ((question, form),) = page.context["outcome_forms"]
    assert (question.outcome, form.initial) == ("useful", {"outcome": "useful", "note": "Nice people."})
    assert "Change my answer" in page.content.decode()


def test_agenda_page_post_refusals_are_messages(held, upcoming, mission, member_a):
    client = _client(member_a)
    bad = client.post(f"/missions/{mission.pk}/me/meetings/{held.pk}/outcome/", {"outcome": "great"}, follow=True)
    early = client.post(
        f"/missions/{upcoming.mission_id}/me/meetings/{upcoming.pk}/outcome/", {"outcome": "useful"}, follow=True
    )

    assert [str(m) for m in bad.context["messages"]] == [
        "Select a valid choice. great is not one of the available choices."
    ]
    assert [str(m) for m in early.context["messages"]] == [
        "You can say how the meeting went once it has started (2030-05-13 09:00 Asia/Tokyo)."
    ]
    assert _answers() == []


def test_agenda_page_post_for_another_firms_meeting_is_404(mission, part_b, part_c, member_a, organiser, slots):
    other = MeetingFactory(mission=mission, a=part_b, b=part_c, slot=slots[1])

    response = _client(member_a).post(f"/missions/{mission.pk}/me/meetings/{other.pk}/outcome/", {"outcome": "useful"})

    assert (response.status_code, _answers()) == (404, [])


# API ---------------------------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_outcome_201_then_200(held, member_b, part_b, company_b):
    url = f"/api/v1/meetings/{held.pk}/outcome/"
    first = _api(member_b).post(url, {"outcome": "follow_up", "note": "Quote by Friday."}, format="json")
    again = _api(member_b).post(url, {"outcome": "not_relevant"}, format="json")

    answer = MeetingOutcome.objects.get()
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {
        "meeting": held.pk, "participation": part_b.pk, "firm": company_b.pk, "outcome": "not_relevant", "note": "",
        "answered_at": answer.answered_at.isoformat().replace("+00:00", "Z"),
    }  # fmt: skip


def test_api_outcome_field_errors_are_400(held, upcoming, member_a):
    bad = _api(member_a).post(f"/api/v1/meetings/{held.pk}/outcome/", {"note": "x" * 1001}, format="json")
    early = _api(member_a).post(f"/api/v1/meetings/{upcoming.pk}/outcome/", {"outcome": "useful"}, format="json")

    assert (bad.status_code, bad.json()) == (
        400,
        {"outcome": ["This field is required."], "note": ["Ensure this field has no more than 1000 characters."]},
    )
    assert (early.status_code, early.json()) == (
        400,
        {"non_field_errors": ["You can say how the meeting went once it has started (2030-05-13 09:00 Asia/Tokyo)."]},
    )


@pytest.mark.parametrize(("role", "status"), [("organiser", 403), ("admin", 403), ("member_c", 404)])
def test_api_outcome_others_are_refused(held, roles, role, status):
    response = _api(roles[role]).post(f"/api/v1/meetings/{held.pk}/outcome/", {"outcome": "useful"}, format="json")

    assert (response.status_code, _answers()) == (status, [])


def test_admin_lists_outcomes_with_their_note_read_only(held, member_a, admin_user):
    services.meeting_outcome_record(meeting=held, user=member_a, outcome=MeetingOutcomeChoice.USEFUL, note="Slow.")
    client = _client(admin_user)

    listing = client.get("/admin/events/meetingoutcome/")
    add = client.get("/admin/events/meetingoutcome/add/")

    assert [(o.outcome, o.note) for o in listing.context["cl"].result_list] == [("useful", "Slow.")]
    assert add.status_code == 403
