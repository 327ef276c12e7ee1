"""Partner cards and their filter form as HTML, kept in the cache under a digest of what they show
(config.fragments).

Why: rendering the ten cards of a page and the filter form was most of the suggestions page's
CPU (docs/benchmarks.md, "Pages under load"), and a firm's cards change far less often than they
are looked at. The data is still read on every request (the cards, their reasons and requests:
that is what the key is made of); only the template work is skipped.

`card_shown` is everything `_partner_card.html` shows of a card, as plain values; the template is
rendered from that alone (the page and the htmx answer alike), so a card's key covers all it
shows. A new thing on the card goes into `card_shown`, or the template does not see it.
"""

from typing import Any

from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from config.fragments import CSRF_PLACEHOLDER, cached_fragments
from matchmaking.card_selectors import CardOptions, PartnerCard
from matchmaking.forms import PartnerFilterForm
from matchmaking.selectors import RequestOption

CARD_TEMPLATES = ("matchmaking/_partner_card.html", "matchmaking/_fit.html", "matchmaking/_scope.html")
FILTERS_TEMPLATE = "matchmaking/_card_filters.html"
FRAGMENT_SECONDS = 600


def _option_shown(option: RequestOption | None) -> dict[str, Any] | None:
    if option is None:
        return None
    return {"is_open": option.is_open, "url": option.url, "text": str(option.text), "tone": option.tone}


def card_shown(card: PartnerCard) -> dict[str, Any]:
    """What the card template shows of a filled card (card_selectors.partner_cards_fill)."""
    partner = card.partner
    return {
        "partner": {
            "pk": partner.pk, "name": partner.name, "name_ja": partner.name_ja, "country": partner.country,
            "city": partner.city, "sectors": list(partner.sectors), "offer": partner.offer, "seek": partner.seek,
        },
        "score": card.score,
        "reasons": [str(reason) for reason in card.reasons],
        "more_reasons": [str(reason) for reason in card.more_reasons],
        "fit": [{name: str(value) for name, value in part.items()} for part in card.fit],
        "entries": [
            {"mission": {"title": entry.mission.title} if entry.mission else None, "score": entry.score,
             "request": _option_shown(entry.request)}
            for entry in card.entries
        ],
        "mutual": card.mutual,
        "can_answer": card.can_answer,
        "response_label": card.response_label,
        "response_tone": card.response_tone,
        "is_interested": card.is_interested,
        "is_not_interested": card.is_not_interested,
        "response_reason": card.response_reason,
    }  # fmt: skip


def cards_html(*, request: HttpRequest, cards: list[PartnerCard], query: str) -> list[SafeString]:
    """The page's cards, each rendered once per distinct content (and language, and `query`: the
    page's filters, which the answer form sends back)."""

    def render(shown: dict[str, Any]) -> str:
        context = {"card": shown["card"], "query": shown["query"], "csrf_token": CSRF_PLACEHOLDER}
        return render_to_string(CARD_TEMPLATES[0], context)

    return cached_fragments(
        shown=[{"card": card_shown(card), "query": query} for card in cards], render=render,
        templates=CARD_TEMPLATES, seconds=FRAGMENT_SECONDS, csrf_token=get_token(request),
    )  # fmt: skip


def filters_html(*, data: QueryDict, options: CardOptions) -> SafeString:
    """The filter form for these options and this query string (only the form's own keys count)."""
    asked = {name: data.getlist(name) for name in PartnerFilterForm.base_fields if name in data}
    bound = bool(data)  # as the page binds it: any query string, even one of other keys (?page=2)
    offered = {"missions": options.missions, "sectors": options.sectors, "countries": options.countries}

    def render(shown: dict[str, Any]) -> str:
        data = QueryDict(mutable=True)
        for name, values in shown["asked"].items():
            data.setlist(name, values)
        offered = shown["offered"]
        options = CardOptions(
            missions=[(pk, title) for pk, title in offered["missions"]],
            sectors=offered["sectors"], countries=offered["countries"],
        )  # fmt: skip
        return render_to_string(
            FILTERS_TEMPLATE, {"filters": PartnerFilterForm(data if shown["bound"] else None, options=options)}
        )

    shown = {"asked": asked, "bound": bound, "offered": offered}
    return cached_fragments(shown=[shown], render=render, templates=(FILTERS_TEMPLATE,), seconds=FRAGMENT_SECONDS)[0]
