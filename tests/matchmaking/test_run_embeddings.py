"""The embedding part on every run path: the setting, the command, the API, the run form, the nightly run.

Runs use the real bundled model (all-MiniLM-L6-v2 from requirements-embeddings.txt); the Celery path
with a real worker is in test_tasks.py.
"""

import json
import shutil
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from matchmaking import services
from matchmaking.enums import RunSource, RunStatus
from matchmaking.models import MatchRun, Suggestion
from tests.matchmaking.helpers import db_views, engine_views, requires_embeddings, run_now

pytestmark = pytest.mark.django_db

NO_MODEL = "No embedding model is configured (MATCH_EMBEDDINGS_MODEL): leave this at 0."


def _embedding(run: MatchRun) -> tuple[str, float, float]:
    return run.embedding_model, run.embedding_weight, run.settings["weights"]["embedding"]


def _pair_scores() -> dict[tuple[int, int], tuple[float, dict]]:
    return {(s.eu_company_id, s.jp_company_id): (s.score, s.parts) for s in Suggestion.objects.all()}


# --- The service: defaults from the setting, overrides, errors ----------------------------------


def test_run_start_setting_off_records_no_embeddings(profiles):
    run = run_now(min_score=0)

    assert (run.status, *_embedding(run)) == (RunStatus.SUCCEEDED, "", 0.0, 0.0)
    assert {name for _score, parts in _pair_scores().values() for name in parts} == {
        "complementarity", "topic", "sector", "value_chain", "partnership", "supply_security",
    }  # fmt: skip


@requires_embeddings
def test_run_start_setting_on_records_and_uses_the_model(profiles, embeddings_on):
    run = run_now(min_score=0)

    assert (run.status, run.error, *_embedding(run)) == (RunStatus.SUCCEEDED, "", "bundled", 0.15, 0.15)
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.15, min_score=0)
    assert all("embedding" in parts for _score, parts in _pair_scores().values())


@requires_embeddings
def test_run_embeddings_on_gives_other_scores_than_off_for_the_same_profiles(profiles, embeddings_on):
    alpha, beta, gamma, _delta, _epsilon = profiles
    run_now(min_score=0, embedding_weight=0)
    off = _pair_scores()
    run_now(min_score=0, embedding_weight=0.3)
    on = _pair_scores()

    changed = {pair for pair in on if on[pair][0] != off[pair][0]}
    # Every pair moves but antibodies vs nickel refining: 0 before, and nothing in common in meaning either.
    assert (len(on), changed) == (6, set(on) - {(gamma.pk, beta.pk)})
    assert (off[(gamma.pk, beta.pk)][0], on[(gamma.pk, beta.pk)][1]["embedding"]) == (0.0, 0.0)
    assert on[(alpha.pk, beta.pk)][0] != off[(alpha.pk, beta.pk)][0]
    assert {pair: on[pair][1] == {**off[pair][1], "embedding": on[pair][1]["embedding"]} for pair in on} == (
        dict.fromkeys(on, True)
    )
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.3, min_score=0)


def test_run_start_weight_without_model_is_a_field_error(profiles):
    with pytest.raises(ValidationError) as error:
        services.match_run_start(user=None, embedding_weight=0.2, enqueue=False)

    assert error.value.message_dict == {"embedding_weight": [NO_MODEL]}
    assert MatchRun.objects.count() == 0


@pytest.mark.parametrize("weight", [-0.1, 1.5])
def test_run_start_weight_out_of_range_is_a_field_error(embeddings_on, weight):
    with pytest.raises(ValidationError) as error:
        services.match_run_start(user=None, embedding_weight=weight, enqueue=False)

    assert error.value.message_dict == {"embedding_weight": ["Give a weight from 0 to 1."]}


@requires_embeddings
def test_run_start_model_configured_at_weight_zero_is_off_until_a_run_asks(embeddings_on):
    embeddings_on.MATCH_EMBEDDINGS_WEIGHT = 0.0

    default = services.match_run_start(user=None, enqueue=False)
    MatchRun.objects.filter(pk=default.pk).update(status=RunStatus.SUCCEEDED)
    asked = services.match_run_start(user=None, embedding_weight=0.25, enqueue=False)

    assert (_embedding(default), _embedding(asked)) == (("", 0.0, 0.0), ("bundled", 0.25, 0.25))


def test_run_start_unknown_model_directory_is_a_field_error(tmp_path):
    with pytest.raises(ValidationError) as error:
        services.match_run_start(user=None, embedding_model=str(tmp_path / "nope"), enqueue=False)

    assert error.value.message_dict == {
        "embedding_model": [f"{str(tmp_path / 'nope')!r} is neither 'bundled' nor a model directory"]
    }


@requires_embeddings
def test_run_whose_model_directory_vanished_fails_with_the_reason(profiles, tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    run = services.match_run_start(user=None, embedding_model=str(model), enqueue=False)
    shutil.rmtree(model)

    run = services.match_run_execute(run_id=run.pk)

    assert (run.status, run.error, *_embedding(run)) == (
        RunStatus.FAILED, f"ValueError: MATCH_EMBEDDINGS_MODEL={str(model)!r}: no model directory at {str(model)!r}",
        str(model), 0.15, 0.15,
    )  # fmt: skip
    assert Suggestion.objects.count() == 0


@requires_embeddings
def test_company_refresh_keeps_the_runs_model(profiles, embeddings_on):
    run = run_now(min_score=0, embedding_weight=0.3)
    embeddings_on.MATCH_EMBEDDINGS_MODEL, embeddings_on.MATCH_EMBEDDINGS_WEIGHT = (
        "",
        0.0,
    )  # the deployment turned it off
    company_b = profiles[1]
    company_b.seek = "Cathode makers in Europe who buy nickel sulphate."
    company_b.save()

    counts = services.suggestions_refresh_company(company_id=company_b.pk)

    assert counts == {"created": 0, "updated": 2, "kept": 0, "removed": 0}
    expected = engine_views(embedding_model="bundled", embedding_weight=0.3, min_score=0)
    assert {k: v for k, v in db_views().items() if company_b.pk in k} == {
        k: v for k, v in expected.items() if company_b.pk in k
    }
    assert Suggestion.objects.filter(run=run).count() == 6


@requires_embeddings
def test_retry_keeps_the_runs_model(profiles, embeddings_on, django_capture_on_commit_callbacks):
    run = services.match_run_start(user=None, embedding_weight=0.3, enqueue=False)
    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error="boom")
    embeddings_on.MATCH_EMBEDDINGS_MODEL, embeddings_on.MATCH_EMBEDDINGS_WEIGHT = "", 0.0

    with django_capture_on_commit_callbacks(execute=True):
        services.match_run_retry(run=run, user=None)

    run.refresh_from_db()
    assert (run.status, run.error, *_embedding(run)) == (RunStatus.SUCCEEDED, "", "bundled", 0.3, 0.3)
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.3)


# --- The command -----------------------------------------------------------------------------------


def _match(*args: str) -> str:
    out = StringIO()
    call_command("match", *args, stdout=out)
    return out.getvalue()


@requires_embeddings
def test_match_command_uses_the_setting_and_reports_it(profiles, embeddings_on):
    report = json.loads(_match("--min-score", "0", "--json"))

    run = MatchRun.objects.get()
    assert (run.source, *_embedding(run)) == (RunSource.COMMAND, "bundled", 0.15, 0.15)
    assert report["embeddings"] == {"model": "bundled", "weight": 0.15}
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.15, min_score=0)


@requires_embeddings
def test_match_command_flags_override_the_setting(profiles, embeddings_on):
    _match("--embedding-weight", "0.3")
    first = MatchRun.objects.get()
    _match("--embedding-model", "")
    second = MatchRun.objects.exclude(pk=first.pk).get()

    assert (_embedding(first), _embedding(second)) == (("bundled", 0.3, 0.3), ("", 0.0, 0.0))
    assert db_views() == engine_views()


@requires_embeddings
def test_match_command_model_flag_without_setting_takes_the_default_weight(profiles):
    out = _match("--embedding-model", "bundled")

    run = MatchRun.objects.get()
    assert _embedding(run) == ("bundled", 0.15, 0.15)
    assert out.splitlines()[-1] == (
        f"Run {run.pk}: 5 firms, embeddings bundled at 0.15; suggestions 3 created, 0 updated, 0 kept, 0 removed."
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--embedding-weight", "0.2"), f"--embedding-weight: {NO_MODEL}"),
        (("--embedding-weight", "2"), "--embedding-weight: Give a weight from 0 to 1."),
        (("--embedding-model", "/nonexistent/model"), "--embedding-model: '/nonexistent/model' is neither 'bundled' "
                                                      "nor a model directory"),
    ],
)  # fmt: skip
def test_match_command_bad_embedding_flags_stop_with_the_reason(profiles, args, message):
    with pytest.raises(CommandError) as error:
        _match(*args)

    assert str(error.value) == message
    assert MatchRun.objects.count() == 0


# --- The API -------------------------------------------------------------------------------------


@requires_embeddings
def test_api_run_start_embedding_weight_recorded_and_shown(admin_user, profiles, embeddings_on,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    api = APIClient()
    api.force_authenticate(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api-match-runs"), {"embedding_weight": 0.25, "min_score": 0}, format="json")

    run = MatchRun.objects.get()
    assert (response.status_code, response.json()["embedding_model"], response.json()["embedding_weight"]) == (
        201, "bundled", 0.25,
    )  # fmt: skip
    detail = api.get(reverse("api-match-run", args=[run.pk])).json()
    assert (detail["status"], detail["embedding_model"], detail["embedding_weight"]) == ("succeeded", "bundled", 0.25)
    assert (run.source, _embedding(MatchRun.objects.get())) == (RunSource.API, ("bundled", 0.25, 0.25))
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.25, min_score=0)


@pytest.mark.parametrize(
    ("configured", "weight", "errors"),
    [
        (False, 0.2, {"embedding_weight": [NO_MODEL]}),
        (True, 1.5, {"embedding_weight": ["Ensure this value is less than or equal to 1."]}),
        (True, "much", {"embedding_weight": ["A valid number is required."]}),
    ],
)
def test_api_run_start_bad_embedding_weight_field_errors(admin_user, settings, configured, weight, errors):
    settings.MATCH_EMBEDDINGS_MODEL = "bundled" if configured else ""
    api = APIClient()
    api.force_authenticate(admin_user)

    response = api.post(reverse("api-match-runs"), {"embedding_weight": weight}, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert MatchRun.objects.count() == 0


# --- The run form and page ------------------------------------------------------------------------


@requires_embeddings
def test_runs_page_form_starts_a_run_with_the_weight_and_shows_it(client, admin_user, profiles, embeddings_on,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("matchmaking:runs"), {"mission": "", "embedding_weight": "0.2"})

    run = MatchRun.objects.get()
    assert (response.status_code, run.status, run.source, *_embedding(run)) == (
        302, RunStatus.SUCCEEDED, RunSource.WEB, "bundled", 0.2, 0.2,
    )  # fmt: skip
    page = client.get(reverse("matchmaking:run_detail", args=[run.pk])).content.decode()
    assert "<dt>Closeness in meaning</dt><dd>model bundled, weight 0.2</dd>" in page
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.2)


def test_runs_page_form_weight_out_of_range_is_a_form_error(client, admin_user, embeddings_on):
    client.force_login(admin_user)

    response = client.post(reverse("matchmaking:runs"), {"mission": "", "embedding_weight": "2"})

    assert response.context["form"].errors == {"embedding_weight": ["Ensure this value is less than or equal to 1."]}
    assert MatchRun.objects.count() == 0


def test_runs_page_without_model_the_field_is_off_and_the_run_too(client, admin_user, profiles,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(admin_user)

    form = client.get(reverse("matchmaking:runs")).context["form"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matchmaking:runs"), {"mission": "", "embedding_weight": "0.5"})

    assert (form.fields["embedding_weight"].disabled, form.fields["embedding_weight"].help_text) == (
        True, "No embedding model is configured on this server (MATCH_EMBEDDINGS_MODEL).",
    )  # fmt: skip
    run = MatchRun.objects.get()
    assert (run.status, *_embedding(run)) == (RunStatus.SUCCEEDED, "", 0.0, 0.0)
    page = client.get(reverse("matchmaking:run_detail", args=[run.pk])).content.decode()
    assert "<dt>Closeness in meaning</dt><dd>off</dd>" in page


def test_runs_page_form_help_names_the_model_and_default(client, admin_user, embeddings_on):
    client.force_login(admin_user)

    field = client.get(reverse("matchmaking:runs")).context["form"].fields["embedding_weight"]

    assert (field.disabled, field.help_text) == (
        False, "Sentence embeddings of model bundled; 0 to 1, 0 turns them off; default 0.15.",
    )  # fmt: skip


# --- The nightly run ------------------------------------------------------------------------------


@requires_embeddings
def test_nightly_runs_use_the_setting(profiles, mission, embeddings_on, django_capture_on_commit_callbacks):
    run_now(mission=mission, embedding_weight=0)

    with django_capture_on_commit_callbacks(execute=True):
        runs = services.match_nightly_start()

    runs = [MatchRun.objects.get(pk=r.pk) for r in runs]
    assert [(r.mission_id, r.source, r.status, *_embedding(r)) for r in runs] == [
        (None, RunSource.SCHEDULE, RunStatus.SUCCEEDED, "bundled", 0.15, 0.15),
        (mission.pk, RunSource.SCHEDULE, RunStatus.SUCCEEDED, "bundled", 0.15, 0.15),
    ]
    assert db_views() == engine_views(embedding_model="bundled", embedding_weight=0.15)
    assert db_views(scope=mission.pk) == engine_views(mission=mission, embedding_model="bundled", embedding_weight=0.15)


def test_run_detail_embeddings_in_japanese(client, admin_user):
    on = MatchRun.objects.create(status=RunStatus.SUCCEEDED, embedding_model="bundled", embedding_weight=0.2)
    off = MatchRun.objects.create(mission=None, status=RunStatus.FAILED)
    client.force_login(admin_user)

    pages = [
        client.get(reverse("matchmaking:run_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
        for run in (on, off)
    ]

    assert "<dt>意味の近さ</dt><dd>モデル bundled、重み 0.2</dd>" in pages[0]
    assert "<dt>意味の近さ</dt><dd>無効</dd>" in pages[1]


def test_admin_run_pages_show_the_embedding_model_and_weight(client, admin_user):
    run = MatchRun.objects.create(status=RunStatus.SUCCEEDED, embedding_model="bundled", embedding_weight=0.2)
    client.force_login(admin_user)

    listing = client.get(reverse("admin:matchmaking_matchrun_changelist"))
    page = client.get(reverse("admin:matchmaking_matchrun_change", args=[run.pk])).content.decode()

    assert [(r.embedding_model, r.embedding_weight) for r in listing.context["cl"].result_list] == [("bundled", 0.2)]
    assert '<td class="field-embedding_model">bundled</td><td class="field-embedding_weight">0.2</td>' in (
        listing.content.decode()
    )
    assert '<div class="readonly">bundled</div>' in page and '<div class="readonly">0.2</div>' in page
