"""The plan of an import, on plain data (companies.import_plan imports no Django)."""

import ast
from pathlib import Path

from companies.import_plan import (
    FieldChange,
    ImportPlan,
    PlannedRow,
    RowError,
    RowInput,
    data_fingerprint,
    field_changes,
    plan_build,
)

FIELDS = ("ref", "name", "sectors")


def _plan(*rows: RowInput, errors: list[RowError] | None = None) -> ImportPlan:
    return plan_build(rows, errors or [], fields=FIELDS, fingerprint="fp")


def test_plan_sorts_rows_into_created_updated_unchanged():
    old = {"ref": "b", "name": "Old", "sectors": ["biotech"]}
    same = {"ref": "c", "name": "Same", "sectors": []}

    plan = _plan(
        RowInput(2, {"ref": "a", "name": "New", "sectors": ["biotech"]}, None),
        RowInput(3, {**old, "name": "Renamed"}, old),
        RowInput(4, dict(same), same, committed=True),
    )

    assert plan == ImportPlan(
        created=[PlannedRow(2, "a", "New")],
        updated=[PlannedRow(3, "b", "Old", (FieldChange("name", "Old", "Renamed"),))],
        unchanged=[PlannedRow(4, "c", "Same")],
        fingerprint="fp",
    )


def test_plan_names_an_updated_company_by_its_stored_name_and_flags_meetings():
    current = {"ref": "b", "name": "Pohjola Nickel Oy", "sectors": ["critical_minerals"]}

    plan = _plan(RowInput(2, {"ref": "b", "name": "BioForma", "sectors": ["biotech"]}, current, committed=True))

    assert plan.committed == [
        PlannedRow(2, "b", "Pohjola Nickel Oy", (
            FieldChange("name", "Pohjola Nickel Oy", "BioForma"),
            FieldChange("sectors", ["critical_minerals"], ["biotech"]),
        ), committed=True)
    ]  # fmt: skip


def test_plan_with_errors_plans_no_writes_and_sorts_errors_by_row():
    errors = [RowError(5, "name", "x"), RowError(0, "file", "y")]

    plan = _plan(errors=errors)

    assert (plan.ok, plan.writes, plan.errors) == (False, False, [RowError(0, "file", "y"), RowError(5, "name", "x")])


def test_field_changes_keep_the_order_of_the_fields_and_skip_missing_keys():
    changes = field_changes({"a": 1, "b": 2, "c": 3}, {"c": 4, "a": 0}, ("a", "b", "c"))

    assert changes == (FieldChange("a", 1, 0), FieldChange("c", 3, 4))


def test_fingerprint_changes_with_the_file_the_stored_rows_and_the_options():
    rows = [(2, {"ref": "a", "name": "A"})]
    base = {"file_rows": rows, "stored": {"a": {"name": "A"}}, "options": {"approve": False}}
    variants = [
        {**base, "file_rows": [(2, {"ref": "a", "name": "B"})]},
        {**base, "stored": {"a": {"name": "A2"}}},
        {**base, "stored": {}},
        {**base, "options": {"approve": True}},
    ]

    fingerprints = {data_fingerprint(**base), *(data_fingerprint(**variant) for variant in variants)}

    assert len(fingerprints) == 5
    assert data_fingerprint(**base) == data_fingerprint(**{**base, "stored": {"a": {"name": "A"}}})


def test_import_plan_imports_no_django():
    source = Path(__file__).resolve().parents[2] / "companies" / "import_plan.py"
    tree = ast.parse(source.read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}

    assert sorted(modules) == ["collections.abc", "dataclasses", "hashlib", "json", "typing"]
