"""The reasons migrations (0003-0005) forwards and backwards, run by Django's MigrationExecutor.

Rows are written with the models as they were at 0002 (reasons as {"en": [...], "ja": [...]}),
migrated to ids, read, and migrated back. The test restores the latest schema whatever happens.
"""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from matchmaking.models import Suggestion
from matchmaking.selectors import reason_texts, reasons_as_texts
from tests.factories import CompanyFactory

TEXTS = ("0002_verbose_names",)  # reasons stored as texts, every foreign key indexed
IDS = ("0005_reasons_to_ids",)
OLD_REASONS = {
    "a": ({"en": ["Same sector", "They refine nickel"], "ja": ["同じ分野", "先方はニッケルを精錬"]},
          {"en": ["Same sector"], "ja": ["同じ分野"]}),
    "b": ({"en": ["They refine nickel", "Only in English"], "ja": ["先方はニッケルを精錬"]},
          {"en": [], "ja": []}),
    "c": ({"en": [], "ja": ["日本語だけ"]}, {"en": ["Same sector"], "ja": ["同じ分野"]}),
}  # fmt: skip


def _migrate(name: str) -> Any:
    """Migrate the matchmaking app to `name`; returns the historical apps at that point."""
    executor = MigrationExecutor(connection)
    target = [("matchmaking", name)]
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def _reasons(apps: Any) -> dict[str, tuple[Any, Any]]:
    rows = apps.get_model("matchmaking", "Suggestion").objects.values_list(
        "eu_company__name", "reasons_eu", "reasons_jp"
    )
    return {name: (eu, jp) for name, eu, jp in rows}


def _single_column_indexes() -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Suggestion._meta.db_table)
    return {c["columns"][0] for c in found.values() if c["index"] and not c["primary_key"] and len(c["columns"]) == 1}


def _write_old_rows(apps: Any) -> None:
    OldSuggestion = apps.get_model("matchmaking", "Suggestion")
    jp = CompanyFactory(name="JP firm", country="JP")
    for name, (eu_reasons, jp_reasons) in OLD_REASONS.items():
        eu = CompanyFactory(name=name)
        OldSuggestion.objects.create(eu_company_id=eu.pk, jp_company_id=jp.pk, score=50.0, reasons_eu=eu_reasons,
                                     reasons_jp=jp_reasons)  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_reasons_migrations_texts_to_ids_and_back():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("matchmaking")[0][1]
    try:
        _write_old_rows(_migrate(*TEXTS))
        indexed_before = _single_column_indexes()

        new = _reasons(_migrate(*IDS))
        reasons = {(r.en, r.ja): r.pk for r in _migrate(*IDS).get_model("matchmaking", "Reason").objects.all()}
        indexed_after = _single_column_indexes()
        texts = reason_texts(ids=reasons.values())
        read = {name: tuple(reasons_as_texts(ids, texts) for ids in sides) for name, sides in new.items()}

        back = _reasons(_migrate(*TEXTS))
    finally:
        _migrate(latest)

    assert set(reasons) == {("Same sector", "同じ分野"), ("They refine nickel", "先方はニッケルを精錬"),
                            ("Only in English", ""), ("", "日本語だけ")}  # fmt: skip
    same, nickel = reasons[("Same sector", "同じ分野")], reasons[("They refine nickel", "先方はニッケルを精錬")]
    assert new == {
        "a": ([same, nickel], [same]),
        "b": ([nickel, reasons[("Only in English", "")]], []),
        "c": ([reasons[("", "日本語だけ")]], [same]),
    }
    assert read == back == OLD_REASONS
    assert indexed_before - indexed_after == {
        "eu_company_id", "reviewed_by_id", "eu_responded_by_id", "jp_responded_by_id", "meeting_request_id",
    }  # fmt: skip
    assert indexed_after == {"run_id", "mission_id", "jp_company_id"}
