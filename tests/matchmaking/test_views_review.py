"""The admins' review queue: compact rows, single decisions in place (htmx) or by a plain post."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from matchmaking.enums import SuggestionStatus
from matchmaking.models import Suggestion, SuggestionDecision
from tests.factories import CompanyFactory
from tests.matchmaking.cards import suggest

pytestmark = pytest.mark.django_db
QUEUE = reverse("matchmaking:review")


@pytest.fixture
def proposed(company_a):
    beta = CompanyFactory(name="Beta KK", country="JP")
    return suggest(company_a, beta, score=64.25, status=SuggestionStatus.PROPOSED)


def _decide(pk: int) -> str:
    return reverse("matchmaking:review_decide", args=[pk])


def test_decide_with_htmx_swaps_the_row_and_logs_the_decision(client, admin_user, proposed):
    client.force_login(admin_user)

    response = client.post(
        _decide(proposed.pk) + "?status=proposed", {"action": "approve", "note": "Looks right"}, HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert (response.status_code, content.lstrip().startswith(f'<tr id="suggestion-row-{proposed.pk}">')) == (200, True)
    assert '<span class="badge badge-ok">Approved</span>' in content
    assert 'value="approve"' not in content and 'value="reject"' in content  # it can still be rejected
    assert f'hx-post="{_decide(proposed.pk)}?status=proposed"' in content
    proposed.refresh_from_db()
    assert (proposed.status, proposed.review_note, proposed.reviewed_by) == ("approved", "Looks right", admin_user)
    decisions = SuggestionDecision.objects.filter(suggestion=proposed).values_list("action", "note", "user")
    assert list(decisions) == [("approved", "Looks right", admin_user.pk)]


def test_decide_without_javascript_returns_to_the_filtered_queue(client, admin_user, proposed):
    client.force_login(admin_user)

    response = client.post(
        _decide(proposed.pk) + "?status=proposed&ordering=score",
        {"action": "reject", "note": "", "suggestions": [proposed.pk]},  # the whole bulk form comes along
    )

    assert (response.status_code, response.url) == (302, QUEUE + "?status=proposed&ordering=score")
    proposed.refresh_from_db()
    assert proposed.status == SuggestionStatus.REJECTED
    messages = [str(m) for m in client.get(response.url).context["messages"]]
    assert messages == [f"Rejected suggestion {proposed.pk}."]


def test_decide_refused_shows_the_reason_in_the_row(client, admin_user, proposed):
    Suggestion.objects.filter(pk=proposed.pk).update(status=SuggestionStatus.APPROVED)
    client.force_login(admin_user)

    response = client.post(_decide(proposed.pk), {"action": "approve"}, HTTP_HX_REQUEST="true")
    bad_action = client.post(_decide(proposed.pk), {"action": "delete"}, HTTP_HX_REQUEST="true")

    assert '<p class="errorlist small" role="alert">This suggestion is already approved.</p>' in (
        response.content.decode()
    )
    assert '<p class="errorlist small" role="alert">Choose approve or reject.</p>' in bad_action.content.decode()
    assert SuggestionDecision.objects.filter(suggestion=proposed).count() == 0


@pytest.mark.parametrize(("who", "status"), [("member_a", 403), ("organiser", 403)])
def test_decide_admins_only(request, client, proposed, who, status):
    client.force_login(request.getfixturevalue(who))

    response = client.post(_decide(proposed.pk), {"action": "approve"})

    proposed.refresh_from_db()
    assert (response.status_code, proposed.status) == (status, SuggestionStatus.PROPOSED)


def test_decide_unknown_suggestion_not_found(client, admin_user):
    client.force_login(admin_user)

    assert client.post(_decide(999999), {"action": "approve"}).status_code == 404


def test_queue_dates_through_django_formats(client, admin_user, proposed):
    at = datetime(2026, 12, 3, 9, 30, tzinfo=ZoneInfo("UTC"))
    Suggestion.objects.filter(pk=proposed.pk).update(reviewed_at=at, reviewed_by=admin_user, status="approved")
    client.force_login(admin_user)

    english = client.get(QUEUE).content.decode()
    japanese = client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert ">3 Dec 2026</span>" in english and "12/03/2026" not in english
    assert ">2026年12月3日</span>" in japanese


def test_queue_rows_fold_reasons_and_show_score_bar(client, admin_user, proposed):
    client.force_login(admin_user)

    content = client.get(QUEUE).content.decode()

    assert '<meter class="score review-score" min="0" max="100" value="64.25" aria-hidden="true"></meter>' in content
    assert '<details class="review-why"><summary class="small">Why</summary>' in content
    assert content.count('<tr id="suggestion-row-') == 1
