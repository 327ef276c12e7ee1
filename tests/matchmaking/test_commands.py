import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from matchmaking.enums import RunSource, RunStatus
from matchmaking.models import MatchRun, Suggestion
from tests.matchmaking.helpers import engine_reasons, engine_views

pytestmark = pytest.mark.django_db


def _match(*args: str) -> str:
    out = StringIO()
    call_command("match", *args, stdout=out)
    return out.getvalue()


def _expected_firms(profiles, **settings) -> list[dict]:
    """Each firm with its partners as the engine ranks them (ref, score, parts and reasons)."""
    views = engine_views(**settings)
    by_id = {c.pk: c for c in profiles}
    parts = {(s.eu_company_id, s.jp_company_id): s.parts for s in Suggestion.objects.all()}
    firms = []
    for company in sorted(profiles, key=lambda c: c.pk):
        partners = []
        for (firm, partner), (rank, score, reasons) in views.items():
            if firm != company.pk:
                continue
            key = (firm, partner) if company.side == "EU" else (partner, firm)
            partners.append({"rank": rank, "id": partner, "ref": by_id[partner].ref, "name": by_id[partner].name,
                             "score": score, "parts": parts[key], "reasons": reasons})  # fmt: skip
        firms.append({"id": company.pk, "ref": company.ref, "name": company.name, "side": company.side,
                      "partners": sorted(partners, key=lambda p: p["rank"])})  # fmt: skip
    return firms


def test_match_command_json_every_firm_with_its_top_partners(profiles):
    profiles[1].ref = "JP-REF-001"
    profiles[1].save()

    report = json.loads(_match("--top", "2", "--json"))

    run = MatchRun.objects.get()
    assert (run.status, run.source, run.created_by) == (RunStatus.SUCCEEDED, RunSource.COMMAND, None)
    assert report["run"] == run.pk
    assert report["counts"] == {"firms": 5, "created": 3, "updated": 0, "kept": 0, "removed": 0}
    assert report["settings"]["top_k"] == 2
    assert report["firms"] == _expected_firms(profiles, top_k=2)
    alpha = report["firms"][0]
    assert [(p["rank"], p["name"], p["ref"]) for p in alpha["partners"]] == [
        (1, "Beta Refining KK", "JP-REF-001"), (2, "Epsilon Recycling KK", None),
    ]  # fmt: skip


def test_match_command_text_summary(profiles):
    out = _match("--top", "1")

    assert (
        out.splitlines()[0]
        == "Alpha Cathodes GmbH [EU]: 1. Beta Refining KK ("
        + str(Suggestion.objects.get(eu_company=profiles[0], jp_company=profiles[1]).score)
        + ")"
    )
    assert out.splitlines()[-1] == (
        f"Run {MatchRun.objects.get().pk}: 5 firms, embeddings off; suggestions 3 created, 0 updated, 0 kept, "
        "0 removed."
    )


def test_match_command_mission_only_participants(profiles, mission):
    report = json.loads(_match("--mission", str(mission.pk), "--json"))

    assert (report["mission"], [f["name"] for f in report["firms"]]) == (
        mission.pk, ["Alpha Cathodes GmbH", "Beta Refining KK"],
    )  # fmt: skip
    assert Suggestion.objects.filter(mission=mission).count() == 1


def test_match_command_unknown_mission_error(db):
    with pytest.raises(CommandError, match="No mission with id 999999."):
        _match("--mission", "999999")


def test_match_command_japanese_reasons(profiles):
    report = json.loads(_match("--json", "--language", "ja"))

    alpha = report["firms"][0]
    assert alpha["partners"][0]["name"] == "Beta Refining KK"
    assert alpha["partners"][0]["reasons"] == engine_reasons(profiles[0], profiles[1])["ja"]
