from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.enums import CompanyStatus
from events.enums import MissionPhase, Priority, RequestSource, RequestStatus
from events.models import MeetingRequest
from matchmaking import services
from matchmaking.enums import DecisionAction, FirmResponse, RunSource, RunStatus, ScorePart, SuggestionStatus
from matchmaking.models import MatchRun, Reason, Suggestion
from matchmaking.services.runs import REFRESH_ONE_BY_ONE
from tests.factories import MembershipFactory
from tests.matchmaking.helpers import (
    db_views,
    engine_reasons,
    engine_views,
    names,
    pairs_of,
    reasons_of,
    run_now,
    stored,
)

pytestmark = pytest.mark.django_db

EXPECTED_PAIRS = {
    ("Alpha Cathodes GmbH", "Beta Refining KK"),
    ("Alpha Cathodes GmbH", "Epsilon Recycling KK"),
    ("Gamma Antibodies BV", "Delta Biologics KK"),
}


def _pair(eu, jp, scope: int = 0) -> Suggestion:
    return Suggestion.objects.get(eu_company=eu, jp_company=jp, scope=scope)


def test_score_parts_enum_equals_engine_parts():
    from matchmaking.engine import PARTS

    assert tuple(ScorePart.values) == PARTS


def test_match_run_execute_stores_what_the_engine_matches(profiles, admin_user):
    company_a, company_b = profiles[0], profiles[1]

    run = run_now(user=admin_user)

    assert (run.status, run.error, run.firms, run.blocks_total, run.blocks_done, run.progress) == (
        RunStatus.SUCCEEDED, "", 5, 2, [0, 1], 100,  # one block per side
    )  # fmt: skip
    assert names() == EXPECTED_PAIRS
    assert db_views() == engine_views()
    assert (run.suggestions_created, run.suggestions_updated, run.suggestions_kept, run.suggestions_removed) == (
        3, 0, 0, 0,
    )  # fmt: skip
    best = _pair(company_a, company_b)
    assert (best.rank_eu, best.rank_jp, best.run_id, best.mission_id, best.status) == (
        1, 1, run.pk, None, SuggestionStatus.PROPOSED,
    )  # fmt: skip
    assert "Would cut your 80% dependence on one country for nickel" in reasons_of(best, "eu")["en"]
    assert "You could cut their 80% dependence on one country for nickel" in reasons_of(best, "jp")["en"]
    assert reasons_of(best, "eu") == engine_reasons(company_a, company_b)
    assert reasons_of(best, "jp") == engine_reasons(company_b, company_a)


def test_match_run_settings_and_version_recorded(profiles, admin_user):
    from matchmaking.engine import ENGINE_VERSION, MatchSettings
    from tests.conftest import HAND_WEIGHTS

    run = run_now(user=admin_user, top_k=1, min_score=30)

    weights = {**HAND_WEIGHTS, "embedding": 0.0}
    assert run.settings == {**MatchSettings().as_dict(), "weights": weights, "top_k": 1, "min_score": 30.0}
    assert (run.engine_version, run.model_version, run.source, run.created_by, run.attempts) == (
        ENGINE_VERSION, "hand-1.2.0", RunSource.WEB, admin_user, 1,
    )  # fmt: skip
    assert run.duration == run.finished_at - run.started_at
    assert db_views() == engine_views(top_k=1, min_score=30)


def test_match_run_partner_outside_own_top_k_gets_reasons_without_rank(profiles, admin_user):
    company_a, _b, _g, _d, recycler = profiles

    run_now(user=admin_user, top_k=1)

    # The recycler ranks company_a first; company_a ranks the refiner first, so not the recycler.
    pair = _pair(company_a, recycler)
    assert (pair.rank_eu, pair.rank_jp) == (None, 1)
    assert reasons_of(pair, "eu")["en"] == [
        "Would cut your 80% dependence on one country for nickel",
        "They supply what you want to buy (nickel)",
        "They seek what you offer (cathode materials)",
        "You both mention: lithium-ion, lithium",
        "Upstream supplier for your cathode materials (battery recycling)",
    ]


def test_match_run_twice_same_rows_and_decisions_kept(profiles, admin_user, member_a):
    company_a, company_b, biotech, cdmo, _recycler = profiles
    run_now(user=admin_user)
    services.suggestion_review(suggestion=_pair(company_a, company_b), admin=admin_user, approve=True, note="Good")
    services.suggestion_respond(suggestion=_pair(company_a, company_b), user=member_a, interested=True, reason="Yes")
    services.suggestion_review(suggestion=_pair(biotech, cdmo), admin=admin_user, approve=False, note="Too early")
    before = stored()

    again = run_now(user=admin_user)

    assert stored() == before
    assert (again.suggestions_created, again.suggestions_updated, again.suggestions_kept) == (0, 3, 0)
    assert Suggestion.objects.count() == 3
    refreshed = _pair(company_a, company_b)
    assert (refreshed.status, refreshed.review_note, refreshed.eu_response, refreshed.eu_response_reason) == (
        SuggestionStatus.APPROVED, "Good", FirmResponse.INTERESTED, "Yes",
    )  # fmt: skip
    assert refreshed.run_id == again.pk
    assert _pair(biotech, cdmo).status == SuggestionStatus.REJECTED


def test_match_run_reasons_stored_once_and_a_second_run_adds_none(profiles, admin_user):
    run_now(user=admin_user)
    reasons = list(Reason.objects.values_list("id", "en", "ja"))
    given = [pk for eu, jp in Suggestion.objects.values_list("reasons_eu", "reasons_jp") for pk in eu + jp]

    run_now(user=admin_user)

    assert list(Reason.objects.values_list("id", "en", "ja")) == reasons
    assert sorted(set(given)) == [pk for pk, _en, _ja in reasons]  # every reason used, each stored once
    assert len(given) > len(reasons)  # and some given more than once
    assert all(en and ja for _pk, en, ja in reasons)


def test_match_run_pair_gone_kept_when_decided_removed_when_not(profiles, admin_user):
    company_a, _b, biotech, cdmo, recycler = profiles
    run_now(user=admin_user)
    services.suggestion_review(suggestion=_pair(company_a, recycler), admin=admin_user, approve=True)
    recycler.status = cdmo.status = CompanyStatus.SUBMITTED
    recycler.save()
    cdmo.save()

    run = run_now(user=admin_user)

    assert (run.firms, run.suggestions_updated, run.suggestions_kept, run.suggestions_removed) == (3, 1, 1, 1)
    assert names() == {("Alpha Cathodes GmbH", "Beta Refining KK"), ("Alpha Cathodes GmbH", "Epsilon Recycling KK")}
    assert not Suggestion.objects.filter(eu_company=biotech).exists()


def test_match_run_blocks_in_parallel_equal_single_process(profiles, admin_user, django_capture_on_commit_callbacks):
    serial = run_now(user=admin_user)
    single = stored()

    with django_capture_on_commit_callbacks(execute=True):
        parallel = services.match_run_start(user=admin_user, block_size=1)  # an eager chord of five blocks
    parallel.refresh_from_db()

    assert (parallel.status, parallel.blocks_total, parallel.blocks_done, parallel.progress) == (
        RunStatus.SUCCEEDED, 5, [0, 1, 2, 3, 4], 100,
    )  # fmt: skip
    assert stored() == single
    assert db_views() == engine_views(block_size=1)
    assert (parallel.suggestions_created, parallel.suggestions_updated) == (0, 3)
    assert serial.settings["block_size"] == 512


def test_match_run_blocks_hold_one_side_each(profiles, admin_user):
    from matchmaking.services.runs import match_run_begin

    run = services.match_run_start(user=admin_user, block_size=2, enqueue=False)

    eu = sorted(c.pk for c in profiles if c.side == "EU")
    jp = sorted(c.pk for c in profiles if c.side == "JP")
    chunks = [ids[i : i + 2] for ids in (eu, jp) for i in range(0, len(ids), 2)]
    assert match_run_begin(run_id=run.pk) == chunks


def test_match_run_start_enqueues_after_commit(profiles, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        run = services.match_run_start(user=admin_user, block_size=2)
    run.refresh_from_db()
    assert (len(callbacks), run.status) == (1, RunStatus.QUEUED)

    callbacks[0]()

    run.refresh_from_db()
    assert (run.status, run.blocks_total) == (RunStatus.SUCCEEDED, 3)
    assert names() == EXPECTED_PAIRS


def test_match_run_crash_marks_failed_and_retry_does_not_duplicate(profiles, admin_user):
    run_now(user=admin_user)
    before = stored()
    settings = services.match_settings_clean()
    settings["weights"] = {**settings["weights"], "embedding": 0.5}  # no embedding backend is configured
    run = MatchRun.objects.create(settings=settings, engine_version="1.0.0", created_by=admin_user)

    failed = services.match_run_execute(run_id=run.pk)

    assert (failed.status, failed.error) == (
        RunStatus.FAILED, "ValueError: the embedding part has a weight but no embedding backend was given",
    )  # fmt: skip
    assert failed.finished_at is not None
    assert stored() == before
    MatchRun.objects.filter(pk=run.pk).update(settings=services.match_settings_clean())
    services.match_run_retry(run=failed, user=admin_user)
    retried = services.match_run_execute(run_id=run.pk)
    assert (retried.status, retried.error, retried.attempts) == (RunStatus.SUCCEEDED, "", 2)
    assert (retried.suggestions_created, retried.suggestions_updated) == (0, 3)
    assert {k: v["id"] for k, v in stored().items()} == {k: v["id"] for k, v in before.items()}


def test_match_run_retry_only_failed(profiles, admin_user):
    run = run_now(user=admin_user)

    with pytest.raises(ValidationError) as info:
        services.match_run_retry(run=run, user=admin_user)

    assert info.value.message_dict == {"status": ["Only a failed run can be retried."]}


def test_match_run_execute_finished_run_does_nothing(profiles, admin_user):
    run = run_now(user=admin_user)
    before = stored()

    again = services.match_run_execute(run_id=run.pk)  # a task delivered twice

    assert (again.status, again.attempts, stored()) == (RunStatus.SUCCEEDED, 1, before)


def test_match_run_retry_twice_queues_once(profiles, admin_user, django_capture_on_commit_callbacks):
    run = services.match_run_start(user=admin_user, enqueue=False)
    services.match_run_fail(run_id=run.pk, error="MemoryError: ")

    with django_capture_on_commit_callbacks() as callbacks:
        first = services.match_run_retry(run=run, user=admin_user)
        second = services.match_run_retry(run=MatchRun.objects.get(pk=run.pk), user=admin_user)

    assert (len(callbacks), first.status, second.status, MatchRun.objects.count()) == (
        1, RunStatus.QUEUED, RunStatus.QUEUED, 1,
    )  # fmt: skip


def test_match_run_start_second_active_run_refused(profiles, admin_user):
    first = services.match_run_start(user=admin_user, enqueue=False)

    with pytest.raises(ValidationError) as info:
        services.match_run_start(user=admin_user, enqueue=False)

    assert info.value.message_dict == {
        "non_field_errors": [f"Run {first.pk} of this scope is already queued or running."]
    }


def test_match_run_constraint_one_active_run_per_scope(db):
    MatchRun.objects.create(status=RunStatus.RUNNING)

    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRun.objects.create(status=RunStatus.QUEUED)


def test_match_run_start_fails_stale_queued_run_and_frees_the_scope(profiles, admin_user):
    old = services.match_run_start(user=admin_user, enqueue=False)
    MatchRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=4))

    new = services.match_run_start(user=admin_user, enqueue=False)

    old.refresh_from_db()
    assert (old.status, old.error, new.status) == (
        RunStatus.FAILED, "No worker started this run in time (is a Celery worker running?). Nothing was saved.",
        RunStatus.QUEUED,
    )  # fmt: skip


def test_match_run_start_fails_silent_running_run(profiles, admin_user):
    old = services.match_run_start(user=admin_user, enqueue=False)
    services.match_run_begin(run_id=old.pk)
    MatchRun.objects.filter(pk=old.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=301))

    new = services.match_run_start(user=admin_user, enqueue=False)

    old.refresh_from_db()
    assert (old.status, old.attempts, old.error, new.status) == (
        RunStatus.FAILED, 1,
        "The worker running this run stopped without finishing it (it may have run out of memory, crashed or "
        "been restarted). Nothing was saved.",
        RunStatus.QUEUED,
    )  # fmt: skip


def test_match_run_start_bad_settings_field_error(admin_user):
    with pytest.raises(ValidationError) as info:
        services.match_run_start(user=admin_user, top_k=0, enqueue=False)

    assert info.value.message_dict == {"settings": ["top_k and block_size must be >= 1"]}


@pytest.mark.parametrize(
    ("who", "scope", "allowed"),
    [
        ("admin_user", "all", True),
        ("admin_user", "mission", True),
        ("organiser", "mission", True),
        ("organiser", "other_mission", False),
        ("organiser", "all", False),
        ("member_a", "mission", False),
    ],
)
def test_match_run_start_permissions(request, mission, other_mission, who, scope, allowed):
    user = request.getfixturevalue(who)
    target = {"all": None, "mission": mission, "other_mission": other_mission}[scope]

    if allowed:
        assert services.match_run_start(user=user, mission=target, enqueue=False).mission == target
    else:
        with pytest.raises(PermissionDenied):
            services.match_run_start(user=user, mission=target, enqueue=False)


def test_match_run_mission_matches_only_its_participants(profiles, mission, organiser):
    company_a, company_b = profiles[0], profiles[1]
    run = run_now(user=organiser, mission=mission)

    assert (run.status, run.firms) == (RunStatus.SUCCEEDED, 2)
    assert names(scope=mission.pk) == {("Alpha Cathodes GmbH", "Beta Refining KK")}
    assert _pair(company_a, company_b, scope=mission.pk).mission == mission
    assert Suggestion.objects.filter(scope=0).count() == 0
    assert db_views(scope=mission.pk) == engine_views(mission=mission)


def test_suggestions_refresh_company_recomputes_only_its_pairs(profiles, admin_user):
    company_a, company_b, biotech, cdmo, recycler = profiles
    run_now(user=admin_user)
    untouched = Suggestion.objects.get(eu_company=biotech).updated_at
    score_before = _pair(company_a, company_b).score
    company_b.partnership_types = ["rnd"]
    company_b.offer = "Research on nickel refining."
    company_b.save()

    counts = services.suggestions_refresh_company(company_id=company_b.pk)

    assert counts == {"created": 0, "updated": 1, "kept": 0, "removed": 0}
    expected = {k: v for k, v in engine_views().items() if company_b.pk in k}
    assert {k: v for k, v in db_views().items() if company_b.pk in k} == expected
    assert Suggestion.objects.get(eu_company=biotech).updated_at == untouched
    assert _pair(company_a, company_b).score < score_before
    assert pairs_of(recycler)[(company_a.pk, recycler.pk)]["rank_eu"] == 2  # the other firm's list is its own


def test_suggestions_refresh_company_not_approved_loses_undecided_pairs(profiles, admin_user):
    company_a, company_b, _g, _d, recycler = profiles
    run_now(user=admin_user)
    services.suggestion_review(suggestion=_pair(company_a, recycler), admin=admin_user, approve=True)
    company_a.status = CompanyStatus.SUBMITTED
    company_a.save()

    counts = services.suggestions_refresh_company(company_id=company_a.pk)

    assert counts == {"created": 0, "updated": 0, "kept": 1, "removed": 1}
    assert set(pairs_of(company_a)) == {(company_a.pk, recycler.pk)}


def test_suggestions_refresh_company_without_a_run_does_nothing(profiles):
    assert services.suggestions_refresh_company(company_id=profiles[0].pk) == {
        "created": 0, "updated": 0, "kept": 0, "removed": 0,
    }  # fmt: skip
    assert Suggestion.objects.count() == 0


# --- Review and answers --------------------------------------------------------------------------


@pytest.fixture
def best(profiles, admin_user) -> Suggestion:
    run_now(user=admin_user)
    return _pair(profiles[0], profiles[1])


def test_suggestion_review_approve_records_who_and_when(best, admin_user):
    reviewed = services.suggestion_review(suggestion=best, admin=admin_user, approve=True, note=" Strong fit ")

    assert (reviewed.status, reviewed.review_note, reviewed.reviewed_by) == (
        SuggestionStatus.APPROVED, "Strong fit", admin_user,
    )  # fmt: skip
    assert list(reviewed.decisions.values_list("action", "user__email", "note")) == [
        (DecisionAction.APPROVED, "admin@example.com", "Strong fit")
    ]


def test_suggestion_review_same_status_twice_refused(best, admin_user):
    services.suggestion_review(suggestion=best, admin=admin_user, approve=False)

    with pytest.raises(ValidationError) as info:
        services.suggestion_review(suggestion=best, admin=admin_user, approve=False)

    assert info.value.message_dict == {"status": ["This suggestion is already rejected."]}


def test_suggestion_review_changes_until_a_firm_answers(best, admin_user, member_a):
    services.suggestion_review(suggestion=best, admin=admin_user, approve=True)
    services.suggestion_review(suggestion=best, admin=admin_user, approve=False)
    services.suggestion_review(suggestion=best, admin=admin_user, approve=True)
    services.suggestion_respond(suggestion=best, user=member_a, interested=False)

    with pytest.raises(ValidationError) as info:
        services.suggestion_review(suggestion=best, admin=admin_user, approve=False)

    assert info.value.message_dict == {"status": ["A firm has answered this suggestion; its review cannot change."]}
    assert list(best.decisions.values_list("action", flat=True)) == [
        "approved", "rejected", "approved", "not_interested",
    ]  # fmt: skip


@pytest.mark.parametrize("who", ["member_a", "organiser"])
def test_suggestion_review_non_admin_refused(request, best, who):
    with pytest.raises(PermissionDenied):
        services.suggestion_review(suggestion=best, admin=request.getfixturevalue(who), approve=True)

    best.refresh_from_db()
    assert best.status == SuggestionStatus.PROPOSED


def test_suggestions_bulk_review_all_or_nothing(best, admin_user):
    others = list(Suggestion.objects.exclude(pk=best.pk).values_list("pk", flat=True))
    services.suggestion_review(suggestion=best, admin=admin_user, approve=True)

    with pytest.raises(ValidationError):
        services.suggestions_bulk_review(suggestion_ids=[*others, best.pk], admin=admin_user, approve=True)

    assert list(Suggestion.objects.filter(pk__in=others).values_list("status", flat=True)) == ["proposed"] * 2
    assert services.suggestions_bulk_review(suggestion_ids=others, admin=admin_user, approve=True) == 2


def test_suggestions_bulk_review_by_a_non_admin_is_refused_before_the_ids_are_looked_up(best, organiser):
    """Which suggestions exist is not a non-admin's business: the refusal comes first (matchmaking.permissions)."""
    with pytest.raises(PermissionDenied) as refused:
        services.suggestions_bulk_review(suggestion_ids=[best.pk, 999999], admin=organiser, approve=True)

    best.refresh_from_db()
    assert (str(refused.value), best.status) == ("Only admins review suggestions.", SuggestionStatus.PROPOSED)


def test_suggestions_bulk_review_missing_id_refused(best, admin_user):
    with pytest.raises(ValidationError) as info:
        services.suggestions_bulk_review(suggestion_ids=[best.pk, 999999], admin=admin_user, approve=True)

    assert info.value.message_dict == {"ids": ["Some suggestions do not exist (any more)."]}


def test_suggestion_respond_records_answer_reason_and_decision(best, admin_user, member_b):
    services.suggestion_review(suggestion=best, admin=admin_user, approve=True)

    answered = services.suggestion_respond(suggestion=best, user=member_b, interested=False, reason=" Too small ")

    assert (answered.jp_response, answered.jp_response_reason, answered.jp_responded_by, answered.eu_response) == (
        FirmResponse.NOT_INTERESTED, "Too small", member_b, FirmResponse.NONE,
    )  # fmt: skip
    decision = answered.decisions.get(action=DecisionAction.NOT_INTERESTED)
    assert (decision.user, decision.company, decision.note) == (member_b, best.jp_company, "Too small")


def test_suggestion_respond_can_change_the_answer(best, admin_user, member_a):
    services.suggestion_review(suggestion=best, admin=admin_user, approve=True)
    services.suggestion_respond(suggestion=best, user=member_a, interested=False)

    answered = services.suggestion_respond(suggestion=best, user=member_a, interested=True)

    assert answered.eu_response == FirmResponse.INTERESTED
    assert list(answered.decisions.values_list("action", flat=True)) == ["approved", "not_interested", "interested"]


def test_suggestion_respond_not_approved_refused(best, member_a):
    with pytest.raises(PermissionDenied):
        services.suggestion_respond(suggestion=best, user=member_a, interested=True)


def test_suggestion_respond_other_firm_refused(best, admin_user, eu_biotech):
    services.suggestion_review(suggestion=best, admin=admin_user, approve=True)
    outsider = MembershipFactory(company=eu_biotech).user

    with pytest.raises(PermissionDenied):
        services.suggestion_respond(suggestion=best, user=outsider, interested=True)


def test_suggestion_both_interested_in_mission_arranges_meeting(profiles, mission, admin_user, member_a, member_b):
    company_a, company_b = profiles[0], profiles[1]
    run_now(user=admin_user, mission=mission)
    pair = _pair(company_a, company_b, scope=mission.pk)
    services.suggestion_review(suggestion=pair, admin=admin_user, approve=True)
    services.suggestion_respond(suggestion=pair, user=member_b, interested=True)

    done = services.suggestion_respond(suggestion=pair, user=member_a, interested=True)

    request = MeetingRequest.objects.get()
    assert done.meeting_request == request
    assert (request.requester.company, request.recipient.company, request.source, request.status) == (
        company_b, company_a, RequestSource.SUGGESTION, RequestStatus.ACCEPTED,
    )  # fmt: skip
    assert request.priority == (Priority.HIGH if pair.score >= 70 else Priority.MEDIUM)
    assert list(done.decisions.values_list("action", flat=True)) == [
        "approved", "interested", "interested", "meeting_arranged",
    ]  # fmt: skip
    with pytest.raises(ValidationError):
        services.suggestion_respond(suggestion=pair, user=member_a, interested=False)


def test_suggestion_both_interested_mission_closed_left_to_organisers(
    profiles, mission, admin_user, member_a, member_b
):
    run_now(user=admin_user, mission=mission)
    pair = _pair(profiles[0], profiles[1], scope=mission.pk)
    services.suggestion_review(suggestion=pair, admin=admin_user, approve=True)
    mission.phase = MissionPhase.CLOSED
    mission.save()
    services.suggestion_respond(suggestion=pair, user=member_b, interested=True)

    done = services.suggestion_respond(suggestion=pair, user=member_a, interested=True)

    assert (done.both_interested, done.meeting_request, MeetingRequest.objects.count()) == (True, None, 0)
    assert done.decisions.last().action == DecisionAction.REFERRED


def test_suggestion_both_interested_without_mission_no_request(best, admin_user, member_a, member_b):
    services.suggestion_review(suggestion=best, admin=admin_user, approve=True)
    services.suggestion_respond(suggestion=best, user=member_a, interested=True)

    done = services.suggestion_respond(suggestion=best, user=member_b, interested=True)

    assert (done.both_interested, done.meeting_request, MeetingRequest.objects.count()) == (True, None, 0)


def test_match_run_fail_late_callback_of_earlier_attempt_ignored(profiles, admin_user):
    from matchmaking.enums import RunStatus
    from matchmaking.models import MatchRun

    run = MatchRun.objects.create(status=RunStatus.RUNNING, attempts=2)
    services.match_run_fail(run_id=run.pk, error="A block of this run failed.", attempt=1)
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.RUNNING, "")
    services.match_run_fail(run_id=run.pk, error="A block of this run failed.", attempt=2)
    run.refresh_from_db()
    assert (run.status, run.error) == (RunStatus.FAILED, "A block of this run failed.")


def test_match_run_score_block_of_earlier_attempt_scores_nothing(profiles, admin_user):
    """A block left in the queue by a dead worker's attempt, taken after the retry began."""
    run = services.match_run_start(user=admin_user, block_size=2, enqueue=False)
    blocks = services.match_run_begin(run_id=run.pk)
    MatchRun.objects.filter(pk=run.pk).update(attempts=2)

    stale = services.match_run_score_block(run_id=run.pk, index=0, firm_ids=blocks[0], attempt=1)
    fresh = services.match_run_score_block(run_id=run.pk, index=1, firm_ids=blocks[1], attempt=2)

    run.refresh_from_db()
    assert (stale, len(fresh) > 0, run.blocks_done, run.status) == ([], True, [1], RunStatus.RUNNING)


def test_suggestions_refresh_companies_a_few_one_by_one(profiles, admin_user):
    company_a, company_b, *_ = profiles
    run_now(user=admin_user)
    company_b.offer = "Research on nickel refining."
    company_b.save()

    counts = services.suggestions_refresh_companies(company_ids=[company_a.pk, company_b.pk])

    assert counts == {"refreshed": 2, "runs": 0}
    expected = {k: v for k, v in engine_views().items() if company_b.pk in k}
    assert {k: v for k, v in db_views().items() if company_b.pk in k} == expected


def test_suggestions_refresh_companies_many_queue_a_run_per_scope(profiles, admin_user, settings):
    run_now(user=admin_user)
    many = [company.pk for company in profiles] + list(range(10_000, 10_000 + REFRESH_ONE_BY_ONE))

    counts = services.suggestions_refresh_companies(company_ids=many)

    assert counts == {"refreshed": 0, "runs": 1}
    latest = MatchRun.objects.order_by("-pk").first()
    # Its task is enqueued on commit, which this test's transaction never reaches: the run waits queued.
    assert (latest.mission, latest.source, latest.status) == (None, RunSource.IMPORT, RunStatus.QUEUED)
