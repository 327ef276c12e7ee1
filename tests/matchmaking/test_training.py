"""Retraining the ranking model: kept only when not worse, used and recorded by new runs."""

from io import StringIO

import pytest
from django.core.management import call_command

from matchmaking import selectors
from matchmaking.models import RankingModel
from matchmaking.services.training import ranker_train
from matchmaking.tasks import match_nightly_task
from tests.matchmaking.helpers import run_now


def test_ranker_train_replaces_a_worse_model_and_runs_record_it(profiles, admin_user):
    outcome = ranker_train(partners=None, use_feedback=False)

    active = RankingModel.objects.get(active=True)
    run = run_now(user=admin_user)
    assert (outcome.replaced, outcome.current_version, active.version) == (True, "hand-1.2.0", outcome.model["version"])
    assert (run.model_version, run.settings["weights"]) == (active.version, {**active.weights, "embedding": 0.0})
    assert sorted(active.evaluation["weights"]["cross_validated"]) == ["generated", "team-dev"]


def test_ranker_train_again_on_the_same_data_keeps_one_active_model(db):
    first = ranker_train(partners=None, use_feedback=False)
    second = ranker_train(partners=None, use_feedback=False)

    active = list(RankingModel.objects.filter(active=True).values_list("version", flat=True))
    kept = second.model["version"] if second.replaced else first.model["version"]
    assert (first.replaced, active) == (True, [kept])


def test_match_train_dry_run_prints_the_evaluation_and_saves_nothing(db):
    out = StringIO()
    call_command("match_train", "--dry-run", "--no-feedback", "--partners", "/nonexistent", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines[:2]] == ["source team-dev", "source generated"]
    assert lines[-1].endswith("not saved (dry run).")
    assert any(line.strip().startswith("generated") and "MRR" in line for line in lines)
    assert list(RankingModel.objects.values_list("version", flat=True)) == ["hand-1.2.0"]


def test_match_train_writes_the_model_file(db, tmp_path):
    target = tmp_path / "ranker.json"
    call_command(
        "match_train", "--no-feedback", "--partners", "/nonexistent", "--write-file", str(target), stdout=StringIO()
    )

    from matchmaking.engine.records import load_ranker

    written = load_ranker(target)
    assert (written["version"], written["weights"]) == (
        selectors.ranking_model_current()["version"],
        selectors.ranking_model_current()["weights"],
    )


def test_nightly_task_retrains_before_the_runs(profiles, settings):
    settings.MATCH_RETRAIN_NIGHTLY = True

    run_ids = match_nightly_task()

    active = RankingModel.objects.get(active=True)
    assert active.version != "hand-1.2.0"
    from matchmaking.models import MatchRun

    assert [r.model_version for r in MatchRun.objects.filter(pk__in=run_ids)] == [active.version]


def test_ranking_model_current_falls_back_to_the_shipped_file(db):
    RankingModel.objects.update(active=False)
    from matchmaking.engine.records import RANKER

    assert selectors.ranking_model_current() == {
        "version": RANKER["version"],
        "weights": RANKER["weights"],
        "weights_embedding": RANKER["weights_embedding"],
    }


@pytest.mark.parametrize("content", ["{", '{"version": "x", "weights": {"nope": 1}, "weights_embedding": {}}'])
def test_load_ranker_bad_file_names_it(tmp_path, content):
    from matchmaking.engine.records import load_ranker

    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(ValueError, match="bad.json"):
        load_ranker(bad)


def test_run_page_and_api_show_the_ranking_model(profiles, admin_user, client):
    from django.urls import reverse
    from rest_framework.test import APIClient

    run = run_now(user=admin_user)
    client.force_login(admin_user)
    api = APIClient()
    api.force_authenticate(admin_user)

    page = client.get(reverse("matchmaking:run_detail", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="ja")
    assert "<dt>ランキングモデル</dt><dd>hand-1.2.0</dd>" in page.content.decode()
    assert api.get(reverse("api-match-run", args=[run.pk])).json()["model_version"] == "hand-1.2.0"
