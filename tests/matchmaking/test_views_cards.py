"""The suggested-partners page as cards: grouping, filters, pagination, answers with and without htmx."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from matchmaking.enums import FirmResponse
from matchmaking.models import Suggestion, SuggestionDecision
from tests.events.factories import MissionFactory, ParticipationFactory
from tests.factories import CompanyFactory
from tests.matchmaking.cards import reason_ids, suggest

pytestmark = pytest.mark.django_db
PAGE = reverse("matchmaking:my_suggestions")


@pytest.fixture
def two_missions(company_a, member_a):
    """Beta is suggested to Alpha in two missions (both take part in both) and outside any mission."""
    beta = CompanyFactory(name="Beta Refining KK", name_ja="ベータ精錬株式会社", country="JP", city="Osaka")
    missions = [MissionFactory(title="Tokyo mission"), MissionFactory(title="Osaka mission")]
    for mission in missions:
        ParticipationFactory(mission=mission, company=company_a)
        ParticipationFactory(mission=mission, company=beta)
    reasons = reason_ids(
        ("They supply what you want to buy (nickel)", "相手はあなたが購入したいものを供給しています（ニッケル）"),
        ("Would cut your 80% dependence on one country for nickel", "ニッケルの一国への80%の依存を減らせます"),
        ("You both mention: sulphate", "両社に共通するキーワード：硫酸塩"),
        ("Same sector (batteries)", "同じ分野（蓄電池）"),
    )
    found = [
        suggest(company_a, beta, mission=m, score=s, reasons_eu=reasons)
        for m, s in zip(missions, (61.4, 70), strict=True)
    ]
    return {"beta": beta, "missions": missions, "suggestions": found}


def _card_html(content: str, partner_pk: int) -> str:
    start = content.index(f'id="partner-{partner_pk}"')
    return content[start : content.index("</article>", start)]


def test_page_one_card_per_partner_with_a_request_button_per_mission(client, member_a, two_missions):
    client.force_login(member_a)

    response = client.get(PAGE)

    content = response.content.decode()
    beta = two_missions["beta"]
    card = _card_html(content, beta.pk)
    assert content.count('class="card partner-card"') == 1
    assert "Beta Refining KK" in card and '<p class="partner-name-alt" lang="ja">ベータ精錬株式会社</p>' in card
    assert '<meter class="score" min="0" max="100" value="70.0"' in card
    assert card.index("Osaka mission") < card.index("Tokyo mission")  # best score first
    for mission, suggestion in zip(two_missions["missions"], two_missions["suggestions"], strict=True):
        to = mission.participations.get(company=beta).pk
        url = reverse("events:request_create", args=[mission.pk]) + f"?to={to}&amp;suggestion={suggestion.pk}"
        assert f'<a class="btn btn-primary btn-sm" href="{url}">Request a meeting</a>' in card
    top = ["They supply what you want to buy (nickel)", "Would cut your 80% dependence on one country for nickel",
           "You both mention: sulphate"]  # fmt: skip
    assert f'<ul class="reasons">{"".join(f"<li>{escape(r)}</li>" for r in top)}</ul>' in card


def test_page_in_japanese_reasons_and_labels(client, member_a, two_missions):
    client.force_login(member_a)

    content = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "<li>ニッケルの一国への80%の依存を減らせます</li>" in content
    assert "面談をリクエスト" in content


def test_page_filters_and_sort_from_the_query_string(client, member_a, company_a, two_missions):
    french = CompanyFactory(name="Aube Biotech KK", country="JP", sectors=["biotech"])
    suggest(company_a, french, score=90)
    client.force_login(member_a)
    tokyo = two_missions["missions"][0]

    def names(**query):
        return [card.partner.name for card in client.get(PAGE, query).context["page"].object_list]

    assert names() == ["Aube Biotech KK", "Beta Refining KK"]
    assert names(mission=tokyo.pk) == ["Beta Refining KK"]
    assert names(mission=0) == ["Aube Biotech KK"]
    assert names(sector="biotech") == ["Aube Biotech KK"]
    assert names(interest="interested") == []
    assert names(sort="name", country="JP") == ["Aube Biotech KK", "Beta Refining KK"]
    # Values the form does not offer: everything, best first, never an error.
    assert names(mission="x", sector="nope", sort="bogus", page="9") == ["Aube Biotech KK", "Beta Refining KK"]


def test_page_capped_at_ten_cards_with_pages(client, member_a, company_a):
    for i in range(13):
        suggest(company_a, CompanyFactory(name=f"Partner {i:02} KK", country="JP"), score=80 - i)
    client.force_login(member_a)

    first, second = client.get(PAGE), client.get(PAGE, {"page": 2, "sort": "name"})

    assert [c.partner.name for c in first.context["page"].object_list] == [f"Partner {i:02} KK" for i in range(10)]
    assert [c.partner.name for c in second.context["page"].object_list] == ["Partner 10 KK", "Partner 11 KK",
                                                                             "Partner 12 KK"]  # fmt: skip
    assert "Page 2 of 2" in second.content.decode()


def test_answer_without_javascript_answers_every_mission_and_returns_to_the_page(client, member_a, two_missions):
    client.force_login(member_a)
    beta = two_missions["beta"]
    url = reverse("matchmaking:partner_respond", args=[beta.pk])

    response = client.post(url, {"response": "interested", "reason": "Nickel", "query": "sort=name&evil=1"})

    assert (response.status_code, response.url) == (302, f"{PAGE}?sort=name#partner-{beta.pk}")
    answers = Suggestion.objects.filter(jp_company=beta).values_list("eu_response", "eu_response_reason")
    assert list(answers) == [(FirmResponse.INTERESTED, "Nickel")] * 2
    assert SuggestionDecision.objects.filter(suggestion__jp_company=beta, action="interested").count() == 2


def test_answer_with_htmx_swaps_the_card_in_place(client, member_a, two_missions):
    client.force_login(member_a)
    beta = two_missions["beta"]

    response = client.post(
        reverse("matchmaking:partner_respond", args=[beta.pk]), {"response": "not_interested"}, HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    opening = f'<article class="card partner-card" id="partner-{beta.pk}"'
    assert (response.status_code, content.lstrip().startswith(opening)) == (200, True)
    assert "<html" not in content
    assert '<p class="flash flash-success small" role="status">Your answer is saved.</p>' in content
    assert 'value="not_interested" class="btn btn-sm btn-secondary" aria-pressed="true"' in content
    assert set(Suggestion.objects.filter(jp_company=beta).values_list("eu_response", flat=True)) == {"not_interested"}


def test_answer_with_htmx_invalid_choice_shows_the_error_in_the_card(client, member_a, two_missions):
    client.force_login(member_a)
    beta = two_missions["beta"]

    response = client.post(
        reverse("matchmaking:partner_respond", args=[beta.pk]), {"response": "maybe"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert '<p class="errorlist" role="alert">Choose interested or not interested.</p>' in response.content.decode()
    assert set(Suggestion.objects.filter(jp_company=beta).values_list("eu_response", flat=True)) == {"none"}


def test_answer_for_a_partner_not_suggested_is_not_found(client, member_a, member_b, two_missions, company_b):
    client.force_login(member_b)  # Beta Refining of the fixture is another firm than company_b

    response = client.post(
        reverse("matchmaking:partner_respond", args=[two_missions["beta"].pk]), {"response": "interested"}
    )

    assert response.status_code == 404


def test_page_query_count_same_with_more_partners(client, member_a, company_a, two_missions):
    client.force_login(member_a)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for i in range(8):
        partner = CompanyFactory(name=f"Partner {i} KK", country="JP")
        for mission in two_missions["missions"]:
            ParticipationFactory(mission=mission, company=partner)
            suggest(company_a, partner, mission=mission, score=30 + i)
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)

    assert len(many) == len(few)


@pytest.mark.parametrize(("partners", "page", "shown"), [(1, 1, 1), (10, 1, 10), (25, 1, 10), (25, 3, 5)])
def test_page_query_count_is_the_same_whatever_the_page_size(
    client, member_a, company_a, django_assert_num_queries, partners, page, shown
):
    """Session, user (with its membership, for the menu), the firm, every suggestion of it (partners
    and missions joined), the reasons of the page, the participations and open requests of its
    missions, the unread badge: eight, for one card or ten, on page 1 or 3."""
    mission = MissionFactory(title="Tokyo mission")
    ParticipationFactory(mission=mission, company=company_a)
    reasons = reason_ids(
        ("They supply nickel", "ニッケルを供給しています"), ("Same sector (batteries)", "同じ分野（蓄電池）")
    )
    for i in range(partners):
        partner = CompanyFactory(name=f"Partner {i:02d} KK", country="JP", materials=["nickel"])
        ParticipationFactory(mission=mission, company=partner)
        suggest(company_a, partner, mission=mission, score=90 - i, reasons_eu=reasons)
        suggest(company_a, partner, score=80 - i, reasons_eu=reasons)  # and outside any mission
    client.force_login(member_a)
    with django_assert_num_queries(8):
        response = client.get(PAGE, {"page": page})
    cards = response.context["page"].object_list
    assert (len(cards), {len(card.entries) for card in cards}) == (shown, {2})
    assert all(card.reasons[0] == "They supply nickel" for card in cards)
