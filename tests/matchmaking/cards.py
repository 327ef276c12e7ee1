"""Approved suggestions written directly (no engine run), for the partner card tests."""

from typing import Any

from matchmaking.enums import SuggestionStatus
from matchmaking.models import Reason, Suggestion


def reason_ids(*texts: tuple[str, str]) -> list[int]:
    return [Reason.objects.get_or_create(en=en, ja=ja)[0].pk for en, ja in texts]


def suggest(eu: Any, jp: Any, *, mission: Any = None, score: float = 50.0, **fields: Any) -> Suggestion:
    """An approved suggestion of the pair in `mission` (None: all approved companies)."""
    fields.setdefault("status", SuggestionStatus.APPROVED)
    return Suggestion.objects.create(
        eu_company=eu, jp_company=jp, mission=mission, scope=mission.pk if mission else 0, score=score, **fields
    )
