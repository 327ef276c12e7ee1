"""From suggestion to meeting: mutual interest by phase, and the organisers' bulk conversion."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.enums import NotificationKind
from accounts.models import Notification
from accounts.notifications import notification_email_render, notification_title
from events.enums import MeetingStatus, MissionPhase, Priority, RequestSource, RequestStatus
from events.models import Meeting, MeetingRequest, Participation
from matchmaking import services
from matchmaking.conversion_selectors import conversion_preview
from matchmaking.enums import DecisionAction, SuggestionStatus
from matchmaking.models import Reason, Suggestion
from matchmaking.services.conversion import suggestions_convert
from tests.events.factories import MeetingFactory, MeetingRequestFactory, ParticipationFactory, phase_set
from tests.factories import CompanyFactory, MembershipFactory


def _suggestion(mission, eu, jp, score=80.0, **fields) -> Suggestion:
    return Suggestion.objects.create(
        mission=mission, scope=mission.pk, eu_company=eu, jp_company=jp, score=score,
        status=SuggestionStatus.APPROVED, **fields,
    )  # fmt: skip


def _both_say_yes(suggestion, first, second) -> Suggestion:
    services.suggestion_respond(suggestion=suggestion, user=first, interested=True)
    return services.suggestion_respond(suggestion=suggestion, user=second, interested=True)


def _told(kind) -> list[tuple[str, dict, str]]:
    rows = Notification.objects.filter(kind=kind).select_related("recipient").order_by("recipient__email")
    return [(n.recipient.email, n.params, n.link) for n in rows]


@pytest.fixture
def pair(mission, company_a, company_b):
    return _suggestion(mission, company_a, company_b)


# --- Mutual interest -----------------------------------------------------------------------------


@pytest.mark.parametrize("phase", [MissionPhase.MATCHING, MissionPhase.REQUESTS])
def test_mutual_interest_arranges_the_meeting_while_firms_answer(phase, mission, pair, member_a, member_b):
    phase_set(mission, phase)

    done = _both_say_yes(pair, member_b, member_a)

    request = MeetingRequest.objects.get()
    meeting = Meeting.objects.get()
    assert (request.requester.company_id, request.recipient.company_id, request.status, request.source) == (
        pair.jp_company_id, pair.eu_company_id, RequestStatus.ACCEPTED, RequestSource.SUGGESTION,
    )  # fmt: skip
    assert (request.priority, request.response_priority) == (Priority.HIGH, Priority.HIGH)
    assert (meeting.request, meeting.weight, meeting.status, meeting.required) == (request, 6, "confirmed", False)
    assert done.meeting_request == request
    assert list(done.decisions.values_list("action", flat=True)) == [
        "interested", "interested", DecisionAction.MEETING_ARRANGED,
    ]  # fmt: skip
    link = reverse("events:my_requests", args=[mission.pk])
    assert _told(NotificationKind.MUTUAL_INTEREST) == [
        (member_a.email, {"mission": mission.title, "firm": "Beta Refining KK", "outcome": "meeting", "limit_firm": ""},
         link),
        (member_b.email, {"mission": mission.title, "firm": "Alpha Cathodes GmbH", "outcome": "meeting",
                          "limit_firm": ""}, link),
    ]  # fmt: skip
    assert _told(NotificationKind.REQUEST_RECEIVED) == []


def test_mutual_interest_at_a_meeting_limit_keeps_a_pending_request(mission, pair, member_a, member_b, company_a):
    mission.max_meetings_per_firm = 1
    mission.save()
    part_a = Participation.objects.get(mission=mission, company=company_a)
    MeetingFactory(mission=mission, a=part_a, b=ParticipationFactory(mission=mission))

    _both_say_yes(pair, member_a, member_b)

    request = MeetingRequest.objects.get()
    assert (request.status, request.requester, Meeting.objects.count()) == (RequestStatus.PENDING, part_a, 1)
    assert [params["outcome"] for _e, params, _l in _told(NotificationKind.MUTUAL_INTEREST)] == ["pending", "pending"]
    assert {params["limit_firm"] for _e, params, _l in _told(NotificationKind.MUTUAL_INTEREST)} == {
        "Alpha Cathodes GmbH"
    }
    assert pair.decisions.filter(action=DecisionAction.MEETING_REQUESTED).count() == 1


def test_mutual_interest_accepts_a_pending_request_between_the_pair(mission, pair, member_a, member_b, company_a):
    part_a = Participation.objects.get(mission=mission, company=company_a)
    part_b = Participation.objects.get(mission=mission, company=pair.jp_company)
    pending = MeetingRequestFactory(mission=mission, requester=part_b, recipient=part_a, priority=Priority.LOW)

    _both_say_yes(pair, member_a, member_b)

    pending.refresh_from_db()
    assert (MeetingRequest.objects.count(), pending.status, Meeting.objects.get().request) == (
        1, RequestStatus.ACCEPTED, pending,
    )  # fmt: skip


def test_mutual_interest_in_scheduling_is_left_to_the_organisers_once(mission, pair, member_a, member_b, organiser):
    phase_set(mission, MissionPhase.SCHEDULING)

    done = _both_say_yes(pair, member_a, member_b)
    services.suggestion_respond(suggestion=done, user=member_a, interested=True)  # answering again

    assert (MeetingRequest.objects.count(), Meeting.objects.count(), done.meeting_request) == (0, 0, None)
    assert list(done.decisions.values_list("action", flat=True)) == [
        "interested", "interested", DecisionAction.REFERRED, "interested",
    ]  # fmt: skip
    suggestions_link = reverse("matchmaking:my_suggestions")
    assert [(e, p["outcome"], link) for e, p, link in _told(NotificationKind.MUTUAL_INTEREST)] == [
        (member_a.email, "organisers", suggestions_link), (member_b.email, "organisers", suggestions_link),
    ]  # fmt: skip
    assert _told(NotificationKind.MUTUAL_INTEREST_REFERRED) == [(
        organiser.email, {"mission": mission.title, "eu": "Alpha Cathodes GmbH", "jp": "Beta Refining KK"},
        reverse("events:convert_suggestions", args=[mission.pk]) + "?source=mutual",
    )]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ja"])
def test_mutual_interest_notification_reads_in_both_languages(language, mission, pair, member_a, member_b):
    member_a.language = language
    member_a.save()
    _both_say_yes(pair, member_a, member_b)
    notification = Notification.objects.get(kind=NotificationKind.MUTUAL_INTEREST, recipient=member_a)

    subject, body = notification_email_render(notification)

    expected = {
        "en": (f"{mission.title}: you and Beta Refining KK are both interested", "A meeting is arranged"),
        "ja": (f"{mission.title}：貴社と Beta Refining KK の双方が関心を示しました", "面談が手配されました"),
    }[language]
    assert (subject, expected[1] in body) == (expected[0], True)


# --- Bulk conversion -----------------------------------------------------------------------------


@pytest.fixture
def firms(mission, company_a, company_b):
    """Alpha and Gamma (EU), Beta and Delta (JP) in the mission, each with a member; Omega (JP) outside it."""
    gamma = CompanyFactory(name="Gamma Anodes SA", country="FR")
    delta = CompanyFactory(name="Delta Graphite KK", country="JP")
    omega = CompanyFactory(name="Omega Salt KK", country="JP")
    for company in (gamma, delta):
        ParticipationFactory(mission=mission, company=company)
        MembershipFactory(company=company, user__email=f"member@{company.name.split()[0].lower()}.test")
    return {"alpha": company_a, "beta": company_b, "gamma": gamma, "delta": delta, "omega": omega}


@pytest.fixture
def suggestions(mission, firms):
    reason = Reason.objects.create(
        en="They offer what you seek (graphite)", ja="相手はあなたが求めるものを提供します（黒鉛）"
    )
    f = firms
    return {
        "ab": _suggestion(mission, f["alpha"], f["beta"], 90.0, reasons_jp=[reason.pk]),
        "ad": _suggestion(mission, f["alpha"], f["delta"], 70.0, rank_eu=2, rank_jp=1),
        "gb": _suggestion(mission, f["gamma"], f["beta"], 60.0),
        "gd": _suggestion(mission, f["gamma"], f["delta"], 40.0),
        "go": _suggestion(mission, f["gamma"], f["omega"], 95.0),
    }


def _preview(mission, **choices):
    return conversion_preview(
        mission=mission, **{"source": "approved", "target": "meetings", "min_score": 50, **choices}
    )


def test_preview_counts_and_left_out(mission, suggestions):
    mission.max_meetings_per_firm = 1
    mission.save()

    preview = _preview(mission)

    assert [(p.first, p.second) for p in preview.pairs] == [("Alpha Cathodes GmbH", "Beta Refining KK")]
    assert [(x.eu, x.jp, x.code, x.reason) for x in preview.left_out] == [
        ("Gamma Anodes SA", "Omega Salt KK", "not_in_mission", "Omega Salt KK does not take part in the mission."),
        ("Alpha Cathodes GmbH", "Delta Graphite KK", "over_quota", "Alpha Cathodes GmbH would go over its limit."),
        ("Gamma Anodes SA", "Beta Refining KK", "over_quota", "Beta Refining KK would go over its limit."),
    ]
    assert [(f.name, f.used, f.added, f.after, f.limit) for f in preview.firms] == [
        ("Alpha Cathodes GmbH", 0, 1, 1, 1), ("Beta Refining KK", 0, 1, 1, 1),
        ("Delta Graphite KK", 0, 0, 0, 1), ("Gamma Anodes SA", 0, 0, 0, 1),
    ]  # fmt: skip
    assert preview.total == 1


def test_convert_to_meetings_writes_the_preview_and_tells_each_firm_once(
    mission, suggestions, organiser, member_a, member_b
):
    preview = _preview(mission)

    result = suggestions_convert(
        mission=mission, user=organiser, source="approved", target="meetings", min_score=50,
        fingerprint=preview.fingerprint,
    )  # fmt: skip

    meetings = Meeting.objects.order_by("id")
    names = [(m.a.company.name, m.b.company.name, m.required, m.created_by) for m in meetings]
    assert names == [
        ("Alpha Cathodes GmbH", "Beta Refining KK", True, organiser),
        ("Alpha Cathodes GmbH", "Delta Graphite KK", True, organiser),
        ("Gamma Anodes SA", "Beta Refining KK", True, organiser),
    ]
    assert (result.created, result.firms_told) == (3, 4)
    told = {e: p for e, p, _link in _told(NotificationKind.ORGANISERS_CONVERTED)}
    assert told[member_a.email] == {"mission": mission.title, "arranged": 2, "sent": 0, "received": 0}
    assert len(told) == 4
    assert suggestions["ab"].decisions.get().action == DecisionAction.MEETING_ARRANGED


def test_convert_to_requests_sends_from_the_keener_firm_with_a_message_for_the_recipient(
    mission, suggestions, organiser, member_a
):
    preview = _preview(mission, target="requests")

    suggestions_convert(
        mission=mission, user=organiser, source="approved", target="requests", min_score=50,
        fingerprint=preview.fingerprint,
    )  # fmt: skip

    rows = [(r.requester.company.name, r.recipient.company.name, r.status, r.source, r.created_by)
            for r in MeetingRequest.objects.order_by("id")]  # fmt: skip
    assert rows == [
        ("Alpha Cathodes GmbH", "Beta Refining KK", "pending", "suggestion", organiser),
        ("Delta Graphite KK", "Alpha Cathodes GmbH", "pending", "suggestion", organiser),
        ("Gamma Anodes SA", "Beta Refining KK", "pending", "suggestion", organiser),
    ]
    first = MeetingRequest.objects.order_by("id").first()
    assert first.message == (
        "Kizuna suggested our two firms to each other and we would like to meet you. Why we are a match, as Kizuna "
        "explains it to your firm:\n- They offer what you seek (graphite)\n\n"
        "Kizunaのマッチングで貴社と弊社が互いに紹介されました。ぜひ一度お会いしたく存じます。"
        "Kizunaが貴社に示したマッチングの理由：\n- 相手はあなたが求めるものを提供します（黒鉛）"
    )
    assert Suggestion.objects.get(pk=suggestions["ab"].pk).meeting_request == first
    told = {e: p for e, p, _link in _told(NotificationKind.ORGANISERS_CONVERTED)}
    assert told[member_a.email] == {"mission": mission.title, "arranged": 0, "sent": 1, "received": 1}
    assert _told(NotificationKind.REQUEST_RECEIVED) == []


def test_convert_stale_preview_refused_and_nothing_written(mission, suggestions, organiser, company_a, company_b):
    preview = _preview(mission)
    parts = Participation.objects.filter(mission=mission, company__in=[company_a, company_b]).order_by("company__name")
    MeetingRequestFactory(mission=mission, requester=parts[0], recipient=parts[1])

    with pytest.raises(ValidationError) as error:
        suggestions_convert(
            mission=mission, user=organiser, source="approved", target="meetings", min_score=50,
            fingerprint=preview.fingerprint,
        )  # fmt: skip

    assert error.value.message_dict == {"fingerprint": ["The suggestions changed since the preview; look again."]}
    assert (Meeting.objects.count(), Notification.objects.count()) == (0, 0)


def test_convert_twice_refused_the_second_time(mission, suggestions, organiser):
    fingerprint = _preview(mission).fingerprint
    choices = {"source": "approved", "target": "meetings", "min_score": 50, "fingerprint": fingerprint}
    suggestions_convert(mission=mission, user=organiser, **choices)
    told = Notification.objects.count()

    with pytest.raises(ValidationError):
        suggestions_convert(mission=mission, user=organiser, **choices)

    assert (Meeting.objects.count(), Notification.objects.count()) == (3, told)


def test_convert_outside_its_phases_refused(mission, suggestions, organiser):
    fingerprint = _preview(mission).fingerprint
    phase_set(mission, MissionPhase.PUBLISHED)

    with pytest.raises(ValidationError) as error:
        suggestions_convert(
            mission=mission, user=organiser, source="approved", target="meetings", min_score=50,
            fingerprint=fingerprint,
        )  # fmt: skip

    assert error.value.message_dict["non_field_errors"] == [
        "“Turn suggestions into requests or meetings” is closed in the “Schedule published” phase."
    ]


def test_convert_by_a_firm_member_refused(mission, suggestions, member_a):
    with pytest.raises(PermissionDenied):
        suggestions_convert(
            mission=mission, user=member_a, source="approved", target="meetings", min_score=50, fingerprint="x"
        )


def test_convert_bad_choices_are_field_errors(mission, organiser):
    with pytest.raises(ValidationError) as error:
        suggestions_convert(mission=mission, user=organiser, source="all", target="x", min_score=101, fingerprint="")

    assert sorted(error.value.message_dict) == ["min_score", "source", "target"]


def test_mutual_source_takes_mutual_pairs_at_any_score(mission, suggestions, member_a, member_b):
    phase_set(mission, MissionPhase.SCHEDULING)
    _both_say_yes(suggestions["ab"], member_a, member_b)  # left to the organisers in scheduling

    preview = _preview(mission, source="mutual", min_score=100)

    assert [(p.first, p.second, p.mutual) for p in preview.pairs] == [("Alpha Cathodes GmbH", "Beta Refining KK", True)]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_converted_notification_title_in_both_languages(language, mission, suggestions, organiser, member_a):
    suggestions_convert(
        mission=mission, user=organiser, source="approved", target="meetings", min_score=50,
        fingerprint=_preview(mission).fingerprint,
    )  # fmt: skip
    notification = Notification.objects.get(kind=NotificationKind.ORGANISERS_CONVERTED, recipient=member_a)

    with translation.override(language):
        title = notification_title(notification)

    assert (
        title
        == {
            "en": f"{mission.title}: the organisers arranged 2 meetings for your firm",
            "ja": f"{mission.title}：主催者が貴社の面談を 2 件手配しました",
        }[language]
    )


def test_cancelled_meeting_is_declined_before(mission, suggestions, company_a, company_b):
    parts = {p.company_id: p for p in Participation.objects.filter(mission=mission)}
    MeetingFactory(mission=mission, a=parts[company_a.pk], b=parts[company_b.pk], status=MeetingStatus.CANCELLED)

    preview = _preview(mission)

    assert [(x.eu, x.code) for x in preview.left_out][:2] == [
        ("Gamma Anodes SA", "not_in_mission"), ("Alpha Cathodes GmbH", "declined_before"),
    ]  # fmt: skip


# --- Page and API --------------------------------------------------------------------------------


def _page(mission) -> str:
    return reverse("events:convert_suggestions", args=[mission.pk])


def test_page_preview_shows_exact_counts(client, mission, suggestions, organiser):
    client.force_login(organiser)

    response = client.get(_page(mission), {"source": "approved", "min_score": 50, "target": "meetings"})

    html = response.content.decode()
    assert (response.status_code, response.context["preview"].total) == (200, 3)
    assert "Preview: 3 pairs would be converted" in html
    assert "Convert 3 pairs" in html
    assert "1 pair left out" in html
    assert "Omega Salt KK does not take part in the mission." in html


def test_page_in_japanese(client, mission, suggestions, organiser):
    client.force_login(organiser)

    html = client.get(_page(mission), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert ("提案から面談へ" in html, "4 組を変換" in html) == (True, True)  # every approved pair by default


def test_page_convert_then_told(client, mission, suggestions, organiser, member_a, member_b):
    client.force_login(organiser)
    choices = {"source": "approved", "min_score": 50, "target": "meetings"}
    fingerprint = client.get(_page(mission), choices).context["preview"].fingerprint

    response = client.post(_page(mission), {**choices, "fingerprint": fingerprint}, follow=True)

    assert response.redirect_chain == [(reverse("events:requests", args=[mission.pk]), 302)]
    assert [str(m) for m in response.context["messages"]] == ["3 must-meet meetings arranged; 4 firms are told."]
    assert Meeting.objects.filter(required=True).count() == 3


def test_page_stale_preview_refused(client, mission, suggestions, organiser):
    client.force_login(organiser)
    choices = {"source": "approved", "min_score": "50.0", "target": "meetings"}

    response = client.post(_page(mission), {**choices, "fingerprint": "0123456789abcdef"}, follow=True)

    assert response.redirect_chain == [(_page(mission) + "?source=approved&min_score=50.0&target=meetings", 302)]
    assert [str(m) for m in response.context["messages"]] == ["The suggestions changed since the preview; look again."]
    assert Meeting.objects.count() == 0


def test_page_for_organisers_only(client, mission, member_a):
    client.force_login(member_a)

    assert client.get(_page(mission)).status_code == 403


def test_mission_guide_links_the_conversion_page(client, mission, organiser):
    from events.phase_guide import phase_guide

    guide = phase_guide(mission=mission, user=organiser)

    assert {line.action: line.url for line in guide.now}["convert_suggestions"] == _page(mission)


def _api(mission) -> str:
    return reverse("api-convert-suggestions", args=[mission.pk])


def test_api_preview_and_convert(client, mission, suggestions, organiser):
    client.force_login(organiser)

    preview = client.get(_api(mission), {"source": "approved", "target": "requests", "min_score": 50}).json()
    done = client.post(
        _api(mission), {"source": "approved", "target": "requests", "min_score": 50,
                        "fingerprint": preview["fingerprint"]}, content_type="application/json",
    )  # fmt: skip

    assert (preview["total"], preview["pairs"][0], preview["left_out"]) == (
        3,
        {"first": "Alpha Cathodes GmbH", "second": "Beta Refining KK", "score": 90.0, "mutual": False},
        [{"eu": "Gamma Anodes SA", "jp": "Omega Salt KK", "code": "not_in_mission",
          "reason": "Omega Salt KK does not take part in the mission."}],
    )  # fmt: skip
    assert (done.status_code, done.json()) == (201, {"target": "requests", "created": 3, "firms_told": 4})
    assert MeetingRequest.objects.filter(status=RequestStatus.PENDING).count() == 3


def test_api_field_errors(client, mission, suggestions, organiser):
    client.force_login(organiser)

    bad = client.post(_api(mission), {"source": "all", "target": "meetings"}, content_type="application/json")
    stale = client.post(
        _api(mission), {"source": "approved", "target": "meetings", "min_score": 50, "fingerprint": "stale"},
        content_type="application/json",
    )  # fmt: skip

    assert (bad.status_code, sorted(bad.json())) == (400, ["fingerprint", "source"])
    assert (stale.status_code, stale.json()) == (
        400, {"fingerprint": ["The suggestions changed since the preview; look again."]},
    )  # fmt: skip


def test_api_for_organisers_only(client, mission, member_a):
    client.force_login(member_a)

    assert client.get(_api(mission)).status_code == 403


def test_preview_queries_do_not_grow_with_the_pairs(mission, suggestions, firms):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        _preview(mission, min_score=0)
    for n in range(6):
        company = CompanyFactory(name=f"Extra {n} KK", country="JP")
        ParticipationFactory(mission=mission, company=company)
        _suggestion(mission, firms["alpha"] if n % 2 else firms["gamma"], company, 30.0 + n)
    with CaptureQueriesContext(connection) as many:
        preview = _preview(mission, min_score=0)

    assert (len(many), preview.total) == (len(few), 10)
