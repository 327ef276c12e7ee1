"""What a company import will do, worked out before anything is written (pure Python, no Django).

An import first shows its plan: the rows that create a company, the rows that update one (field by
field, old -> new), the rows that change nothing, and the errors with their row numbers. It writes
only when someone confirms that plan, and only if the data is still what the plan was computed on:
the plan's `fingerprint` is a hash of the file's rows and of the stored rows they touch, computed
again inside the writing transaction (companies.importing).
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

FILE_ROW = 0  # the row number of an error about the whole file


class RowError(NamedTuple):
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = "file" if self.row == FILE_ROW else f"row {self.row}"
        return f"{where}, {self.field or '-'}: {self.reason}"


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class PlannedRow:
    """One row of the file and what it does. `committed`: the company it updates has confirmed
    meetings or accepted requests (possibly in a published schedule), so updating it needs an
    explicit confirmation."""

    row: int
    ref: str | None
    name: str
    changes: tuple[FieldChange, ...] = ()
    committed: bool = False


@dataclass(frozen=True)
class RowInput:
    """A valid row: its number, its cleaned values, and the stored values of the company it
    updates (None for a new company)."""

    row: int
    new: dict[str, Any]
    current: dict[str, Any] | None
    committed: bool = False


@dataclass
class ImportPlan:
    created: list[PlannedRow] = field(default_factory=list)
    updated: list[PlannedRow] = field(default_factory=list)
    unchanged: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> list[PlannedRow]:
        """Updated rows whose company has meetings: the confirmation names them."""
        return [row for row in self.updated if row.committed]

    @property
    def writes(self) -> bool:
        return bool(self.created or self.updated)


def field_changes(current: dict[str, Any], new: dict[str, Any], fields: Sequence[str]) -> tuple[FieldChange, ...]:
    """The fields of `fields` whose value differs, in that order."""
    return tuple(FieldChange(name, current.get(name), new[name]) for name in fields
                 if name in new and current.get(name) != new[name])  # fmt: skip


def plan_build(
    rows: Iterable[RowInput], errors: list[RowError], *, fields: Sequence[str], fingerprint: str
) -> ImportPlan:
    """Sort valid rows into created / updated / unchanged; a file with errors plans no writes."""
    plan = ImportPlan(errors=sorted(errors, key=lambda error: error.row), fingerprint=fingerprint)
    for item in rows:
        # A company is named as it is known now: the plan shows a rename as a change of `name`.
        ref, name = item.new.get("ref"), str((item.current or item.new).get("name") or "")
        if item.current is None:
            plan.created.append(PlannedRow(item.row, ref, name))
            continue
        changes = field_changes(item.current, item.new, fields)
        target = plan.updated if changes else plan.unchanged
        target.append(PlannedRow(item.row, ref, name, changes, committed=item.committed and bool(changes)))
    return plan


def data_fingerprint(*, file_rows: Sequence[tuple[int, Any]], stored: dict[str, Any], options: dict[str, Any]) -> str:
    """A hash of what a plan was computed on: the file's rows, the stored rows they touch (by ref,
    None where there is none) and the import's options. Any change to one of them changes it."""
    payload = {"rows": list(file_rows), "stored": stored, "options": options}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
