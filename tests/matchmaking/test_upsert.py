"""suggestions_write: the same rows and counts on PostgreSQL (COPY + set-based SQL) and on the ORM path.

Every test runs twice: `postgresql` goes through suggestions_write as the runs call it (the COPY
path on PostgreSQL; skipped without the server), `orm` calls the portable path directly, as SQLite
always does. The writes of one test share the test's transaction, so a second write also checks
that the staging table of the first one is out of the way. Pairs carry reasons as (en, ja) texts;
rows are compared with their reason ids read back as those texts.
"""

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from matchmaking.enums import DecisionAction, FirmResponse, RunStatus, SuggestionStatus
from matchmaking.models import MatchRun, Reason, Suggestion, SuggestionDecision
from matchmaking.selectors import reason_texts
from matchmaking.services import suggestions_write
from matchmaking.services.reasons import reasons_resolve
from matchmaking.services.upsert import suggestions_write_orm
from tests.events.factories import MissionFactory
from tests.factories import CompanyFactory

ROW = ("run_id", "mission_id", "score", "parts", "reasons_eu", "reasons_jp", "rank_eu", "rank_jp", "status",
       "review_note", "reviewed_by_id", "reviewed_at", "eu_response", "eu_response_reason", "jp_response",
       "jp_response_reason", "meeting_request_id")  # fmt: skip
COUNTS_ZERO = {"created": 0, "updated": 0, "kept": 0, "removed": 0}


def _postgresql_write(**kwargs: Any) -> dict[str, int]:
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path needs PostgreSQL")
    return suggestions_write(**kwargs)


@pytest.fixture(params=[pytest.param(_postgresql_write, id="postgresql", marks=pytest.mark.postgres),
                        pytest.param(suggestions_write_orm, id="orm")])  # fmt: skip
def write(request):
    return request.param


@pytest.fixture
def firms(db):
    """Two EU firms and two JP firms: (eu1, eu2, jp1, jp2) ids."""
    eu = [CompanyFactory(name=f"EU {i}", country="DE").pk for i in (1, 2)]
    jp = [CompanyFactory(name=f"JP {i}", country="JP").pk for i in (1, 2)]
    return (*eu, *jp)


def _run(mission: Any = None) -> MatchRun:
    """A finished run: the one-active-run-per-scope constraint lets a test make as many as it needs."""
    return MatchRun.objects.create(mission=mission, status=RunStatus.SUCCEEDED, settings={})


def _values(score: float, rank_eu: int | None = 1, rank_jp: int | None = 2) -> dict[str, Any]:
    return {
        "score": score, "parts": {"topic": score / 2, "sector": 100.0},
        "reasons_eu": [(f"They refine nickel ({score})", "先方はニッケルを精錬しています")],
        "reasons_jp": [("You make cathodes", f"貴社は正極材を製造（{score}）"),
                       ("Same sector (batteries)", "同じ分野（蓄電池）")],
        "rank_eu": rank_eu, "rank_jp": rank_jp,
    }  # fmt: skip


def _expected(run: MatchRun, values: dict[str, Any], **decisions: Any) -> dict[str, Any]:
    row = {"run_id": run.pk, "mission_id": run.mission_id, **values, "status": SuggestionStatus.PROPOSED,
           "review_note": "", "reviewed_by_id": None, "reviewed_at": None, "eu_response": FirmResponse.NONE,
           "eu_response_reason": "", "jp_response": FirmResponse.NONE, "jp_response_reason": "",
           "meeting_request_id": None}  # fmt: skip
    return row | decisions


def _rows(scope: int = 0) -> dict[tuple[int, int], dict[str, Any]]:
    """(EU id, JP id) -> the ROW fields of each stored pair, reason ids replaced by their (en, ja)."""
    found = list(Suggestion.objects.filter(scope=scope).values("eu_company_id", "jp_company_id", *ROW))
    texts = reason_texts(ids=[pk for r in found for pk in r["reasons_eu"] + r["reasons_jp"]])
    for row in found:
        row["reasons_eu"], row["reasons_jp"] = (
            [texts[pk] for pk in row[name]] for name in ("reasons_eu", "reasons_jp")
        )
    return {(r.pop("eu_company_id"), r.pop("jp_company_id")): r for r in found}


def _decide(pair: tuple[int, int], **fields: Any) -> None:
    Suggestion.objects.filter(eu_company_id=pair[0], jp_company_id=pair[1]).update(**fields)


def test_suggestions_write_fresh_scope_creates_every_pair(write, firms):
    eu1, eu2, jp1, jp2 = firms
    run = _run()
    pairs = {(eu1, jp1): _values(80.5), (eu1, jp2): _values(61.0, rank_jp=None), (eu2, jp1): _values(42.25, None, 1)}

    counts = write(run=run, pairs=pairs)

    assert counts == COUNTS_ZERO | {"created": 3}
    assert _rows() == {key: _expected(run, values) for key, values in pairs.items()}
    assert Suggestion.objects.filter(created_at__isnull=False, updated_at__isnull=False, scope=0).count() == 3


def test_suggestions_write_rerun_updates_every_pair_without_duplicates(write, firms):
    eu1, eu2, jp1, jp2 = firms
    first = _run()
    write(run=first, pairs={(eu1, jp1): _values(80.0), (eu2, jp2): _values(50.0)})
    created_at = dict(Suggestion.objects.values_list("eu_company_id", "created_at"))
    again = _run()
    pairs = {(eu1, jp1): _values(70.0, 2, 3), (eu2, jp2): _values(55.5, None, 1)}

    counts = write(run=again, pairs=pairs)
    same = write(run=again, pairs=pairs)

    assert counts == same == COUNTS_ZERO | {"updated": 2}
    assert _rows() == {key: _expected(again, values) for key, values in pairs.items()}
    assert dict(Suggestion.objects.values_list("eu_company_id", "created_at")) == created_at


def test_suggestions_write_rerun_leaves_reviews_and_answers(write, firms, admin_user):
    eu1, eu2, jp1, jp2 = firms
    write(run=_run(), pairs={(eu1, jp1): _values(80.0), (eu1, jp2): _values(60.0), (eu2, jp1): _values(40.0)})
    reviewed = {"reviewed_by_id": admin_user.pk, "reviewed_at": Suggestion.objects.first().created_at}
    decisions = {
        (eu1, jp1): {"status": SuggestionStatus.APPROVED, "review_note": "良い組み合わせ", **reviewed,
                     "eu_response": FirmResponse.INTERESTED, "eu_response_reason": "Yes",
                     "jp_response": FirmResponse.NOT_INTERESTED, "jp_response_reason": "今は不要"},
        (eu1, jp2): {"status": SuggestionStatus.REJECTED, "review_note": "Too early", **reviewed},
    }  # fmt: skip
    for pair, fields in decisions.items():
        _decide(pair, **fields)
    again = _run()
    pairs = {(eu1, jp1): _values(81.0), (eu1, jp2): _values(61.0), (eu2, jp1): _values(41.0)}

    counts = write(run=again, pairs=pairs)

    assert counts == COUNTS_ZERO | {"updated": 3}
    assert _rows() == {key: _expected(again, values, **decisions.get(key, {})) for key, values in pairs.items()}


def test_suggestions_write_pair_gone_kept_when_decided_removed_when_not(write, firms):
    eu1, eu2, jp1, jp2 = firms
    first = _run()
    old = {(eu1, jp1): _values(80.0), (eu1, jp2): _values(60.0), (eu2, jp1): _values(40.0), (eu2, jp2): _values(30.0)}
    write(run=first, pairs=old)
    _decide((eu1, jp2), status=SuggestionStatus.REJECTED)
    _decide((eu2, jp1), status=SuggestionStatus.APPROVED, jp_response=FirmResponse.INTERESTED)
    again = _run()

    counts = write(run=again, pairs={(eu1, jp1): _values(85.0)})

    assert counts == {"created": 0, "updated": 1, "kept": 2, "removed": 1}
    assert _rows() == {
        (eu1, jp1): _expected(again, _values(85.0)),
        (eu1, jp2): _expected(first, old[(eu1, jp2)], status=SuggestionStatus.REJECTED),
        (eu2, jp1): _expected(first, old[(eu2, jp1)], status=SuggestionStatus.APPROVED,
                              jp_response=FirmResponse.INTERESTED),
    }  # fmt: skip


def test_suggestions_write_removed_pair_takes_its_log_along(write, firms, admin_user):
    eu1, eu2, jp1, jp2 = firms
    write(run=_run(), pairs={(eu1, jp1): _values(80.0), (eu2, jp2): _values(60.0)})
    kept, removed = (Suggestion.objects.get(eu_company_id=eu) for eu in (eu1, eu2))
    for suggestion in (kept, removed):
        SuggestionDecision.objects.create(suggestion=suggestion, user=admin_user, action=DecisionAction.APPROVED)

    counts = write(run=_run(), pairs={(eu1, jp1): _values(80.0)})

    assert counts == {"created": 0, "updated": 1, "kept": 0, "removed": 1}
    assert list(SuggestionDecision.objects.values_list("suggestion_id", flat=True)) == [kept.pk]


def test_suggestions_write_touching_concerns_only_that_firm(write, firms):
    eu1, eu2, jp1, jp2 = firms
    first = _run()
    old = {(eu1, jp1): _values(80.0), (eu1, jp2): _values(60.0), (eu2, jp1): _values(40.0), (eu2, jp2): _values(30.0)}
    write(run=first, pairs=old)
    again = _run()

    counts = write(run=again, pairs={(eu1, jp1): _values(90.0)}, touching=eu1)

    assert counts == {"created": 0, "updated": 1, "kept": 0, "removed": 1}
    assert _rows() == {
        (eu1, jp1): _expected(again, _values(90.0)),
        (eu2, jp1): _expected(first, old[(eu2, jp1)]),
        (eu2, jp2): _expected(first, old[(eu2, jp2)]),
    }


def test_suggestions_write_touching_without_pairs_drops_the_firms_undecided(write, firms):
    eu1, eu2, jp1, jp2 = firms
    first = _run()
    old = {(eu1, jp1): _values(80.0), (eu2, jp1): _values(40.0), (eu2, jp2): _values(30.0)}
    write(run=first, pairs=old)
    _decide((eu2, jp1), status=SuggestionStatus.REJECTED)

    counts = write(run=_run(), pairs={}, touching=jp1)

    assert counts == {"created": 0, "updated": 0, "kept": 1, "removed": 1}
    assert _rows() == {
        (eu2, jp1): _expected(first, old[(eu2, jp1)], status=SuggestionStatus.REJECTED),
        (eu2, jp2): _expected(first, old[(eu2, jp2)]),
    }


def test_suggestions_write_json_and_japanese_text_round_trip(write, firms):
    eu1, _eu2, jp1, jp2 = firms
    run = _run()
    values = {
        "score": 33.333333333333336,
        "parts": {"complementarity": 0.1, "topic": 1e-7, "supply_security": 100.0, 'odd "part"\t\\N\n 5%s': 2.5},
        "reasons_eu": [('They seek "battery grade"\tnickel\\sulphate\nfrom you',
                        "先方は硫酸ニッケル（バッテリーグレード）を探しています。"), ("∅ ✓ 😀", "〜、・「」")],
        "reasons_jp": [("", "貴社は\\正極材\tを製造\r\nしています")],
        "rank_eu": 32767, "rank_jp": None,
    }  # fmt: skip

    whole_numbers = _values(40.0) | {"parts": {"topic": 40, "sector": 100.0}}  # an int is no float

    write(run=run, pairs={(eu1, jp1): values, (eu1, jp2): whole_numbers})

    assert _rows() == {(eu1, jp1): _expected(run, values), (eu1, jp2): _expected(run, whole_numbers)}


def test_suggestions_write_mission_scope_apart_from_all_firms(write, firms):
    eu1, eu2, jp1, jp2 = firms
    mission = MissionFactory()
    everyone, in_mission = _run(), _run(mission)
    pairs = {(eu1, jp1): _values(80.0), (eu2, jp2): _values(30.0)}
    write(run=everyone, pairs=pairs)

    first = write(run=in_mission, pairs=pairs)
    later = _run(mission)
    second = write(run=later, pairs={(eu1, jp2): _values(50.0)})

    assert first == COUNTS_ZERO | {"created": 2}
    assert second == {"created": 1, "updated": 0, "kept": 0, "removed": 2}
    assert _rows(scope=0) == {key: _expected(everyone, values) for key, values in pairs.items()}
    assert _rows(scope=mission.pk) == {(eu1, jp2): _expected(later, _values(50.0))}  # mission_id = the mission


def test_suggestions_write_each_reason_text_stored_once(write, firms):
    eu1, eu2, jp1, jp2 = firms
    shared = ("Same sector (batteries)", "同じ分野（蓄電池）")
    pairs = {(eu, jp): _values(50.0) | {"reasons_eu": [shared], "reasons_jp": [shared, ("Only English", "")]}
             for eu in (eu1, eu2) for jp in (jp1, jp2)}  # fmt: skip

    write(run=_run(), pairs=pairs)

    assert sorted(Reason.objects.values_list("en", "ja")) == [("Only English", ""), shared]
    same, english = Reason.objects.get(en=shared[0]).pk, Reason.objects.get(en="Only English").pk
    assert list(Suggestion.objects.values_list("reasons_eu", "reasons_jp")) == [([same], [same, english])] * 4


def test_suggestions_write_second_run_same_sentences_adds_no_reason(write, firms):
    eu1, eu2, jp1, jp2 = firms
    write(run=_run(), pairs={(eu1, jp1): _values(80.0), (eu2, jp2): _values(60.0)})
    reasons_before = list(Reason.objects.values_list("id", "en", "ja"))
    ids_before = dict(Suggestion.objects.values_list("eu_company_id", "reasons_eu"))

    counts = write(run=_run(), pairs={(eu1, jp1): _values(80.0, 3, 4), (eu2, jp2): _values(60.0, None, 1)})

    assert counts == COUNTS_ZERO | {"updated": 2}
    assert list(Reason.objects.values_list("id", "en", "ja")) == reasons_before
    assert dict(Suggestion.objects.values_list("eu_company_id", "reasons_eu")) == ids_before


def test_reasons_resolve_finds_stored_and_adds_new_texts(db):
    old = Reason.objects.create(en="They refine nickel", ja="先方はニッケルを精錬しています")
    texts = [("They refine nickel", "先方はニッケルを精錬しています"), ("They refine nickel", ""), ("", "日本語のみ")]

    ids = reasons_resolve(texts=texts)

    assert ids[texts[0]] == old.pk
    assert {text: (r.en, r.ja) for text, r in ((t, Reason.objects.get(pk=ids[t])) for t in texts)} == {
        t: t for t in texts
    }
    assert Reason.objects.count() == 3
    assert reasons_resolve(texts=texts) == ids


@pytest.mark.postgres
def test_suggestions_write_copy_path_stores_what_the_orm_path_stores(firms, admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("compares the COPY path with the ORM path on PostgreSQL")
    eu1, eu2, jp1, jp2 = firms
    pairs = {(eu1, jp1): _values(80.0), (eu1, jp2): _values(60.0, None, 4), (eu2, jp1): _values(40.0, 7, None)}
    stored, counts = [], []
    for path in (suggestions_write_orm, suggestions_write):
        run = _run()
        counts.append(path(run=run, pairs=pairs))
        _decide((eu1, jp1), status=SuggestionStatus.APPROVED, reviewed_by=admin_user)
        counts.append(path(run=run, pairs={(eu1, jp1): _values(81.0), (eu2, jp2): _values(20.0)}))
        stored.append({key: row | {"run_id": None} for key, row in _rows().items()})
        Suggestion.objects.all().delete()

    assert counts[:2] == counts[2:] == [COUNTS_ZERO | {"created": 3}, {"created": 1, "updated": 1, "kept": 0,
                                                                        "removed": 2}]  # fmt: skip
    assert stored[0] == stored[1]


@pytest.mark.django_db(transaction=True)
def test_suggestions_write_outside_a_transaction_refused(firms):
    eu1, _eu2, jp1, _jp2 = firms

    with pytest.raises(TransactionManagementError):
        suggestions_write(run=_run(), pairs={(eu1, jp1): _values(80.0)})

    assert Suggestion.objects.count() == 0
    with transaction.atomic():
        assert suggestions_write(run=_run(), pairs={(eu1, jp1): _values(80.0)}) == COUNTS_ZERO | {"created": 1}


def _write_in_thread(path: Any, result: dict[str, Any], **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            result["counts"] = path(**kwargs)
    finally:
        connection.close()  # this thread's own connection


def _wait_until_a_query_waits_for_a_lock() -> None:
    with connection.cursor() as cursor:
        for _attempt in range(200):
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the view stays as first read in this transaction
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                           " AND wait_event_type = 'Lock'")  # fmt: skip
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the write never waited for the review's lock")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", [suggestions_write, suggestions_write_orm], ids=["postgresql", "orm"])
def test_suggestions_write_pair_approved_while_the_write_waits_is_kept(path, firms):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections need PostgreSQL")
    eu1, _eu2, jp1, jp2 = firms
    with transaction.atomic():
        suggestions_write(run=_run(), pairs={(eu1, jp1): _values(80.0), (eu1, jp2): _values(60.0)})
    result: dict[str, Any] = {}
    writer = threading.Thread(target=_write_in_thread, args=(path, result),
                              kwargs={"run": _run(), "pairs": {(eu1, jp1): _values(81.0)}})  # fmt: skip

    with transaction.atomic():  # a review holding the row's lock while the run drops the pair
        Suggestion.objects.select_for_update().filter(jp_company_id=jp2).update(status=SuggestionStatus.APPROVED)
        writer.start()
        _wait_until_a_query_waits_for_a_lock()
    writer.join(timeout=30)

    assert result["counts"] == {"created": 0, "updated": 1, "kept": 1, "removed": 0}
    assert dict(Suggestion.objects.values_list("jp_company_id", "status")) == {
        jp1: SuggestionStatus.PROPOSED, jp2: SuggestionStatus.APPROVED,
    }  # fmt: skip


def _resolve_in_thread(result: dict[str, Any], texts: list[tuple[str, str]]) -> None:
    try:
        with transaction.atomic():
            result["ids"] = reasons_resolve(texts=texts)
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reasons_resolve_same_new_text_in_two_transactions_stored_once():
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL")
    mine, theirs = [("A", "あ"), ("B", "い")], [("B", "い"), ("C", "う")]
    result: dict[str, Any] = {}
    other = threading.Thread(target=_resolve_in_thread, args=(result, theirs))

    with transaction.atomic():  # B inserted here and not committed: the other INSERT must wait for it
        ids = reasons_resolve(texts=mine)
        other.start()
        _wait_until_a_query_waits_for_a_lock()
    other.join(timeout=30)

    assert result["ids"] == {("B", "い"): ids[("B", "い")], ("C", "う"): result["ids"][("C", "う")]}
    assert sorted(Reason.objects.values_list("en", flat=True)) == ["A", "B", "C"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", [suggestions_write, suggestions_write_orm], ids=["postgresql", "orm"])
def test_suggestions_write_two_scopes_at_once_share_new_reasons(path, firms):
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL")
    eu1, _eu2, jp1, _jp2 = firms
    mission = MissionFactory()
    result: dict[str, Any] = {}
    writer = threading.Thread(target=_write_in_thread, args=(path, result),
                              kwargs={"run": _run(mission), "pairs": {(eu1, jp1): _values(70.0)}})  # fmt: skip

    with transaction.atomic():  # the run of every firm adds the sentences and has not committed yet
        first = path(run=_run(), pairs={(eu1, jp1): _values(70.0)})
        writer.start()
        _wait_until_a_query_waits_for_a_lock()
    writer.join(timeout=30)

    assert first == result["counts"] == COUNTS_ZERO | {"created": 1}
    assert Reason.objects.count() == 3
    everyone, in_mission = Suggestion.objects.order_by("scope").values_list("reasons_eu", "reasons_jp")
    assert everyone == in_mission  # the same Reason ids
    assert _rows(scope=mission.pk)[(eu1, jp1)]["reasons_jp"] == _values(70.0)["reasons_jp"]
