import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import MeetingRequest
from matchmaking import card_selectors, services
from matchmaking.enums import DecisionAction, FirmResponse, SuggestionStatus
from matchmaking.models import SuggestionDecision
from tests.events.factories import MissionFactory, ParticipationFactory
from tests.factories import CompanyFactory
from tests.matchmaking.cards import reason_ids, suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(company_a):
    """company_a (DE, nickel) and three JP partners; Gamma is in Osaka and works in biotech."""
    return {
        "a": company_a,
        "beta": CompanyFactory(name="Beta KK", name_ja="ベータ株式会社", country="JP", materials=["nickel"]),
        "gamma": CompanyFactory(name="gamma Bio KK", country="JP", sectors=["biotech"], materials=[]),
        "delta": CompanyFactory(name="Delta KK", country="JP", materials=["cobalt"]),
    }


@pytest.fixture
def missions(db):
    return MissionFactory(title="Tokyo mission"), MissionFactory(title="Osaka mission")


def _names(cards) -> list[str]:
    return [card.partner.name for card in cards]


def test_partner_cards_one_card_per_partner_across_missions_best_first(firms, missions):
    tokyo, osaka = missions
    suggest(firms["a"], firms["beta"], mission=tokyo, score=60)
    suggest(firms["a"], firms["beta"], mission=osaka, score=72)
    suggest(firms["a"], firms["beta"], score=40)  # all approved companies
    suggest(firms["a"], firms["gamma"], mission=tokyo, score=65)

    cards = card_selectors.partner_cards(company=firms["a"])

    assert [(c.partner.name, c.score, [e.mission.title if e.mission else None for e in c.entries]) for c in cards] == [
        ("Beta KK", 72.0, ["Osaka mission", "Tokyo mission", None]),
        ("gamma Bio KK", 65.0, ["Tokyo mission"]),
    ]


def test_partner_cards_only_the_firms_approved_suggestions(firms, missions, company_b):
    suggest(firms["a"], firms["beta"], status=SuggestionStatus.PROPOSED)
    suggest(firms["a"], firms["gamma"], status=SuggestionStatus.REJECTED)
    suggest(CompanyFactory(name="Other GmbH"), firms["delta"])
    suggest(firms["a"], company_b)

    assert _names(card_selectors.partner_cards(company=firms["a"])) == ["Beta Refining KK"]
    assert _names(card_selectors.partner_cards(company=firms["delta"])) == ["Other GmbH"]


def test_cards_filtered_by_mission_narrows_each_card_to_it(firms, missions):
    tokyo, osaka = missions
    suggest(firms["a"], firms["beta"], mission=tokyo, score=60)
    suggest(firms["a"], firms["beta"], mission=osaka, score=72)
    suggest(firms["a"], firms["gamma"], mission=osaka, score=65)
    suggest(firms["a"], firms["delta"], score=30)
    cards = card_selectors.partner_cards(company=firms["a"])

    in_tokyo = card_selectors.cards_filtered(cards, mission=tokyo.pk)
    without_mission = card_selectors.cards_filtered(cards, mission=0)

    assert [(c.partner.name, c.score, len(c.entries)) for c in in_tokyo] == [("Beta KK", 60.0, 1)]
    assert _names(without_mission) == ["Delta KK"]


def test_cards_filtered_by_sector_country_and_answer(firms, company_b):
    for partner, score in ((firms["beta"], 70), (firms["gamma"], 60), (company_b, 50)):
        suggest(firms["a"], partner, score=score)
    cards = card_selectors.partner_cards(company=firms["a"])
    answered = next(c for c in cards if c.partner == firms["beta"]).best.suggestion
    services.suggestion_respond(
        suggestion=answered, user=_member(firms["a"]), interested=False, reason="Too small for us"
    )
    cards = card_selectors.partner_cards(company=firms["a"])

    assert _names(card_selectors.cards_filtered(cards, sector="biotech")) == ["gamma Bio KK"]
    assert _names(card_selectors.cards_filtered(cards, sector="critical_minerals")) == ["Beta Refining KK"]
    assert _names(card_selectors.cards_filtered(cards, country="JP")) == ["Beta KK", "gamma Bio KK", "Beta Refining KK"]
    assert _names(card_selectors.cards_filtered(cards, country="FR")) == []
    assert _names(card_selectors.cards_filtered(cards, interest=FirmResponse.NOT_INTERESTED)) == ["Beta KK"]
    assert _names(card_selectors.cards_filtered(cards, interest=FirmResponse.NONE)) == [
        "gamma Bio KK", "Beta Refining KK",
    ]  # fmt: skip


def test_cards_sorted_by_score_name_or_country(firms):
    french = CompanyFactory(name="Aube SAS", country="FR")
    suggest(french, firms["beta"], score=10)
    suggest(firms["a"], firms["beta"], score=50)
    suggest(firms["a"], firms["gamma"], score=80)
    suggest(firms["a"], firms["delta"], score=50)
    cards = card_selectors.partner_cards(company=firms["a"])
    for_beta = card_selectors.partner_cards(company=firms["beta"])

    assert _names(card_selectors.cards_sorted(cards, ordering="score")) == ["gamma Bio KK", "Beta KK", "Delta KK"]
    assert _names(card_selectors.cards_sorted(cards, ordering="name")) == ["Beta KK", "Delta KK", "gamma Bio KK"]
    assert _names(card_selectors.cards_sorted(cards, ordering="bogus")) == ["gamma Bio KK", "Beta KK", "Delta KK"]
    # France before Germany; then best score first.
    assert _names(card_selectors.cards_sorted(for_beta, ordering="country")) == ["Aube SAS", "Alpha Cathodes GmbH"]


def test_card_options_only_values_of_the_cards(firms, missions):
    tokyo, _osaka = missions
    suggest(firms["a"], firms["beta"], mission=tokyo)
    suggest(firms["a"], firms["gamma"])

    options = card_selectors.card_options(card_selectors.partner_cards(company=firms["a"]))

    assert options == card_selectors.CardOptions(
        missions=[(tokyo.pk, "Tokyo mission"), (0, "")], sectors=["batteries", "biotech"], countries=["JP"]
    )


def test_partner_cards_fill_top_three_reasons_then_the_rest_in_language(firms, missions):
    tokyo, _osaka = missions
    texts = [(f"Reason {i}", f"理由{i}") for i in range(5)]
    suggest(firms["a"], firms["beta"], mission=tokyo, score=70, reasons_eu=reason_ids(*texts))
    suggest(firms["a"], firms["beta"], score=20, reasons_eu=reason_ids(("Other run", "別の実行")))
    cards = card_selectors.partner_cards(company=firms["a"])

    card_selectors.partner_cards_fill(cards=cards, company=firms["a"], language="ja")

    (card,) = cards
    assert (card.reasons, card.more_reasons) == (["理由0", "理由1", "理由2"], ["理由3", "理由4"])


def test_partner_cards_fill_completes_few_reasons_with_shared_materials(firms):
    firms["a"].materials = ["nickel", "cobalt"]
    firms["a"].save()
    firms["delta"].materials = ["cobalt", "nickel", "lithium"]
    firms["delta"].save()
    suggest(firms["a"], firms["delta"], reasons_eu=reason_ids(("They offer cobalt", "相手はコバルトを提供")))
    suggest(firms["a"], firms["gamma"], reasons_eu=reason_ids(("They seek antibodies", "相手は抗体を求めています")))
    cards = card_selectors.partner_cards(company=firms["a"])

    card_selectors.partner_cards_fill(cards=cards, company=firms["a"], language="en")
    english = {c.partner.name: c.reasons for c in cards}
    card_selectors.partner_cards_fill(cards=cards, company=firms["a"], language="ja")
    japanese = {c.partner.name: c.reasons for c in cards}

    assert english == {
        "Delta KK": ["They offer cobalt", "Both handle nickel (battery grade) and cobalt"],
        "gamma Bio KK": ["They seek antibodies"],  # no material in common: nothing made up
    }
    assert japanese["Delta KK"] == ["相手はコバルトを提供", "両社ともニッケル・コバルトを扱っています"]


def test_partner_cards_fill_request_per_mission(firms, missions):
    tokyo, osaka = missions
    for mission in missions:
        ParticipationFactory(mission=mission, company=firms["a"])
    ParticipationFactory(mission=tokyo, company=firms["beta"])
    suggest(firms["a"], firms["beta"], mission=tokyo, score=70)
    suggest(firms["a"], firms["beta"], mission=osaka, score=60)  # Beta does not take part in Osaka
    cards = card_selectors.partner_cards(company=firms["a"])

    card_selectors.partner_cards_fill(cards=cards, company=firms["a"], language="en")

    tokyo_option, osaka_option = (e.request for e in cards[0].entries)
    assert (tokyo_option.state, tokyo_option.is_open, osaka_option) == ("open", True, None)


def _member(company):
    from tests.factories import MembershipFactory

    return MembershipFactory(company=company).user


def test_partner_respond_answers_every_open_suggestion_of_the_pair_with_audit(firms, missions):
    tokyo, osaka = missions
    in_tokyo = suggest(firms["a"], firms["beta"], mission=tokyo)
    in_osaka = suggest(firms["a"], firms["beta"], mission=osaka)
    user = _member(firms["a"])

    answered = services.partner_respond(
        suggestions=[in_osaka, in_tokyo], user=user, interested=True, reason="Nickel supply"
    )

    assert sorted(s.pk for s in answered) == sorted([in_tokyo.pk, in_osaka.pk])
    decisions = SuggestionDecision.objects.filter(suggestion__in=[in_tokyo, in_osaka]).order_by("suggestion_id")
    assert [(d.suggestion_id, d.action, d.note, d.user) for d in decisions] == [
        (in_tokyo.pk, DecisionAction.INTERESTED, "Nickel supply", user),
        (in_osaka.pk, DecisionAction.INTERESTED, "Nickel supply", user),
    ]
    (card,) = card_selectors.partner_cards(company=firms["a"])
    assert (card.response, card.response_reason, card.is_interested) == ("interested", "Nickel supply", True)


def test_partner_respond_keeps_arranged_ones_and_refuses_when_none_open(firms, missions):
    tokyo, osaka = missions
    mine, theirs = (ParticipationFactory(mission=tokyo, company=f) for f in (firms["a"], firms["beta"]))
    arranged = suggest(firms["a"], firms["beta"], mission=tokyo)
    arranged.meeting_request = MeetingRequest.objects.create(mission=tokyo, requester=mine, recipient=theirs)
    arranged.save()
    still_open = suggest(firms["a"], firms["beta"], mission=osaka)
    user = _member(firms["a"])

    services.partner_respond(suggestions=[arranged, still_open], user=user, interested=False)
    with pytest.raises(ValidationError):
        services.partner_respond(suggestions=[arranged], user=user, interested=True)

    arranged.refresh_from_db()
    still_open.refresh_from_db()
    assert (arranged.eu_response, still_open.eu_response) == ("none", "not_interested")


def test_card_response_is_the_latest_answer(firms, missions):
    tokyo, osaka = missions
    first = suggest(firms["a"], firms["beta"], mission=tokyo, eu_response=FirmResponse.INTERESTED,
                    eu_responded_at=timezone.now() - timezone.timedelta(days=1))  # fmt: skip
    suggest(firms["a"], firms["beta"], mission=osaka, eu_response=FirmResponse.NOT_INTERESTED,
            eu_responded_at=timezone.now(), eu_response_reason="Changed our mind")  # fmt: skip

    (card,) = card_selectors.partner_cards(company=firms["a"])

    assert (first.pk in [e.suggestion.pk for e in card.entries], card.response, card.response_reason) == (
        True, "not_interested", "Changed our mind",
    )  # fmt: skip
