from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from companies.enums import CompanyStatus
from events.enums import MissionPhase, RequestStatus
from events.models import MeetingRequest, Mission, Participation
from events.services import runs_sweep
from matchmaking import services
from matchmaking.enums import FirmResponse, RunStatus, SuggestionStatus
from matchmaking.models import MatchRun, Reason, Suggestion
from matchmaking.selectors import RequestOption
from matchmaking.tasks import BLOCK_FAILED
from tests.events.factories import ParticipationFactory
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.matchmaking.helpers import engine_reasons, run_now

pytestmark = pytest.mark.django_db


def _get(client, user, name, *args, **params):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=args), params)


def _queries(client, name: str, **headers) -> int:
    """Queries of the page seen a second time (the first counts the unread badge, then cached)."""
    client.get(reverse(name), **headers)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name), **headers).status_code == 200
    return len(queries)


def _cards(response) -> list:
    """The partner cards of a suggested-partners page (its page of cards)."""
    return list(response.context["page"].object_list)


def _more_approved_partners(company, admin_user, count: int) -> None:
    """`count` more approved suggestions for `company` (EU), each with its own two reasons."""
    run = MatchRun.objects.create(status=RunStatus.SUCCEEDED)
    partners = [CompanyFactory(name=f"Partner {i} KK", country="JP") for i in range(count)]
    pairs = {
        (company.pk, partner.pk): {
            "score": 30.0 + i, "parts": {"topic": 10.0}, "rank_eu": None, "rank_jp": 1,
            "reasons_eu": [(f"They offer part {i}", f"先方は部品{i}を提供"), ("Same sector", "同じ分野")],
            "reasons_jp": [(f"You seek part {i}", f"貴社は部品{i}を探しています")],
        }
        for i, partner in enumerate(partners)
    }  # fmt: skip
    services.suggestions_write(run=run, pairs=pairs, touching=company.pk)
    ids = Suggestion.objects.filter(jp_company__in=partners).values_list("pk", flat=True)
    services.suggestions_bulk_review(suggestion_ids=list(ids), admin=admin_user, approve=True)


# --- Runs ----------------------------------------------------------------------------------------


def test_runs_page_anonymous_redirected_to_login(client):
    response = client.get(reverse("matchmaking:runs"))

    assert (response.status_code, response.url) == (302, f"{reverse('accounts:login')}?next=/matches/runs/")


def test_runs_page_member_forbidden(client, member_a):
    assert _get(client, member_a, "matchmaking:runs").status_code == 403


def test_runs_page_organiser_sees_only_runs_of_own_missions(client, organiser, mission, other_mission):
    own = MatchRun.objects.create(mission=mission, status=RunStatus.SUCCEEDED)
    MatchRun.objects.create(mission=other_mission, status=RunStatus.SUCCEEDED)
    MatchRun.objects.create(status=RunStatus.SUCCEEDED)

    response = _get(client, organiser, "matchmaking:runs")

    assert list(response.context["page"]) == [own]
    assert list(response.context["form"].fields["mission"].queryset) == [mission]


def test_runs_start_admin_all_companies(client, admin_user, profiles, django_capture_on_commit_callbacks):
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchmaking:runs"), {"mission": "", "top_k": "2", "min_score": ""})

    run = MatchRun.objects.get()
    assert (response.status_code, response.url) == (302, reverse("matchmaking:run_detail", args=[run.pk]))
    assert (run.status, run.mission, run.settings["top_k"], run.source, run.created_by) == (
        RunStatus.SUCCEEDED, None, 2, "web", admin_user,
    )  # fmt: skip
    assert Suggestion.objects.count() == 3


def test_runs_start_organiser_must_choose_own_mission(client, organiser, mission, other_mission):
    client.force_login(organiser)

    missing = client.post(reverse("matchmaking:runs"), {"mission": ""})
    foreign = client.post(reverse("matchmaking:runs"), {"mission": str(other_mission.pk)})

    assert missing.context["form"].errors == {"mission": ["This field is required."]}
    assert foreign.context["form"].errors == {
        "mission": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert MatchRun.objects.count() == 0


def test_runs_start_second_run_while_active_form_error(client, admin_user):
    active = MatchRun.objects.create(status=RunStatus.RUNNING)
    client.force_login(admin_user)

    response = client.post(reverse("matchmaking:runs"), {"mission": ""})

    assert response.context["form"].non_field_errors() == [
        f"Run {active.pk} of this scope is already queued or running."
    ]


def test_run_detail_polls_while_active(client, admin_user):
    run = MatchRun.objects.create(status=RunStatus.RUNNING, progress=40, blocks_total=5, blocks_done=[0, 1])

    content = _get(client, admin_user, "matchmaking:run_detail", run.pk).content.decode()

    url = reverse("matchmaking:run_detail", args=[run.pk])
    assert f'hx-get="{url}" hx-trigger="every 2s" hx-swap="outerHTML"' in content
    assert '<progress value="40" max="100">40%</progress> 40%' in content
    assert "2 of 5 blocks" in content


def test_run_detail_htmx_request_gets_the_live_block_only(client, admin_user):
    run = MatchRun.objects.create(status=RunStatus.RUNNING, progress=40, blocks_total=5, blocks_done=[0, 1])
    client.force_login(admin_user)

    content = client.get(reverse("matchmaking:run_detail", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert content.lstrip().startswith('<div id="run-live"')
    assert "<html" not in content
    assert 'hx-trigger="every 2s"' in content
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.SUCCEEDED, progress=100)
    content = client.get(reverse("matchmaking:run_detail", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in content  # ended: the block stops asking
    assert '<progress value="100" max="100">100%</progress> 100%' in content


def test_run_detail_failed_shows_error_and_retry(client, admin_user):
    run = MatchRun.objects.create(status=RunStatus.FAILED, error="ValueError: boom")

    content = _get(client, admin_user, "matchmaking:run_detail", run.pk).content.decode()

    assert "ValueError: boom" in content
    assert reverse("matchmaking:run_retry", args=[run.pk]) in content
    assert "hx-trigger" not in content


def test_run_detail_run_of_dead_worker_failed_by_sweep_says_so_in_japanese(client, admin_user):
    silent = timezone.now() - timedelta(hours=1)
    run = MatchRun.objects.create(status=RunStatus.RUNNING, attempts=1, heartbeat_at=silent)
    runs_sweep()
    client.force_login(admin_user)

    content = client.get(reverse("matchmaking:run_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert (
        '<pre class="error">この実行を処理していたワーカーが完了前に停止しました（メモリ不足、クラッシュ、'
        "または再起動の可能性があります）。何も保存されていません。</pre>"
    ) in content
    assert reverse("matchmaking:run_retry", args=[run.pk]) in content


def test_run_detail_failed_block_error_ja_shown_in_japanese(client, admin_user):
    run = MatchRun.objects.create(status=RunStatus.FAILED, error=BLOCK_FAILED)
    client.force_login(admin_user)

    content = client.get(reverse("matchmaking:run_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert '<pre class="error">この実行の一部のブロックが失敗しました。</pre>' in content


def test_run_detail_other_organiser_not_found(client, organiser, other_mission):
    run = MatchRun.objects.create(mission=other_mission)

    assert _get(client, organiser, "matchmaking:run_detail", run.pk).status_code == 404


def test_run_retry_failed_run_queued_again(client, admin_user, profiles, django_capture_on_commit_callbacks):
    run = MatchRun.objects.create(status=RunStatus.FAILED, error="boom", settings=services.match_settings_clean())
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchmaking:run_retry", args=[run.pk]))

    run.refresh_from_db()
    assert (response.status_code, run.status, run.error, run.attempts) == (302, RunStatus.SUCCEEDED, "", 1)


# --- Review queue --------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("member_a", 403), ("organiser", 403), ("admin_user", 200)])
def test_review_page_admins_only(request, client, who, status):
    assert _get(client, request.getfixturevalue(who), "matchmaking:review").status_code == status


def test_review_page_anonymous_redirected_to_login(client):
    assert client.get(reverse("matchmaking:review")).status_code == 302


def test_review_page_sorted_by_score_with_parts_and_reasons(client, admin_user, matched):
    response = _get(client, admin_user, "matchmaking:review")

    assert list(response.context["page"]) == [matched["ab"], matched["ae"], matched["gd"]]
    content = response.content.decode()
    assert "Would cut your 80% dependence on one country for nickel" in content
    assert "You could cut their 80% dependence on one country for nickel" in content
    assert f"Supply security: {matched['ab'].parts['supply_security']}" in content


def test_review_page_lowest_score_first(client, admin_user, matched):
    response = _get(client, admin_user, "matchmaking:review", ordering="score")

    assert list(response.context["page"]) == [matched["gd"], matched["ae"], matched["ab"]]


def test_review_page_filters_sector_pair_score_and_status(client, admin_user, matched):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)

    biotech = _get(client, admin_user, "matchmaking:review", eu_sector="biotech", jp_sector="biotech")
    ranged = _get(client, admin_user, "matchmaking:review", score_min=str(matched["ae"].score), score_max="100")
    proposed = _get(client, admin_user, "matchmaking:review", status="proposed")

    assert list(biotech.context["page"]) == [matched["gd"]]
    assert list(ranged.context["page"]) == [matched["ab"], matched["ae"]]
    assert list(proposed.context["page"]) == [matched["ae"], matched["gd"]]


def test_review_page_filters_mission(client, admin_user, matched, mission):
    run_now(user=admin_user, mission=mission)
    in_mission = Suggestion.objects.get(mission=mission)

    response = _get(client, admin_user, "matchmaking:review", mission=str(mission.pk))

    assert list(response.context["page"]) == [in_mission]


def test_review_page_approve_many_at_once(client, admin_user, matched):
    client.force_login(admin_user)
    ids = [matched["ab"].pk, matched["gd"].pk]

    response = client.post(
        reverse("matchmaking:review") + "?status=proposed",
        {"suggestions": ids, "action": "approve", "note": "Checked"},
    )

    assert (response.status_code, response.url) == (302, reverse("matchmaking:review") + "?status=proposed")
    rows = Suggestion.objects.filter(pk__in=ids).values_list("status", "review_note", "reviewed_by")
    assert list(rows) == [(SuggestionStatus.APPROVED, "Checked", admin_user.pk)] * 2
    assert Suggestion.objects.get(pk=matched["ae"].pk).status == SuggestionStatus.PROPOSED


def test_review_page_reject_one_already_rejected_error(client, admin_user, matched):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=False)
    client.force_login(admin_user)

    response = client.post(reverse("matchmaking:review"), {"suggestions": [matched["ab"].pk], "action": "reject"})

    assert [str(m) for m in response.context["messages"]] == ["This suggestion is already rejected."]


def test_review_page_query_count_constant(client, admin_user, matched, django_assert_max_num_queries):
    client.force_login(admin_user)

    with django_assert_max_num_queries(8):
        client.get(reverse("matchmaking:review"))


def test_review_page_query_count_same_with_more_suggestions(client, admin_user, matched, profiles):
    client.force_login(admin_user)
    few = _queries(client, "matchmaking:review")

    _more_approved_partners(profiles[0], admin_user, 12)
    content = client.get(reverse("matchmaking:review")).content.decode()

    assert _queries(client, "matchmaking:review") == few
    assert all(f"They offer part {i}" in content and f"You seek part {i}" in content for i in range(12))


def test_review_page_in_japanese_shows_both_firms_reasons_in_japanese(client, admin_user, matched, profiles):
    a, b = profiles[0], profiles[1]
    client.force_login(admin_user)

    content = client.get(reverse("matchmaking:review"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    for firm, partner in ((a, b), (b, a)):
        expected = engine_reasons(firm, partner)
        assert all(escape(reason) in content for reason in expected["ja"])
        assert not any(escape(reason) in content for reason in expected["en"])


# --- A firm's suggested partners ------------------------------------------------------------------


def test_my_suggestions_firm_sees_only_its_approved(client, admin_user, matched, member_a, member_b):
    services.suggestions_bulk_review(
        suggestion_ids=[matched["ab"].pk, matched["gd"].pk], admin=admin_user, approve=True
    )

    page_a = _get(client, member_a, "matchmaking:my_suggestions")
    page_b = _get(client, member_b, "matchmaking:my_suggestions")

    assert [card.partner.name for card in _cards(page_a)] == ["Beta Refining KK"]
    assert [card.partner.name for card in _cards(page_b)] == ["Alpha Cathodes GmbH"]
    content_a, content_b = page_a.content.decode(), page_b.content.decode()
    assert "Would cut your 80% dependence on one country for nickel" in content_a
    assert "You could cut their 80% dependence on one country for nickel" not in content_a
    assert "You could cut their 80% dependence on one country for nickel" in content_b
    assert "Delta Biologics KK" not in content_a


def test_my_suggestions_shows_parts_as_words_not_numbers(client, admin_user, matched, member_a):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)

    content = _get(client, member_a, "matchmaking:my_suggestions").content.decode()

    # Alpha's parts with Beta: complementarity 61.6, topic 0, sector, value chain and partnership 100, supply 80.
    assert (
        '<ul class="fit plain"><li>What each seeks and the other offers: <span class="fit-good">Good fit</span></li>'
        '<li>Similar activities: <span class="fit-weak">Weak fit</span></li>'
        '<li>Shared sector: <span class="fit-strong">Strong fit</span></li>'
        '<li>Adjacent value-chain stages: <span class="fit-strong">Strong fit</span></li>'
        '<li>Compatible partnership types: <span class="fit-strong">Strong fit</span></li>'
        '<li>Supply security: <span class="fit-strong">Strong fit</span></li></ul>'
    ) in content
    assert "61.6" not in content
    assert "Shared sector: 100.0" not in content


def test_my_suggestions_parts_as_words_in_japanese(client, admin_user, matched, member_a):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)
    client.force_login(member_a)

    content = client.get(reverse("matchmaking:my_suggestions"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "<h3>適合度</h3>" in content
    assert '<li>互いのニーズと提供内容の一致: <span class="fit-good">良い適合</span></li>' in content
    assert '<li>共通の分野: <span class="fit-strong">高い適合</span></li>' in content


def test_my_suggestions_in_japanese_shows_japanese_reasons(client, admin_user, matched, member_a):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)
    client.force_login(member_a)

    response = client.get(reverse("matchmaking:my_suggestions"), HTTP_ACCEPT_LANGUAGE="ja")

    japanese = engine_reasons(matched["ab"].eu_company, matched["ab"].jp_company)["ja"]
    (card,) = _cards(response)
    assert card.reasons + card.more_reasons == japanese
    content = response.content.decode()
    assert f'<ul class="reasons">{"".join(f"<li>{escape(r)}</li>" for r in japanese[:3])}</ul>' in content


def test_my_suggestions_query_count_same_with_more_suggestions(client, admin_user, matched, member_a, profiles):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)
    client.force_login(member_a)
    one = _queries(client, "matchmaking:my_suggestions", HTTP_ACCEPT_LANGUAGE="ja")

    _more_approved_partners(profiles[0], admin_user, 12)
    response = client.get(reverse("matchmaking:my_suggestions"), HTTP_ACCEPT_LANGUAGE="ja")

    assert _queries(client, "matchmaking:my_suggestions", HTTP_ACCEPT_LANGUAGE="ja") == one
    rows = {card.partner.name: card.reasons for card in _cards(response)}
    assert {name: rows[name] for name in ("Partner 5 KK", "Partner 11 KK")} == {
        "Partner 5 KK": ["先方は部品5を提供", "同じ分野", "両社ともニッケルを扱っています"],
        "Partner 11 KK": ["先方は部品11を提供", "同じ分野", "両社ともニッケルを扱っています"],
    }  # two reasons of their own, completed by the material both declare


def test_my_suggestions_without_company_redirected_to_register(client):
    response = _get(client, UserFactory(), "matchmaking:my_suggestions")

    assert (response.status_code, response.url) == (302, reverse("companies:register"))


def test_respond_interested_with_reason_saved(client, admin_user, matched, member_a):
    services.suggestion_review(suggestion=matched["ab"], admin=admin_user, approve=True)
    client.force_login(member_a)

    response = client.post(
        reverse("matchmaking:respond", args=[matched["ab"].pk]), {"response": "interested", "reason": "Need nickel"}
    )

    matched["ab"].refresh_from_db()
    assert (response.status_code, response.url) == (302, reverse("matchmaking:my_suggestions"))
    assert (matched["ab"].eu_response, matched["ab"].eu_response_reason, matched["ab"].eu_responded_by) == (
        FirmResponse.INTERESTED, "Need nickel", member_a,
    )  # fmt: skip


@pytest.mark.parametrize("approved", [True, False])
def test_respond_other_firm_or_unapproved_not_found(client, admin_user, matched, eu_biotech, member_a, approved):
    if approved:
        services.suggestion_review(suggestion=matched["gd"], admin=admin_user, approve=True)
    client.force_login(member_a if not approved else MembershipFactory(company=matched["ab"].jp_company).user)
    target = matched["ab"] if not approved else matched["gd"]

    response = client.post(reverse("matchmaking:respond", args=[target.pk]), {"response": "interested"})

    target.refresh_from_db()
    assert (response.status_code, target.eu_response, target.jp_response) == (404, "none", "none")


def test_my_suggestions_partner_no_longer_public_hidden(client, admin_user, matched, member_a, profiles):
    services.suggestions_bulk_review(
        suggestion_ids=[matched["ab"].pk, matched["ae"].pk], admin=admin_user, approve=True
    )
    profiles[1].status = CompanyStatus.SUBMITTED
    profiles[1].save()

    response = _get(client, member_a, "matchmaking:my_suggestions")

    assert [card.partner.name for card in _cards(response)] == ["Epsilon Recycling KK"]


# --- Meeting requests from suggestions -------------------------------------------------------------


@pytest.fixture
def in_mission(admin_user, mission):
    """The approved suggestion (Alpha, Beta) of `mission`, in which both firms take part."""
    run_now(user=admin_user, mission=mission)
    suggestion = Suggestion.objects.get(mission=mission)
    services.suggestion_review(suggestion=suggestion, admin=admin_user, approve=True)
    return suggestion


def _stored_reasons(suggestion, language: str, side: str = "eu") -> list[str]:
    """One side's reasons of the suggestion as stored (Alpha's: EU), in its order."""
    ids = getattr(suggestion, f"reasons_{side}")
    texts = dict(Reason.objects.filter(pk__in=ids).values_list("id", language))
    return [texts[pk] for pk in ids]


def _request_url(suggestion) -> str:
    partner = Participation.objects.get(mission=suggestion.mission, company=suggestion.jp_company)
    query = f"?to={partner.pk}&suggestion={suggestion.pk}"
    return reverse("events:request_create", args=[suggestion.mission_id]) + query


def test_my_suggestions_request_link_when_mission_takes_requests(client, in_mission, member_a):
    response = _get(client, member_a, "matchmaking:my_suggestions")

    url = _request_url(in_mission)
    assert _cards(response)[0].entries[0].request == RequestOption(state="open", text="Request a meeting", url=url)
    assert f'<a class="btn btn-primary btn-sm" href="{escape(url)}">Request a meeting</a>' in response.content.decode()


def test_my_suggestions_requests_closed_shows_reason_not_link(client, in_mission, member_a):
    Mission.objects.filter(pk=in_mission.mission_id).update(phase=MissionPhase.REGISTRATION)

    content = _get(client, member_a, "matchmaking:my_suggestions").content.decode()

    assert '<span class="badge badge-muted">This mission does not take meeting requests now.</span>' in content
    assert "suggestion=" not in content


def test_my_suggestions_partner_not_in_mission_no_request_block(client, in_mission, member_a):
    Participation.objects.filter(mission=in_mission.mission, company=in_mission.jp_company).delete()

    response = _get(client, member_a, "matchmaking:my_suggestions")

    assert _cards(response)[0].entries[0].request is None
    assert "Request a meeting" not in response.content.decode()


def test_my_suggestions_request_sent_then_agreed(client, in_mission, member_a):
    mine = Participation.objects.get(mission=in_mission.mission, company=in_mission.eu_company)
    theirs = Participation.objects.get(mission=in_mission.mission, company=in_mission.jp_company)
    sent = MeetingRequest.objects.create(mission=in_mission.mission, requester=mine, recipient=theirs)
    requests_url = reverse("events:my_requests", args=[in_mission.mission_id])

    first = _cards(_get(client, member_a, "matchmaking:my_suggestions"))[0].entries[0].request
    MeetingRequest.objects.filter(pk=sent.pk).update(status=RequestStatus.ACCEPTED)
    second = _cards(_get(client, member_a, "matchmaking:my_suggestions"))[0].entries[0].request

    assert first == RequestOption(state="sent", text="Request sent", url=requests_url)
    assert second == RequestOption(state="agreed", text="Meeting agreed", url=requests_url)


def test_my_suggestions_request_received_from_partner(client, in_mission, member_a):
    mine = Participation.objects.get(mission=in_mission.mission, company=in_mission.eu_company)
    theirs = Participation.objects.get(mission=in_mission.mission, company=in_mission.jp_company)
    MeetingRequest.objects.create(mission=in_mission.mission, requester=theirs, recipient=mine)

    option = _cards(_get(client, member_a, "matchmaking:my_suggestions"))[0].entries[0].request

    url = reverse("events:my_requests", args=[in_mission.mission_id])
    assert option == RequestOption(state="received", text="They asked you for a meeting", url=url)


def _queries_as(client, user, name: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse(name))
    return len(captured)


def test_my_suggestions_query_count_same_with_more_mission_suggestions(client, admin_user, in_mission, member_a):
    few = _queries_as(client, member_a, "matchmaking:my_suggestions")
    partners = [CompanyFactory(name=f"Partner {i} KK", country="JP") for i in range(6)]
    for partner in partners:
        ParticipationFactory(mission=in_mission.mission, company=partner)
        suggestion = Suggestion.objects.create(
            mission=in_mission.mission, scope=in_mission.mission_id, eu_company=in_mission.eu_company,
            jp_company=partner, score=40.0,
        )  # fmt: skip
        services.suggestion_review(suggestion=suggestion, admin=admin_user, approve=True)

    many = _queries_as(client, member_a, "matchmaking:my_suggestions")
    cards = _cards(client.get(reverse("matchmaking:my_suggestions")))

    assert (many, [card.entries[0].request.state for card in cards]) == (few, ["open"] * 7)


def test_request_page_prefilled_from_suggestion(client, in_mission, member_a):
    client.force_login(member_a)

    form = client.get(_request_url(in_mission)).context["form"]

    theirs = Participation.objects.get(mission=in_mission.mission, company=in_mission.jp_company)
    reasons = _stored_reasons(in_mission, "en", side="jp")  # written for Beta, who reads the request
    intro = (
        "Kizuna suggested our two firms to each other and we would like to meet you. "
        "Why we are a match, as Kizuna explains it to your firm:"
    )
    assert form.initial == {"recipient": theirs.pk, "message": "\n".join([intro, *(f"- {r}" for r in reasons)])}
    # "They" is Alpha, the sender: the reasons read right for Beta.
    assert (len(reasons), reasons[0]) == (4, "They offer what you seek (cathode materials)")


def test_request_page_prefilled_in_japanese(client, in_mission, member_a):
    client.force_login(member_a)

    form = client.get(_request_url(in_mission), HTTP_ACCEPT_LANGUAGE="ja").context["form"]

    reasons = _stored_reasons(in_mission, "ja", side="jp")
    intro = (
        "Kizunaのマッチングで貴社と弊社が互いに紹介されました。ぜひ一度お会いしたく存じます。"
        "Kizunaが貴社に示したマッチングの理由："
    )
    message = "\n".join([intro, *(f"- {r}" for r in reasons)])
    assert form.initial["message"] == message


def test_request_page_foreign_suggestion_ignored(client, admin_user, matched, in_mission, member_a):
    services.suggestion_review(suggestion=matched["gd"], admin=admin_user, approve=True)
    client.force_login(member_a)
    url = reverse("events:request_create", args=[in_mission.mission_id])

    foreign = client.get(url, {"suggestion": matched["gd"].pk})
    not_a_number = client.get(url, {"suggestion": "x1"})
    missing = client.get(url, {"suggestion": 999999})

    assert (foreign.status_code, not_a_number.status_code, missing.status_code) == (200, 200, 200)
    assert (foreign.context["form"].initial, not_a_number.context["form"].initial, missing.context["form"].initial) == (
        {}, {}, {},
    )  # fmt: skip


def test_request_prefilled_form_submitted_creates_request(client, in_mission, member_a):
    client.force_login(member_a)
    form = client.get(_request_url(in_mission)).context["form"]

    response = client.post(
        reverse("events:request_create", args=[in_mission.mission_id]),
        {"recipient": form.initial["recipient"], "message": form.initial["message"], "priority": "high"},
    )

    assert (response.status_code, response.url) == (302, reverse("events:my_requests", args=[in_mission.mission_id]))
    sent = MeetingRequest.objects.get()
    assert (sent.requester.company, sent.recipient.company, sent.message, sent.priority, sent.status) == (
        in_mission.eu_company, in_mission.jp_company, form.initial["message"], "high", RequestStatus.PENDING,
    )  # fmt: skip


def test_runs_form_offers_only_missions_where_matching_runs(client, organiser, mission, other_mission):
    from events.enums import MissionPhase
    from tests.events.factories import phase_set

    client.force_login(organiser)
    open_now = list(client.get("/matches/runs/").context["form"].fields["mission"].queryset)
    phase_set(mission, MissionPhase.SCHEDULING)
    later = list(client.get("/matches/runs/").context["form"].fields["mission"].queryset)

    assert (open_now, later) == ([mission], [])
