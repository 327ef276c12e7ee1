"""Mission phases: the table of what each phase allows, moving a mission with its effects, the
refusals that say why and when an action opens, and the pages and API that show them."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import dateformat, timezone
from rest_framework.test import APIClient

from accounts.enums import NotificationKind
from accounts.models import Notification
from events import phases, services
from events.enums import MissionAction, MissionPhase, RequestStatus
from events.models import Mission, PhaseChange, PhasePlan
from events.phase_guide import action_refusal, phase_guide, phase_move_effects
from tests.clients import web
from tests.events.factories import MISSION_DATA, phase_set

A, P = MissionAction, MissionPhase
TITLE = MISSION_DATA["title"]


def _errors(exc) -> dict:
    return exc.value.message_dict


def _kinds() -> list[tuple[str, str]]:
    rows = Notification.objects.select_related("recipient").order_by("recipient__email", "kind", "pk")
    return [(n.recipient.email, n.kind) for n in rows]


# The table (plain data) ----------------------------------------------------------------------------


def test_every_action_is_open_in_some_phase_and_belongs_to_one_role():
    assert sorted(phases.ALLOWED) == sorted(A.values)
    assert all(phases.ALLOWED[a] for a in A.values)
    assert sorted(phases.FIRM_ACTIONS + phases.ORGANISER_ACTIONS) == sorted(A.values)


@pytest.mark.parametrize(
    ("phase", "action", "opens", "closed_since"),
    [
        (P.REGISTRATION, A.SEND_REQUEST, P.REQUESTS, None),
        (P.SCHEDULING, A.SEND_REQUEST, None, P.SCHEDULING),
        (P.LIVE, A.ANSWER_REQUEST, None, P.LIVE),
        (P.DRAFT, A.JOIN, P.REGISTRATION, None),
        (P.REQUESTS, A.SEE_AGENDA, P.PUBLISHED, None),
    ],
)
def test_opens_in_and_closed_since(phase, action, opens, closed_since):
    assert (phases.opens_in(phase, action), phases.closed_since(phase, action)) == (opens, closed_since)


@pytest.mark.parametrize(
    ("phase", "published", "targets"),
    [
        (P.DRAFT, False, [P.REGISTRATION]),
        (P.REGISTRATION, False, [P.DRAFT, P.MATCHING, P.REQUESTS, P.SCHEDULING, P.CLOSED]),
        (P.REQUESTS, False, [P.MATCHING, P.SCHEDULING, P.CLOSED]),
        (P.SCHEDULING, False, [P.REQUESTS, P.CLOSED]),
        (P.SCHEDULING, True, [P.LIVE, P.CLOSED]),
        (P.PUBLISHED, True, [P.LIVE, P.CLOSED]),
        (P.LIVE, True, [P.CLOSED]),
        (P.CLOSED, True, []),
    ],
)
def test_moves(phase, published, targets):
    assert phases.moves(phase, published=published) == targets


def test_opened_and_closed_by_a_move():
    assert phases.opened_by(P.REQUESTS, P.SCHEDULING) == []
    assert phases.closed_by(P.REQUESTS, P.SCHEDULING) == [
        A.JOIN, A.SHOW_INTEREST, A.SEND_REQUEST, A.RUN_MATCHING
    ]  # fmt: skip


# Refusals ------------------------------------------------------------------------------------------


def test_refusal_names_the_planned_date(mission, organiser):
    phase_set(mission, P.REGISTRATION)
    soon = timezone.localdate() + dt.timedelta(days=10)
    services.phase_plan_set(mission=mission, user=organiser, plans={P.REQUESTS: soon})

    assert action_refusal(mission, A.SEND_REQUEST) == (
        "“Send meeting requests” is not open yet: it opens with the “Meeting requests” phase, planned for "
        f"{dateformat.format(soon, 'N j, Y')}."
    )


def test_refusal_says_when_it_closed(mission, organiser, part_a):
    mission = services.phase_move(mission=mission, user=organiser, to=P.SCHEDULING)
    today = timezone.localdate()

    assert action_refusal(mission, A.SEND_REQUEST) == (
        "“Send meeting requests” closed when the mission moved to the “Scheduling” phase on "
        f"{dateformat.format(today, 'N j, Y')}."
    )
    assert action_refusal(mission, A.ANSWER_REQUEST) is None


def test_refusal_in_japanese(mission):
    from django.utils import translation

    phase_set(mission, P.REGISTRATION)
    with translation.override("ja"):
        assert action_refusal(mission, A.SEND_REQUEST) == (
            "「面談リクエストを送る」はまだできません。「面談リクエスト」の段階から可能になります（日程は主催者からお知らせします）。"
        )


# Moving a mission ----------------------------------------------------------------------------------


def test_phase_move_records_the_change_and_tells_every_firm(mission, organiser, part_a, part_b, member_a, member_b):
    services.phase_move(mission=mission, user=organiser, to=P.SCHEDULING, expected=P.REQUESTS)

    mission.refresh_from_db()
    change = PhaseChange.objects.get(mission=mission)
    assert (mission.phase, change.from_phase, change.to_phase, change.by) == (
        P.SCHEDULING, P.REQUESTS, P.SCHEDULING, organiser
    )  # fmt: skip
    notes = list(Notification.objects.order_by("recipient__email"))
    assert [(n.recipient, n.kind, n.params, n.link) for n in notes] == [
        (user, NotificationKind.PHASE_CHANGED, {
            "mission": TITLE, "phase": "scheduling", "opened": [], "closed": ["join", "show_interest", "send_request"],
        }, f"/missions/{mission.pk}/") for user in (member_a, member_b)
    ]  # fmt: skip


def test_phase_move_twice_is_one_move(mission, organiser, part_a, member_a):
    services.phase_move(mission=mission, user=organiser, to=P.SCHEDULING)
    services.phase_move(mission=mission, user=organiser, to=P.SCHEDULING)

    assert (PhaseChange.objects.count(), Notification.objects.count()) == (1, 1)


def test_phase_move_refuses_a_stale_page(mission, organiser):
    with pytest.raises(ValidationError) as exc:
        services.phase_move(mission=mission, user=organiser, to=P.MATCHING, expected=P.REGISTRATION)

    assert _errors(exc) == {
        "phase": ["The mission moved to “Meeting requests” meanwhile; look at the page again before moving it."]
    }
    assert Mission.objects.get(pk=mission.pk).phase == P.REQUESTS


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        (P.REQUESTS, P.PUBLISHED,
         "A mission enters this phase when its schedule is published: publish it from the schedule."),
        (P.REQUESTS, P.LIVE, "A mission cannot move from “Meeting requests” to “Mission under way”."),
        (P.REQUESTS, "bogus", "Unknown phase."),
        (P.REGISTRATION, P.DRAFT,
         "Firms have joined this mission: it cannot go back to a draft they would no longer see."),
    ],
)  # fmt: skip
def test_phase_move_refusals(mission, organiser, part_a, start, to, message):
    phase_set(mission, start)

    with pytest.raises(ValidationError) as exc:
        services.phase_move(mission=mission, user=organiser, to=to)

    assert _errors(exc) == {"phase": [message]}


def test_phase_move_out_of_draft_needs_slots(organiser):
    too_short = [(dt.time(9, 0), dt.time(9, 10))]  # shorter than one 25-minute meeting: no slot
    mission = services.mission_create(user=organiser, data={**MISSION_DATA, "sessions": too_short})

    with pytest.raises(ValidationError) as exc:
        services.phase_move(mission=mission, user=organiser, to=P.REGISTRATION)

    assert _errors(exc) == {
        "phase": ["Give the mission days and sessions before opening registration: it has no meeting slots yet."]
    }


def test_phase_move_only_by_organisers(mission, member_a):
    with pytest.raises(PermissionDenied):
        services.phase_move(mission=mission, user=member_a, to=P.SCHEDULING)


def test_going_live_expires_pending_requests_and_tells_their_senders(
    mission, organiser, part_a, part_b, member_a, member_b
):
    request = services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)
    phase_set(mission, P.PUBLISHED)
    mission.versions.create(number=1, snapshot={})
    Notification.objects.all().delete()

    services.phase_move(mission=mission, user=organiser, to=P.LIVE)

    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert _kinds() == [
        (member_a.email, NotificationKind.PHASE_CHANGED), (member_a.email, NotificationKind.REQUEST_EXPIRED),
        (member_b.email, NotificationKind.PHASE_CHANGED),
    ]  # fmt: skip


def test_phase_move_effects_say_what_opens_closes_and_who_is_told(mission, part_a, part_b, member_a):
    services.meeting_request_create(mission=mission, requester=part_a, recipient=part_b, user=member_a)

    assert phase_move_effects(mission, P.SCHEDULING) == [
        "Closes: Join the mission.",
        "Closes: Say which suggested partners interest you.",
        "Closes: Send meeting requests.",
        "Closes: Run matching and review suggestions.",
        "1 pending request can still be answered until the mission is under way.",
        "All 2 participating firms are told by notification and e-mail.",
    ]


def test_publishing_enters_the_published_phase_without_a_second_message(
    mission, organiser, part_a, part_b, member_a, slots, tables
):
    meeting = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)

    services.schedule_publish(mission=mission, user=organiser)

    assert Mission.objects.get(pk=mission.pk).phase == P.PUBLISHED
    assert list(PhaseChange.objects.values_list("from_phase", "to_phase")) == [(P.REQUESTS, P.PUBLISHED)]
    assert Notification.objects.filter(kind=NotificationKind.PHASE_CHANGED).count() == 0


def test_phase_plan_set_keeps_phase_order(mission, organiser):
    day = dt.date(2027, 1, 10)
    services.phase_plan_set(mission=mission, user=organiser, plans={P.REGISTRATION: day, P.REQUESTS: day})

    with pytest.raises(ValidationError) as exc:
        services.phase_plan_set(mission=mission, user=organiser, plans={P.MATCHING: day - dt.timedelta(days=1)})
    services.phase_plan_set(mission=mission, user=organiser, plans={P.REGISTRATION: None})

    assert _errors(exc) == {"matching": ["Planned before “Registration”."]}
    assert list(PhasePlan.objects.values_list("phase", "starts_on")) == [(P.REQUESTS, day)]


# Services refuse outside their phases ---------------------------------------------------------------


def test_schedule_run_refused_before_requests(mission, organiser):
    phase_set(mission, P.REGISTRATION)

    with pytest.raises(ValidationError) as exc:
        services.schedule_run_start(mission=mission, user=organiser, enqueue=False)

    assert _errors(exc) == {"non_field_errors": [
        "“Compute the schedule” is not open yet: it opens with the “Meeting requests” phase; "
        "the organisers will announce the date."
    ]}  # fmt: skip


def test_firm_edits_close_after_scheduling_but_organisers_still_edit(mission, organiser, part_a, member_a):
    phase_set(mission, P.PUBLISHED)

    with pytest.raises(ValidationError):
        services.participation_update(participation=part_a, user=member_a, data={"max_meetings": 3})
    services.participation_update(participation=part_a, user=organiser, data={"max_meetings": 3})

    part_a.refresh_from_db()
    assert part_a.max_meetings == 3


def test_join_closed_after_requests(mission, member_a, company_a):
    phase_set(mission, P.SCHEDULING)

    with pytest.raises(ValidationError) as exc:
        services.participation_join(mission=mission, user=member_a, token=mission.invitation_token)

    assert _errors(exc) == {"non_field_errors": ["“Join the mission” is closed in the “Scheduling” phase."]}


# The guide, the pages and the API -----------------------------------------------------------------


def test_guide_for_a_firm_lists_its_open_actions_and_the_next_phase(mission, part_a, member_a):
    phase_set(mission, P.MATCHING)

    guide = phase_guide(mission=mission, user=member_a)

    assert (guide.role, [line.action for line in guide.now]) == (
        "participant", [A.EDIT_PARTICIPATION, A.SHOW_INTEREST]
    )  # fmt: skip
    assert (guide.next_phase.phase, guide.opening) == (
        P.REQUESTS, ["Send meeting requests", "Answer meeting requests", "Cancel a meeting"]
    )  # fmt: skip


def test_mission_page_shows_phase_and_what_the_firm_can_do(mission, part_a, member_a):
    html = web(member_a).get(f"/missions/{mission.pk}/").content.decode()

    assert '<li class="phase-current" aria-current="step">' in html
    assert f'<a href="/missions/{mission.pk}/me/requests/new/">Send meeting requests</a>' in html
    assert "Move to another phase" not in html


def test_mission_page_in_japanese(mission, part_a, member_a):
    html = web(member_a, "ja").get(f"/missions/{mission.pk}/").content.decode()

    assert "ミッションの進行状況" in html and "面談リクエストを送る" in html


def test_move_confirmation_page_lists_effects_then_post_moves(mission, organiser, part_a, member_a):
    client = web(organiser)

    page = client.get(f"/missions/{mission.pk}/phase/move/?to=scheduling")
    posted = client.post(f"/missions/{mission.pk}/phase/move/", {"to": "scheduling", "expected": "requests"})

    assert "Closes: Send meeting requests." in page.content.decode()
    assert (posted.status_code, posted["Location"]) == (302, f"/missions/{mission.pk}/")
    assert Mission.objects.get(pk=mission.pk).phase == P.SCHEDULING


def test_move_post_with_a_stale_page_changes_nothing(mission, organiser):
    response = web(organiser).post(
        f"/missions/{mission.pk}/phase/move/", {"to": "matching", "expected": "registration"}, follow=True
    )

    assert Mission.objects.get(pk=mission.pk).phase == P.REQUESTS
    assert [str(m) for m in response.context["messages"]] == [
        "The mission moved to “Meeting requests” meanwhile; look at the page again before moving it."
    ]


def test_phase_pages_only_for_organisers(mission, member_a):
    client = web(member_a)

    assert client.get(f"/missions/{mission.pk}/phase/").status_code == 403
    move = client.post(f"/missions/{mission.pk}/phase/move/", {"to": "closed", "expected": "requests"})
    assert move.status_code == 403
    assert (Mission.objects.get(pk=mission.pk).phase, PhaseChange.objects.count()) == (P.REQUESTS, 0)


def test_plan_form_error_is_shown(mission, organiser):
    response = web(organiser).post(
        f"/missions/{mission.pk}/phase/plan/", {"registration": "2027-01-10", "matching": "2027-01-01"}
    )

    assert response.context["plan_form"].errors == {"matching": ["Planned before “Registration”."]}


def test_request_page_outside_requests_phase_shows_why_and_no_form(mission, part_a, member_a):
    phase_set(mission, P.SCHEDULING)

    response = web(member_a).get(f"/missions/{mission.pk}/me/requests/new/")

    html = response.content.decode()
    assert response.context["refusal"] == action_refusal(mission, A.SEND_REQUEST)
    assert "Send request</button>" not in html and "Requests left" not in html and "?to=" not in html
    assert ">Request a meeting</a>" not in html


def test_join_page_when_registration_closed_has_no_button(mission, member_a, company_a):
    phase_set(mission, P.SCHEDULING)

    html = web(member_a).get(f"/missions/join/{mission.invitation_token}/").content.decode()

    assert "“Join the mission” is closed in the “Scheduling” phase." in html
    assert "Join with my company" not in html


def test_api_phase_for_a_firm_and_a_move_by_the_organiser(mission, organiser, part_a, member_a):
    firm, boss = APIClient(), APIClient()
    firm.force_authenticate(member_a)
    boss.force_authenticate(organiser)

    seen = firm.get(f"/api/v1/missions/{mission.pk}/phase/").json()
    refused = firm.post(f"/api/v1/missions/{mission.pk}/phase/", {"to": "scheduling"}, format="json")
    bad = boss.post(f"/api/v1/missions/{mission.pk}/phase/", {"to": "published"}, format="json")
    moved = boss.post(f"/api/v1/missions/{mission.pk}/phase/", {"to": "scheduling", "expected": "requests"},
                      format="json")  # fmt: skip

    send = next(a for a in seen["actions"] if a["action"] == "send_request")
    agenda = next(a for a in seen["actions"] if a["action"] == "see_agenda")
    assert (seen["phase"], seen["role"], seen["moves"], send["allowed"]) == ("requests", "participant", [], True)
    assert agenda["refusal"] == (
        "“See the published agenda” is not open yet: it opens with the “Schedule published” phase; "
        "the organisers will announce the date."
    )
    assert refused.status_code == 403
    assert (bad.status_code, bad.json()) == (400, {"phase": [
        "A mission enters this phase when its schedule is published: publish it from the schedule."
    ]})  # fmt: skip
    assert (moved.status_code, moved.json()["phase"], [m["to"] for m in moved.json()["moves"]]) == (
        200, "scheduling", ["requests", "closed"]
    )  # fmt: skip


def test_phase_changed_email_in_japanese(mission, organiser, part_a, member_a, django_capture_on_commit_callbacks):
    member_a.language = "ja"
    member_a.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.phase_move(mission=mission, user=organiser, to=P.SCHEDULING)

    (message,) = mail.outbox
    assert message.subject == f"{TITLE}：「スケジュール作成」の段階に進みました"
    assert message.body.split("\n\n")[1:3] == [
        f"主催者が {TITLE} を「スケジュール作成」の段階に進めました。",
        "できなくなったこと：\n- ミッションに参加する\n- おすすめパートナーへの関心を回答する\n- 面談リクエストを送る",
    ]


def test_schedule_page_before_requests_offers_no_compute_no_edit_no_publish(mission, organiser):
    phase_set(mission, P.REGISTRATION)

    response = web(organiser).get(f"/missions/{mission.pk}/schedule/")

    html = response.content.decode()
    assert response.context["refusals"]["compute_schedule"] == action_refusal(mission, A.COMPUTE_SCHEDULE)
    assert ">Compute</button>" not in html and 'draggable="true"' not in html
    assert "Review the changes and publish" not in html and ">New meeting</a>" not in html
    assert action_refusal(mission, A.COMPUTE_SCHEDULE) in html


def test_schedule_page_in_requests_offers_everything(mission, organiser):
    html = web(organiser).get(f"/missions/{mission.pk}/schedule/").content.decode()

    assert ">Compute</button>" in html and 'id="schedule-grid"' in html and "Review the changes and publish" in html
