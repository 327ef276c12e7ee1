"""Reads for matching: engine inputs from approved companies, runs, and who may see which suggestion."""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext

from accounts.models import User
from companies import vocabulary
from companies.enums import CompanyStatus
from companies.models import Company, SupplyDependency
from companies.selectors import user_company
from events.enums import OPEN_REQUEST_STATUSES, MissionAction, RequestStatus
from events.models import MeetingRequest, Mission, Participation
from events.selectors import mission_can_manage, mission_takes_requests, missions_managed_by
from matchmaking.enums import FirmResponse, FitLevel, ScorePart, SuggestionStatus
from matchmaking.models import MatchRun, Reason, Suggestion, SuggestionDecision

# --- Engine inputs -------------------------------------------------------------------------------


def match_population(*, mission: Mission | None = None) -> QuerySet[Company]:
    """The firms a run of this scope matches: approved companies, or the approved participants of a mission."""
    qs = Company.objects.filter(status=CompanyStatus.APPROVED)
    if mission is not None:
        qs = qs.filter(participations__mission=mission)
    return qs.order_by("id")


def company_profile_record(company: Company) -> dict[str, Any]:
    """One company as the engine's plain profile dict (matchmaking.engine.profile_from_dict reads it)."""
    return {
        "id": company.pk,
        "side": vocabulary.side_of(company.country),
        "country": company.country,
        "sectors": list(company.sectors),
        "stages": list(company.stages),
        "partnership_types": list(company.partnership_types),
        "materials": list(company.materials),
        "supply_dependencies": [
            {"material": d.material, "source_country": d.source_country, "share_percent": d.share_percent}
            for d in company.dependencies.all()
        ],
        "description": company.description,
        "offer": company.offer,
        "seek": company.seek,
        "keywords": company.keywords,
        "language": company.text_language,
    }


def match_profile_records(*, mission: Mission | None = None) -> list[dict[str, Any]]:
    """JSON-ready engine inputs of a scope, ordered by id: one query for companies, one for dependencies."""
    dependencies = Prefetch("dependencies", queryset=SupplyDependency.objects.order_by("material", "source_country"))
    companies = match_population(mission=mission).prefetch_related(dependencies)
    return [company_profile_record(c) for c in companies]


# --- Runs ----------------------------------------------------------------------------------------


def match_run_can_start(*, user: User, mission: Mission | None) -> bool:
    """Admins run any scope; organisers only the missions they organise."""
    if not user.is_authenticated:
        return False
    if mission is None:
        return user.is_staff
    return mission_can_manage(user=user, mission=mission)


def match_run_can_view(*, user: User, run: MatchRun) -> bool:
    return match_run_can_start(user=user, mission=run.mission)


def match_runs_visible_to(user: User) -> QuerySet[MatchRun]:
    qs = MatchRun.objects.select_related("mission", "created_by")
    if not user.is_authenticated:
        return qs.none()
    if user.is_staff:
        return qs
    return qs.filter(mission__in=missions_managed_by(user))


def match_run_get(*, pk: int) -> MatchRun | None:
    return MatchRun.objects.select_related("mission", "created_by").filter(pk=pk).first()


def match_run_latest_succeeded(*, mission: Mission | None) -> MatchRun | None:
    qs = MatchRun.objects.filter(status="succeeded", mission=mission)
    return qs.order_by("-finished_at", "-id").first()


def match_run_firm_lists(*, run: MatchRun, language: str = "en") -> list[dict[str, Any]]:
    """Every firm of the run's scope with its ranked partners from this run (what `match --json` prints)."""
    firms = {c.pk: c for c in match_population(mission=run.mission)}
    lists: dict[int, list[dict[str, Any]]] = {pk: [] for pk in firms}
    pairs = suggestions_with_reasons(Suggestion.objects.filter(run=run).select_related("eu_company", "jp_company"))
    for pair in pairs:
        for side, other in (("eu", "jp"), ("jp", "eu")):
            rank, firm = getattr(pair, f"rank_{side}"), getattr(pair, f"{side}_company_id")
            if rank is None or firm not in lists:
                continue
            partner, reasons = getattr(pair, f"{other}_company"), pair.reason_texts[side]
            lists[firm].append({
                "rank": rank, "id": partner.pk, "ref": partner.ref, "name": partner.name, "score": pair.score,
                "parts": pair.parts, "reasons": reasons_in_language(reasons, language),
            })  # fmt: skip
    return [
        {"id": pk, "ref": firms[pk].ref, "name": firms[pk].name, "side": firms[pk].side,
         "partners": sorted(lists[pk], key=lambda p: p["rank"])}
        for pk in sorted(firms)
    ]  # fmt: skip


def missions_for_matching(user: User) -> QuerySet[Mission]:
    """Missions the user may start a run for now (the run form's choices): managed, and in a phase
    where matching runs (events.phases)."""
    from events.phases import ALLOWED

    phases = ALLOWED[MissionAction.RUN_MATCHING]
    return missions_managed_by(user).filter(phase__in=phases).order_by("-created_at", "-id")


# --- Suggestions ---------------------------------------------------------------------------------

SUGGESTION_ORDERINGS = {
    "score": ("score", "id"),
    "-score": ("-score", "id"),
    "eu": ("eu_company__name", "id"),
    "jp": ("jp_company__name", "id"),
    "updated": ("-updated_at", "id"),
}


def _with_relations(qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    return qs.select_related("eu_company", "jp_company", "mission", "reviewed_by")


def suggestion_review_queue(
    *,
    mission: Mission | None = None,
    scope_all: bool = False,
    status: str = "",
    eu_sector: str = "",
    jp_sector: str = "",
    score_min: float | None = None,
    score_max: float | None = None,
    ordering: str = "-score",
) -> QuerySet[Suggestion]:
    """Suggestions for admins to review, filtered and sorted. `scope_all` keeps only mission-less ones.

    A sector pair filters the EU firm's and the JP firm's sectors (each a JSON list, searched for the
    quoted code, which works on PostgreSQL and SQLite alike).
    """
    qs = _with_relations(Suggestion.objects.all())
    if mission is not None:
        qs = qs.filter(mission=mission)
    elif scope_all:
        qs = qs.filter(mission__isnull=True)
    if status:
        qs = qs.filter(status=status)
    if eu_sector:
        qs = qs.filter(eu_company__sectors__icontains=f'"{eu_sector}"')
    if jp_sector:
        qs = qs.filter(jp_company__sectors__icontains=f'"{jp_sector}"')
    if score_min is not None:
        qs = qs.filter(score__gte=score_min)
    if score_max is not None:
        qs = qs.filter(score__lte=score_max)
    return qs.order_by(*SUGGESTION_ORDERINGS.get(ordering, SUGGESTION_ORDERINGS["-score"]))


def suggestion_review_row(*, pk: int) -> Suggestion | None:
    """One suggestion as a row of the review queue (relations and reasons read)."""
    found = _with_relations(Suggestion.objects.filter(pk=pk))
    return next(iter(suggestions_with_reasons(found)), None)


def match_pair_partners(*, company: Company, scope: int) -> set[int]:
    """Ids of the firms paired with this company in a scope (mission id, 0 for all companies)."""
    pairs = Suggestion.objects.filter(Q(eu_company=company) | Q(jp_company=company), scope=scope)
    return {eu if eu != company.pk else jp for eu, jp in pairs.values_list("eu_company_id", "jp_company_id")}


def suggestions_for_company(*, company: Company) -> QuerySet[Suggestion]:
    """What a firm sees: approved suggestions that include it, best first. Never another firm's, and
    never one whose partner is no longer public (a kept pair of a profile withdrawn since)."""
    qs = Suggestion.objects.filter(
        Q(eu_company=company) | Q(jp_company=company),
        status=SuggestionStatus.APPROVED,
        eu_company__status=CompanyStatus.APPROVED,
        jp_company__status=CompanyStatus.APPROVED,
    )
    return _with_relations(qs).order_by("-score", "id")


def suggestions_visible_to(user: User) -> QuerySet[Suggestion]:
    """Admins see every suggestion; a firm member the approved ones of their firm; others none."""
    if not user.is_authenticated:
        return Suggestion.objects.none()
    if user.is_staff:
        return _with_relations(Suggestion.objects.all())
    company = user_company(user)
    if company is None:
        return Suggestion.objects.none()
    return suggestions_for_company(company=company)


def suggestion_side_of(*, user: User, suggestion: Suggestion) -> str | None:
    """'eu' or 'jp' when the user is a member of that firm of the suggestion, else None."""
    company = user_company(user)
    if company is None:
        return None
    if company.pk == suggestion.eu_company_id:
        return "eu"
    if company.pk == suggestion.jp_company_id:
        return "jp"
    return None


def suggestion_decisions(*, suggestion: Suggestion) -> QuerySet[SuggestionDecision]:
    return suggestion.decisions.select_related("user", "company").order_by("at", "id")


def suggestion_view_for(*, suggestion: Suggestion, side: str, language: str = "en") -> dict[str, Any]:
    """The suggestion as one firm sees it: the partner, its reasons and rank, the answers so far.
    The suggestion comes from suggestions_with_reasons (its `reason_texts` are set)."""
    other = "jp" if side == "eu" else "eu"
    return {
        "suggestion": suggestion,
        "partner": getattr(suggestion, f"{other}_company"),
        "score": suggestion.score,
        "parts": suggestion.parts,
        "fit": parts_as_fit(suggestion.parts),
        "reasons": reasons_in_language(suggestion.reason_texts[side], language),
        "rank": getattr(suggestion, f"rank_{side}"),
        "response": getattr(suggestion, f"{side}_response"),
        "response_label": FirmResponse(getattr(suggestion, f"{side}_response")).label,
        "response_reason": getattr(suggestion, f"{side}_response_reason"),
        "mutual": suggestion.both_interested,
    }


def suggestion_views_for(*, suggestions: Iterable[Suggestion], company: Company, language: str) -> list[dict[str, Any]]:
    """Each suggestion as this firm, one of its two, sees it (suggestion_view_for); one query for all reasons."""
    return [
        suggestion_view_for(suggestion=s, side="eu" if s.eu_company_id == company.pk else "jp", language=language)
        for s in suggestions_with_reasons(suggestions)
    ]


# --- Meeting requests from suggestions ---------------------------------------------------------


@dataclass(frozen=True)
class RequestOption:
    """What a firm's suggestion offers about meeting requests: `state` is "open" (a link to the
    pre-filled request page), "sent" or "received" (a pending request), "agreed" (an accepted one)
    or "closed" (the mission takes no requests now; `text` says why). `url` may be empty."""

    state: str
    text: str
    url: str = ""

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def tone(self) -> str:
        """The badge tone of the state (docs/ui: ok, info, warn, muted)."""
        return {"agreed": "ok", "sent": "info", "received": "warn"}.get(self.state, "muted")


def suggestion_request_options(
    *, suggestions: Sequence[Suggestion], company: Company
) -> dict[int, RequestOption | None]:
    """Suggestion id -> the meeting request `company` can make from it, or None when the suggestion
    has no mission or one of the two firms does not take part in it. Two queries for any number of
    suggestions: the participations, then the open requests between them."""
    in_missions = [s for s in suggestions if s.mission_id is not None]
    partner = {s.pk: s.jp_company_id if s.eu_company_id == company.pk else s.eu_company_id for s in in_missions}
    firms = {company.pk, *partner.values()}
    found: dict[tuple[int | None, int], Participation] = {
        (p.mission_id, p.company_id): p
        for p in Participation.objects.filter(mission_id__in={s.mission_id for s in in_missions}, company_id__in=firms)
    }
    mine = [p for (_mission, firm), p in found.items() if firm == company.pk]
    open_requests = {
        frozenset((r.requester_id, r.recipient_id)): r
        for r in MeetingRequest.objects.filter(
            Q(requester__in=mine) | Q(recipient__in=mine), status__in=OPEN_REQUEST_STATUSES
        )
    }
    options: dict[int, RequestOption | None] = {s.pk: None for s in suggestions}
    for s in in_missions:
        ours, theirs = found.get((s.mission_id, company.pk)), found.get((s.mission_id, partner[s.pk]))
        if ours is not None and theirs is not None:
            existing = open_requests.get(frozenset((ours.pk, theirs.pk)))
            options[s.pk] = _request_option(s, ours, theirs, existing)
    return options


def _request_option(
    suggestion: Suggestion, mine: Participation, theirs: Participation, existing: MeetingRequest | None
) -> RequestOption:
    requests_url = reverse("events:my_requests", args=[suggestion.mission_id])
    if existing is not None and existing.status == RequestStatus.ACCEPTED:
        return RequestOption(state="agreed", text=gettext("Meeting agreed"), url=requests_url)
    if existing is not None and existing.requester_id == mine.pk:
        return RequestOption(state="sent", text=gettext("Request sent"), url=requests_url)
    if existing is not None:
        return RequestOption(state="received", text=gettext("They asked you for a meeting"), url=requests_url)
    if suggestion.mission is None or not mission_takes_requests(mission=suggestion.mission):
        return RequestOption(state="closed", text=gettext("This mission does not take meeting requests now."))
    query = urlencode({"to": theirs.pk, "suggestion": suggestion.pk})
    url = f"{reverse('events:request_create', args=[suggestion.mission_id])}?{query}"
    return RequestOption(state="open", text=gettext("Request a meeting"), url=url)


def suggestion_request_initial(*, participation: Participation, suggestion_id: str, language: str) -> dict[str, Any]:
    """Initial values of the request form of `participation` from one of its firm's suggestions in
    that mission: the partner's participation and a message with the reasons in `language`.
    Empty when the id is not a number or not such a suggestion, or the partner does not take part."""
    if not suggestion_id.isdecimal():  # isdigit() also accepts "²", which int() refuses
        return {}
    suggestion = (
        suggestions_for_company(company=participation.company)
        .filter(pk=int(suggestion_id), mission_id=participation.mission_id)
        .first()
    )
    if suggestion is None:
        return {}
    side = "eu" if suggestion.eu_company_id == participation.company_id else "jp"
    partner_id = suggestion.jp_company_id if side == "eu" else suggestion.eu_company_id
    partner = Participation.objects.filter(mission_id=participation.mission_id, company_id=partner_id).first()
    if partner is None:
        return {}
    (suggestion,) = suggestions_with_reasons([suggestion])
    other = "jp" if side == "eu" else "eu"
    return {
        "recipient": partner.pk,
        "message": suggestion_request_message(suggestion, recipient_side=other, language=language),
    }


def suggestion_request_message(suggestion: Suggestion, *, recipient_side: str, language: str) -> str:
    """A request's message from a suggestion, written for the firm that receives it.

    The engine words each side's reasons for that side ("you" is the reader, "they" the partner:
    matchmaking.engine.reasons), so the recipient's own reasons read right in the sender's message:
    "They offer what you seek" is then the sender speaking of itself to the recipient. The suggestion
    comes from suggestions_with_reasons; the text is in `language`."""
    with translation.override(language):
        reasons = reasons_in_language(suggestion.reason_texts[recipient_side], language)
        intro = gettext(
            "Kizuna suggested our two firms to each other and we would like to meet you. "
            "Why we are a match, as Kizuna explains it to your firm:"
        )
        if not reasons:
            return gettext("Kizuna suggested our two firms to each other and we would like to meet you.")
        return "\n".join([intro, *(f"- {reason}" for reason in reasons)])


# --- Score parts in words, for firms ---------------------------------------------------------------

FIT_FROM: tuple[tuple[float, FitLevel], ...] = (
    (70.0, FitLevel.STRONG),
    (40.0, FitLevel.GOOD),
    (15.0, FitLevel.SOME),
)
"""A part (0-100) at or above each bound reads as that level, below the last as weak. A shared
sector, an adjacent stage or fitting partnership types give 100 (strong); peers at one stage give
30 (some); a text part of 40 is a cosine of 0.2, which TF-IDF texts about the same thing reach
(good), and under 15 (cosine 0.075) they share little beyond a word or two (weak)."""


def part_fit(value: float) -> FitLevel:
    """A score part (0-100) in words: strong, good, some or weak fit (FIT_FROM)."""
    return next((level for bound, level in FIT_FROM if value >= bound), FitLevel.WEAK)


def parts_as_fit(parts: dict[str, float] | None) -> list[dict[str, str]]:
    """Each part as {"part", "label", "level", "level_label"} in the engine's order (parts the
    labels do not know yet come last, under their own name), for firms, who see words, not numbers."""
    named = sorted((parts or {}).items(), key=lambda item: _PART_ORDER.get(item[0], len(_PART_ORDER)))
    part_labels, level_labels = _fit_words(translation.get_language())
    found = []
    for name, value in named:
        level = part_fit(float(value)).value
        label = part_labels.get(name, name)
        found.append({"part": name, "label": label, "level": level, "level_label": level_labels[level]})
    return found


# The engine's order of the parts, and their labels and the levels' per language, looked up once:
# parts_as_fit runs for every card of a page (ten cards, nine parts each), and each lazy label is a
# gettext call when shown. The catalogues do not change while the process runs.
_PART_ORDER = {name: index for index, name in enumerate(ScorePart.values)}


@functools.cache
def _fit_words(language: str | None) -> tuple[dict[str, str], dict[str, str]]:
    with translation.override(language):
        parts = {part.value: str(part.label) for part in ScorePart}
        return parts, {level.value: str(level.label) for level in FitLevel}


# --- Reasons -------------------------------------------------------------------------------------


def reason_texts(*, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Reason id -> (English, Japanese), in one query (on SQLite, one per 999 ids)."""
    wanted = sorted(set(ids))
    size = connection.ops.bulk_batch_size(["id"], wanted) or 1
    texts: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), size):
        chunk = wanted[start : start + size]
        texts.update((pk, (en, ja)) for pk, en, ja in Reason.objects.filter(pk__in=chunk).values_list("id", "en", "ja"))
    return texts


def reasons_as_texts(ids: Iterable[int], texts: dict[int, tuple[str, str]]) -> dict[str, list[str]]:
    """One side's reason ids as {"en": [...], "ja": [...]}, the shape the API and the pages show.

    A sentence empty in one language is left out of that language's list, so data stored as two
    lists of unequal length (the data migration paired them with "") reads back as it was written.
    """
    found = [texts[pk] for pk in ids if pk in texts]
    return {"en": [en for en, _ja in found if en], "ja": [ja for _en, ja in found if ja]}


def reasons_in_language(reasons: dict[str, list[str]] | None, language: str) -> list[str]:
    """{"en": [...], "ja": [...]} -> the list in `language`, English when that one is empty."""
    reasons = reasons or {}
    return reasons.get(language) or reasons.get("en") or []


def suggestions_with_reasons(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """The suggestions (a queryset is evaluated), each with `reason_texts`:
    {"eu": {"en": [...], "ja": [...]}, "jp": {...}}, read in one query for all of them."""
    found = list(suggestions)
    texts = reason_texts(ids=(pk for s in found for pk in [*s.reasons_eu, *s.reasons_jp]))
    for s in found:
        s.reason_texts = {side: reasons_as_texts(getattr(s, f"reasons_{side}"), texts) for side in ("eu", "jp")}
    return found


# --- Ranking model -------------------------------------------------------------------------------


def ranking_model_current() -> dict[str, Any]:
    """The weights new runs score with: the active RankingModel, else the model shipped with the
    engine. Keys: version, weights, weights_embedding."""
    from matchmaking.models import RankingModel

    active = RankingModel.objects.filter(active=True).values("version", "weights", "weights_embedding").first()
    if active is not None:
        return dict(active)
    from matchmaking.engine.records import RANKER

    return {key: RANKER[key] for key in ("version", "weights", "weights_embedding")}
