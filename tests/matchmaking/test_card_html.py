"""Partner cards and their filter form kept in the cache (matchmaking.card_html, config.fragments):
a page seen before shows every change at once, whoever made it and however, and never another
viewer's token or answer."""

import re

import pytest
from django.conf import settings
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from companies.models import Company
from events.enums import MissionPhase
from events.models import MeetingRequest, Mission
from matchmaking import card_html, card_selectors
from matchmaking.models import Reason, Suggestion
from tests.events.factories import MissionFactory, ParticipationFactory
from tests.factories import CompanyFactory, MembershipFactory
from tests.matchmaking.cards import reason_ids, suggest

pytestmark = pytest.mark.django_db
PAGE = reverse("matchmaking:my_suggestions")


@pytest.fixture
def beta_card(company_a, member_a):
    """Beta is suggested to Alpha in one mission (both take part), with reasons; the page was seen."""
    beta = CompanyFactory(name="Beta Refining KK", country="JP", city="Osaka", offer="Nickel sulphate")
    mission = MissionFactory(title="Tokyo mission")
    mine, theirs = (ParticipationFactory(mission=mission, company=firm) for firm in (company_a, beta))
    reasons = reason_ids(("They supply nickel", "ニッケルを供給しています"))
    suggestion = suggest(company_a, beta, mission=mission, score=70, reasons_eu=reasons)
    return {"beta": beta, "mission": mission, "mine": mine, "theirs": theirs, "suggestion": suggestion}


def _page(client) -> str:
    response = client.get(PAGE)
    assert response.status_code == 200
    return response.content.decode()


def _seen_twice(client) -> str:
    """The page as it comes from the cache (its second showing gives the same HTML)."""
    first = _page(client)
    second = _page(client)
    assert _without_tokens(first) == _without_tokens(second)
    return second


def _without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[A-Za-z0-9]+"', r'\1"t"', html)


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda c: Company.objects.filter(pk=c["beta"].pk).update(name="Beta Metals KK"), "Beta Metals KK"),
        (lambda c: Company.objects.filter(pk=c["beta"].pk).update(offer="Cobalt hydroxide"), "Cobalt hydroxide"),
        (lambda c: Mission.objects.filter(pk=c["mission"].pk).update(title="Osaka mission"), "Osaka mission"),
        (lambda c: Suggestion.objects.filter(pk=c["suggestion"].pk).update(score=91.6), 'value="91.6"'),
        (lambda c: Reason.objects.filter(en="They supply nickel").update(en="They refine it"), "They refine it"),
        (lambda c: Suggestion.objects.filter(pk=c["suggestion"].pk).update(
            eu_response="interested", eu_response_reason="Good fit", eu_responded_at=timezone.now()),
         'aria-pressed="true">Interested</button>'),
        (lambda c: MeetingRequest.objects.create(mission=c["mission"], requester=c["mine"], recipient=c["theirs"],
                                                 message="Meet?"), "Request sent"),
        (lambda c: Mission.objects.filter(pk=c["mission"].pk).update(phase=MissionPhase.SCHEDULING),
         "This mission does not take meeting requests now."),
    ],
    ids=["partner name", "partner offer", "mission title", "score", "reason text", "answer", "request", "phase"],
)  # fmt: skip
def test_page_seen_before_shows_any_change_at_once(client, member_a, beta_card, change, shown):
    """Whatever writes the data (here raw updates that call no service and drop nothing), the next
    page shows it: a card is kept under a digest of what it shows, not dropped by the writers."""
    client.force_login(member_a)
    assert shown not in _seen_twice(client)

    change(beta_card)

    assert shown in _page(client)


def test_page_in_another_language_is_another_card(client, member_a, beta_card):
    client.force_login(member_a)
    _seen_twice(client)

    content = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "<li>ニッケルを供給しています</li>" in content and "面談をリクエスト" in content


def test_page_cards_carry_each_viewers_own_csrf_token(member_a, company_a, beta_card):
    """Two members of the firm see the same cards; each answer form carries its own viewer's token
    (the cached card has none), so each can answer and neither can with the other's."""
    colleague = MembershipFactory(company=company_a).user
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(member_a)
    second.force_login(colleague)
    tokens = [re.findall(r'csrfmiddlewaretoken" value="([^"]+)"', _page(c)) for c in (first, second)]
    url = reverse("matchmaking:partner_respond", args=[beta_card["beta"].pk])

    assert card_html.CSRF_PLACEHOLDER not in str(tokens)
    assert second.post(url, {"response": "interested", "csrfmiddlewaretoken": tokens[0][0]}).status_code == 403
    assert second.post(url, {"response": "interested", "csrfmiddlewaretoken": tokens[1][0]}).status_code == 302
    assert first.post(url, {"response": "interested", "csrfmiddlewaretoken": tokens[0][0]}).status_code == 302


def test_page_never_shows_the_other_firms_answer(client, member_a, member_b, company_a, company_b):
    """Alpha and Beta see each other's card; each card shows its own firm's answer and reason only."""
    suggest(
        company_a,
        company_b,
        score=60,
        eu_response="not_interested",
        eu_response_reason="Too far from us",
        eu_responded_at=timezone.now(),
    )
    client.force_login(member_a)
    assert "Too far from us" in _seen_twice(client)

    client.force_login(member_b)
    content = _seen_twice(client)

    assert "Too far from us" not in content and "Alpha Cathodes GmbH" in content


def test_filter_form_kept_per_query_and_options(client, member_a, company_a, beta_card):
    client.force_login(member_a)
    client.get(PAGE, {"sort": "name"})
    french = CompanyFactory(name="Aube Biotech KK", country="JP", sectors=["biotech"])
    suggest(company_a, french, score=20)

    content = client.get(PAGE, {"sort": "name"}).content.decode()

    assert '<option value="biotech">' in content
    assert '<option value="name" selected>' in content


def test_card_template_reads_only_what_card_shown_gives(member_a, company_a, beta_card):
    """The card template, rendered from card_shown with every unknown name made visible, shows no
    unknown name: what the template shows is all in the key. A new thing on the card that is not
    added to card_shown fails here."""
    MeetingRequest.objects.create(
        mission=beta_card["mission"], requester=beta_card["mine"], recipient=beta_card["theirs"], message="Meet?"
    )
    suggest(
        company_a,
        beta_card["beta"],
        score=40,
        eu_response="interested",
        eu_response_reason="Yes",
        eu_responded_at=timezone.now(),
    )
    (card,) = card_selectors.partner_cards(company=company_a)
    card_selectors.partner_cards_fill(cards=[card], company=company_a, language="en")
    engine = Engine(
        dirs=settings.TEMPLATES[0]["DIRS"], app_dirs=True, string_if_invalid="UNKNOWN(%s)",
        libraries=get_installed_libraries(),
    )  # fmt: skip
    context = {"card": card_html.card_shown(card), "query": "sort=name", "csrf_token": "t", "error": "", "saved": False}

    html = engine.get_template(card_html.CARD_TEMPLATES[0]).render(Context(context))

    assert (len(card.entries), "UNKNOWN" in html) == (2, False)
    assert "Request sent" in html and "Yes" in html
