"""A firm's suggested partners as cards: one card per partner, whatever the number of missions in
which the pair is suggested (docs/matching.md, "Partner cards").

Reading is in two steps so that a page costs the same whatever the number of suggestions:
`partner_cards` builds every card of the firm from one query (cheap: no reasons, no requests), the
page filters, sorts and paginates them, and `partner_cards_fill` adds the reasons and the meeting
request options of the cards shown, in three queries.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from companies.labels import VOCABULARIES, label
from companies.models import Company
from events.models import Mission
from matchmaking import selectors
from matchmaking.enums import FirmResponse
from matchmaking.models import Suggestion

TOP_REASONS = 3
CARDS_PER_PAGE = 10
CARD_ORDERINGS = ("score", "name", "country")
"""Best score first (ties by name), name A-Z, country (by its label in the page's language)."""


@dataclass
class CardEntry:
    """One suggestion of the pair: the mission it belongs to (None: all approved companies), its
    score, and what the firm can do about a meeting there (selectors.RequestOption, set by fill)."""

    suggestion: Suggestion
    side: str
    request: selectors.RequestOption | None = None

    @property
    def mission(self) -> Mission | None:
        return self.suggestion.mission

    @property
    def score(self) -> float:
        return self.suggestion.score


@dataclass
class PartnerCard:
    """A partner as one firm sees it. `entries` are best score first; the answer shown is the
    firm's latest on any of them (answering from a card answers them all)."""

    partner: Company
    entries: list[CardEntry]
    reasons: list[str] = field(default_factory=list)
    more_reasons: list[str] = field(default_factory=list)
    fit: list[dict[str, str]] = field(default_factory=list)

    @property
    def best(self) -> CardEntry:
        return self.entries[0]

    @property
    def score(self) -> float:
        return self.best.score

    @property
    def latest_answer(self) -> CardEntry | None:
        answered = [e for e in self.entries if _answered_at(e) is not None]
        return max(answered, key=_answered_at) if answered else None

    @property
    def response(self) -> str:
        latest = self.latest_answer
        return getattr(latest.suggestion, f"{latest.side}_response") if latest else FirmResponse.NONE

    @property
    def response_label(self) -> str:
        return str(FirmResponse(self.response).label)

    @property
    def response_tone(self) -> str:
        tones: dict[str, str] = {FirmResponse.INTERESTED: "ok", FirmResponse.NOT_INTERESTED: "muted"}
        return tones.get(self.response, "info")

    @property
    def is_interested(self) -> bool:
        return self.response == FirmResponse.INTERESTED

    @property
    def is_not_interested(self) -> bool:
        return self.response == FirmResponse.NOT_INTERESTED

    @property
    def response_reason(self) -> str:
        latest = self.latest_answer
        return getattr(latest.suggestion, f"{latest.side}_response_reason") if latest else ""

    @property
    def mutual(self) -> bool:
        return any(e.suggestion.both_interested for e in self.entries)

    @property
    def can_answer(self) -> bool:
        """False once every suggestion of the pair led to an arranged meeting (the answer is final)."""
        return any(e.suggestion.meeting_request_id is None for e in self.entries)

    @property
    def mission_ids(self) -> set[int]:
        return {e.suggestion.mission_id or 0 for e in self.entries}


def _answered_at(entry: CardEntry) -> Any:
    return getattr(entry.suggestion, f"{entry.side}_responded_at")


CARD_SUGGESTION_FIELDS = (
    "id", "mission_id", "eu_company_id", "jp_company_id", "score", "parts", "reasons_eu", "reasons_jp",
    "eu_response", "eu_response_reason", "eu_responded_at", "jp_response", "jp_response_reason", "jp_responded_at",
    "meeting_request_id",
)  # fmt: skip
CARD_COMPANY_FIELDS = ("id", "name", "name_ja", "country", "city", "sectors", "materials", "offer", "seek")
CARD_MISSION_FIELDS = ("id", "title", "phase")
"""What the cards read of a suggestion, of either firm and of the mission (the page reads every
suggestion of the firm: the other columns, the long descriptions most of all, stay in the database)."""


def card_suggestions(*, company: Company) -> QuerySet[Suggestion]:
    """selectors.suggestions_for_company with only what the cards use of the suggestion, the two
    firms and the mission, without the reviewer."""
    firms = [f"{firm}__{name}" for firm in ("eu_company", "jp_company") for name in CARD_COMPANY_FIELDS]
    qs = selectors.suggestions_for_company(company=company).select_related(None)
    qs = qs.select_related("eu_company", "jp_company", "mission")
    return qs.only(*CARD_SUGGESTION_FIELDS, *firms, *(f"mission__{name}" for name in CARD_MISSION_FIELDS))


def partner_cards(*, company: Company) -> list[PartnerCard]:
    """Every approved suggestion of the firm grouped by partner, best score first; one query."""
    by_partner: dict[int, PartnerCard] = {}
    for suggestion in card_suggestions(company=company):
        side = "eu" if suggestion.eu_company_id == company.pk else "jp"
        partner = suggestion.jp_company if side == "eu" else suggestion.eu_company
        entry = CardEntry(suggestion=suggestion, side=side)
        if partner.pk in by_partner:
            by_partner[partner.pk].entries.append(entry)  # the queryset is best first: entries stay sorted
        else:
            by_partner[partner.pk] = PartnerCard(partner=partner, entries=[entry])
    return cards_sorted(list(by_partner.values()), ordering="score")


@dataclass(frozen=True)
class CardOptions:
    """What the filters of the page offer: only values that some card has."""

    missions: list[tuple[int, str]]
    sectors: list[str]
    countries: list[str]


def card_options(cards: Sequence[PartnerCard]) -> CardOptions:
    """The missions (0 = all approved companies), partner sectors and partner countries of the cards."""
    missions: dict[int, str] = {}
    for card in cards:
        for entry in card.entries:
            missions[entry.suggestion.mission_id or 0] = entry.mission.title if entry.mission else ""
    sectors = {sector for card in cards for sector in card.partner.sectors}
    countries = {card.partner.country for card in cards}
    return CardOptions(
        missions=sorted(missions.items(), key=lambda item: (item[0] == 0, item[1])),
        sectors=sorted(sectors),
        countries=sorted(countries),
    )


def cards_filtered(
    cards: Iterable[PartnerCard], *, mission: int | None = None, sector: str = "", country: str = "", interest: str = ""
) -> list[PartnerCard]:
    """Cards kept by the filters. A mission filter (0: all approved companies) also narrows each
    card to its suggestion in that mission, so its score and request are that mission's."""
    kept = []
    for card in cards:
        if mission is not None:
            entries = [e for e in card.entries if (e.suggestion.mission_id or 0) == mission]
            if not entries:
                continue
            card = PartnerCard(partner=card.partner, entries=entries)
        if sector and sector not in card.partner.sectors:
            continue
        if country and card.partner.country != country:
            continue
        if interest and card.response != interest:
            continue
        kept.append(card)
    return kept


def cards_sorted(cards: list[PartnerCard], *, ordering: str = "score") -> list[PartnerCard]:
    """Sorted by CARD_ORDERINGS[ordering]; an unknown ordering sorts by score. Names compare without
    case; partner id breaks the last ties so pages never shuffle."""

    def by_name(card: PartnerCard) -> tuple[str, int]:
        return (card.partner.name.casefold(), card.partner.pk)

    if ordering == "name":
        return sorted(cards, key=by_name)
    if ordering == "country":
        return sorted(cards, key=lambda c: (label("country", c.partner.country), -c.score, *by_name(c)))
    return sorted(cards, key=lambda c: (-c.score, *by_name(c)))


def partner_cards_fill(*, cards: Sequence[PartnerCard], company: Company, language: str) -> None:
    """Reasons (the best suggestion's, for this firm's side, in `language`), fit in words and each
    entry's meeting request option, for the cards shown: three queries for any number of cards."""
    suggestions = [e.suggestion for card in cards for e in card.entries]
    selectors.suggestions_with_reasons(suggestions)  # sets reason_texts on these same objects
    options = selectors.suggestion_request_options(suggestions=suggestions, company=company)
    for card in cards:
        for entry in card.entries:
            entry.request = options.get(entry.suggestion.pk)
        best = card.best
        found = selectors.reasons_in_language(best.suggestion.reason_texts[best.side], language)
        if len(found) < TOP_REASONS:  # a pair with few reasons of its own: what both profiles declare
            found = [*found, *profile_reasons(company, card.partner, language=language, known=found)]
        card.reasons, card.more_reasons = found[:TOP_REASONS], found[TOP_REASONS:]
        card.fit = selectors.parts_as_fit(best.suggestion.parts)


def profile_reasons(company: Company, partner: Company, *, language: str, known: Sequence[str] = ()) -> list[str]:
    """Sentences from what both profiles declare, in `language`, to complete a card whose suggestion
    has few reasons of its own: the critical raw materials both handle. (A shared sector is already
    the engine's last line, "Same sector (…)".) `known` lines are not repeated."""
    materials = [m for m in company.materials if m in partner.materials]
    if not materials:
        return []
    japanese = language == "ja"
    names = _listed(materials, "material", japanese)
    line = f"両社とも{names}を扱っています" if japanese else f"Both handle {names}"
    return [line] if line not in known else []


def _listed(codes: Sequence[str], kind: str, japanese: bool) -> str:
    """Labels of the codes in the language asked for (not the page's: a card is in one language)."""
    names = [VOCABULARIES[kind].get(code, (code, code))[1 if japanese else 0] for code in codes]
    if japanese:
        return "・".join(names)
    names = [name.lower() for name in names]  # mid-sentence, as the engine writes its labels
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def partner_card(*, company: Company, partner_id: int, language: str) -> PartnerCard | None:
    """One partner's card, filled (the card an htmx answer swaps in); None when it is not suggested."""
    card = next((c for c in partner_cards(company=company) if c.partner.pk == partner_id), None)
    if card is not None:
        partner_cards_fill(cards=[card], company=company, language=language)
    return card


def partner_suggestions(*, company: Company, partner_id: int) -> list[Suggestion]:
    """The approved suggestions pairing the firm with this partner (what a card's answer applies to)."""
    qs = selectors.suggestions_for_company(company=company)
    return list(qs.filter(Q(eu_company_id=partner_id) | Q(jp_company_id=partner_id)))
