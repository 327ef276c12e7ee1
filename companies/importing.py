"""Import of company profiles from CSV, Excel (.xlsx) or JSON files (format: docs/import-format.md).

An import is previewed, then confirmed. `companies_import_preview` validates every row with
companies.validation.profile_clean and returns the plan (companies.import_plan): what will be
created, updated (field by field) and left unchanged, or the errors. `companies_import_confirm`
writes that plan in one transaction, only if the file and the stored rows it touches are still
what the preview saw (the plan's fingerprint, computed again under row locks) and only if the
updates of companies with meetings were confirmed by name. A row whose `ref` is already known
updates that company; keys (JSON) or columns (CSV) left out of the file keep the current values.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.permissions import is_admin
from companies.enums import ChangeAction, CompanyStatus
from companies.exporting import CONTACT_KEYS, FIELDS, LIST_FIELDS, company_export_data
from companies.import_files import labels_in_both_languages, table_error_message
from companies.import_plan import FILE_ROW, ImportPlan, RowError, RowInput, data_fingerprint, plan_build
from companies.import_preview import (
    ImportRefused,
    confirmation_check,
    import_preview_get,
    import_preview_store,
)
from companies.import_write import companies_create_bulk, companies_update_bulk
from companies.limits import CONTACT as CONTACT_LIMITS
from companies.models import (
    Company,
    ContactPerson,
    SupplyDependency,
)
from companies.permissions import require_importer
from companies.services import company_approve
from companies.tabular import Table, TableError, extension_of, header_aliases, match_header, read_table
from companies.validation import profile_clean
from config.json_input import JSONTooDeep, json_loads
from config.spreadsheet import cell_restored

__all__ = ["FILE_ROW", "ImportPlan", "ImportRefused", "ImportResult", "RowError", "companies_import",
           "companies_import_confirm", "companies_import_preview", "import_preview_get",
           "import_preview_store"]  # fmt: skip

REQUIRED = ("name", "country", "sectors")
_BATCH = 500


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileProblem(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class _Prepared:
    """A plan and what writing it needs: the cleaned new rows and (cleaned, company) updates."""

    plan: ImportPlan
    new: list[dict] = field(default_factory=list)
    changed: list[tuple[dict, Company]] = field(default_factory=list)
    to_approve: list[Company] = field(default_factory=list)


def companies_import_preview(*, content: bytes, filename: str, approve: bool = False, encoding: str = "") -> ImportPlan:
    """What importing the file would do; writes nothing.

    Rows are numbered as people find them: the line in a CSV file and the row of a sheet (the
    header is row 1), the 1-based position of the object in a JSON list. `encoding` is a CSV's
    ("" to detect it; companies.tabular).
    """
    return _prepare(content, filename, encoding, approve).plan


def companies_import_confirm(
    *,
    content: bytes,
    filename: str,
    user: User | None,
    approve: bool,
    fingerprint: str,
    confirm_committed: bool = False,
    encoding: str = "",
) -> ImportResult:
    """Write the plan a preview showed (its `fingerprint`), all rows or none.

    Raises ImportRefused when the file or the stored rows changed since that preview, or when
    companies with meetings would be updated and `confirm_committed` is not given. `user` is an
    admin, or None for the system (the command without --as, the demo seed).
    """
    require_importer(user=user)
    if approve and not is_admin(user):
        raise PermissionDenied(_("Only admins can mark imported profiles approved."))
    try:
        with transaction.atomic():
            prepared = _prepare(content, filename, encoding, approve, lock=True)
            confirmation_check(prepared.plan, fingerprint=fingerprint, confirm_committed=confirm_committed,
                               stale_message=stale_message, committed_message=committed_message)  # fmt: skip
            if not prepared.plan.ok:
                return ImportResult(errors=prepared.plan.errors)
            _write(prepared, user=user, approve=approve)
    except IntegrityError:
        # Another import created one of the refs after this one read them.
        raise ImportRefused(stale_message(), stale=True) from None
    plan = prepared.plan
    return ImportResult(created=len(plan.created), updated=len(plan.updated), unchanged=len(plan.unchanged))


def companies_import(
    *,
    content: bytes,
    filename: str,
    user: User | None,
    approve: bool,
    encoding: str = "",
    confirm_committed: bool = False,
) -> ImportResult:
    """Preview and confirm at once, for callers that own the file (the demo seed, generated data).

    Updating companies with meetings still needs `confirm_committed`; without it the refusal is
    returned as an error about the file.
    """
    require_importer(user=user)
    plan = companies_import_preview(content=content, filename=filename, approve=approve, encoding=encoding)
    if not plan.ok:
        if approve and not is_admin(user):
            raise PermissionDenied(_("Only admins can mark imported profiles approved."))
        return ImportResult(errors=plan.errors)
    try:
        return companies_import_confirm(
            content=content, filename=filename, user=user, approve=approve, fingerprint=plan.fingerprint,
            confirm_committed=confirm_committed, encoding=encoding,
        )  # fmt: skip
    except ImportRefused as refused:
        return ImportResult(errors=[RowError(FILE_ROW, "", refused.message)])


def stale_message() -> str:
    return _("The file or the companies it updates changed since the preview. Nothing was written; preview again.")


def committed_message(names: list[str]) -> str:
    """The confirmation asked for before updating companies with meetings, naming them."""
    return _(
        "These companies have confirmed meetings or accepted requests (possibly in a published schedule); "
        "confirm that they are to be updated: %(names)s."
    ) % {"names": "; ".join(names)}


def _prepare(content: bytes, filename: str, encoding: str, approve: bool, *, lock: bool = False) -> _Prepared:
    """Read, validate and plan; with `lock`, the stored companies of the file stay locked until commit."""
    try:
        rows, errors = _read(content, filename, encoding)
    except _FileProblem as problem:
        return _Prepared(ImportPlan(errors=problem.errors))
    existing, committed = _existing_by_ref(rows, lock=lock)
    valid, row_errors = _validate(rows, existing)
    stored = {ref: _stored_values(company, approve) for ref, company in existing.items()}
    options = {"approve": approve, "committed": sorted(committed)}
    fingerprint = data_fingerprint(file_rows=rows, stored=stored, options=options)
    inputs = [
        RowInput(row, _planned_values(cleaned, approve), stored.get(cleaned["ref"]) if company else None,
                 committed=bool(company and company.pk in committed))
        for row, cleaned, company in valid
    ]  # fmt: skip
    fields = FIELDS + ("status",) if approve else FIELDS
    plan = plan_build(inputs if not (errors or row_errors) else [], errors + row_errors, fields=fields,
                      fingerprint=fingerprint)  # fmt: skip
    prepared = _Prepared(plan)
    if plan.ok:
        prepared.new = [cleaned for _, cleaned, company in valid if company is None]
        updated_rows = {row.row for row in plan.updated}
        prepared.changed = [(cleaned, company) for row, cleaned, company in valid
                            if company is not None and row in updated_rows
                            and cleaned != company_export_data(company)]  # fmt: skip
        prepared.to_approve = [company for _, _, company in valid if company is not None] if approve else []
    return prepared


def _stored_values(company: Company, approve: bool) -> dict[str, Any]:
    """The stored values a row is compared with; with `approve`, the status too (it may change)."""
    values = company_export_data(company)
    return {**values, "status": company.status} if approve else values


def _planned_values(cleaned: dict, approve: bool) -> dict[str, Any]:
    return {**cleaned, "status": CompanyStatus.APPROVED.value} if approve else cleaned


def _write(prepared: _Prepared, *, user: User | None, approve: bool) -> None:
    """In bulk (companies.import_write); an import is an admin's edit, so approved profiles change at
    once, without a pending revision (docs/moderation.md, "Imports")."""
    companies_create_bulk(rows=prepared.new, user=user, approve=approve)
    companies_update_bulk(changes=prepared.changed, user=user, action=ChangeAction.IMPORTED)
    if approve:
        _approve_existing(prepared.to_approve, admin=user)


# Reading -------------------------------------------------------------------------------------


def _read(content: bytes, filename: str, encoding: str = "") -> tuple[list[tuple[int, Any]], list[RowError]]:
    """The rows of the file with their numbers, and errors in the layout of single rows."""
    if extension_of(filename) == "json":
        rows, errors = _read_json(_decode_json(content)), list[RowError]()
    else:
        try:
            table = read_table(content, filename, encoding=encoding)
        except TableError as error:
            reason = table_error_message(error, formats=_(".csv, .xlsx or .json"))
            raise _FileProblem([RowError(FILE_ROW, "file", reason)]) from None
        rows, errors = _read_table(table)
    if not rows:
        raise _FileProblem([RowError(FILE_ROW, "file", _("The file lists no companies."))])
    return rows, errors


def _decode_json(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")  # a BOM, as some editors write it, is dropped
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        reason = _(
            "The file is not UTF-8 (the first invalid byte is on line %(line)d); save it as UTF-8 and retry."
        ) % {"line": line}
        raise _FileProblem([RowError(FILE_ROW, "file", reason)]) from None
    if not text.strip():
        raise _FileProblem([RowError(FILE_ROW, "file", _("The file is empty."))])
    return text


def _read_json(text: str) -> list[tuple[int, Any]]:
    try:
        data = json_loads(text)
    except JSONTooDeep as exc:
        reason = _("The JSON is nested deeper than %(limit)d levels.") % {"limit": exc.limit}
        raise _FileProblem([RowError(FILE_ROW, "file", reason)]) from None
    except json.JSONDecodeError as exc:
        where = {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        reason = _("Malformed JSON at line %(line)d, column %(column)d: %(error)s.") % where
        raise _FileProblem([RowError(FILE_ROW, "file", reason)]) from None
    if not isinstance(data, list):
        raise _FileProblem(
            [RowError(FILE_ROW, "file", _("The JSON file must be a list of company objects: [{...}, ...]."))]
        )
    return list(enumerate(data, start=1))


def header_aliases_of_fields() -> dict[str, str]:
    """Header names a spreadsheet may use for each field: the code, and its label in English and Japanese."""
    labels: dict[str, list[object]] = {name: [] for name in FIELDS}
    for name in FIELDS[:-2]:
        field = Company._meta.get_field(name)
        assert isinstance(field, Field), name  # the profile's own columns, none a relation
        labels[name].append(field.verbose_name)
    labels["name"].append(gettext_lazy("Company name"))
    labels["dependencies"].append(SupplyDependency._meta.verbose_name_plural)
    labels["contacts"].append(ContactPerson._meta.verbose_name_plural)
    return header_aliases({name: labels_in_both_languages(words) for name, words in labels.items()})


def _read_header(table: Table) -> list[str | None]:
    """The field of each column; unknown, missing and repeated columns are errors."""
    fields = match_header(table.header, header_aliases_of_fields())
    row = table.header_row
    missing = _("This required column is missing.")
    errors = [RowError(row, name, missing) for name in REQUIRED if name not in fields]
    errors += [
        RowError(row, name, _("Unknown column; see docs/import-format.md."))
        for name, found in zip(table.header, fields, strict=True)
        if name and found is None
    ]
    twice = _("This column appears twice.")
    errors += [RowError(row, name, twice) for name in sorted(_duplicates([f for f in fields if f]))]
    if errors:
        raise _FileProblem(errors)
    return fields


def _duplicates(names: list[str]) -> set[str]:
    return {name for name, count in Counter(names).items() if count > 1}


def _read_table(table: Table) -> tuple[list[tuple[int, Any]], list[RowError]]:
    fields = _read_header(table)
    rows, errors = [], []
    for line, cells in table.rows:
        if len(cells) > len(fields):
            counts = {"cells": len(cells), "columns": len(fields)}
            errors.append(RowError(line, "", _("%(cells)d cells, but the header has %(columns)d columns.") % counts))
        # A cell the export quoted against formula injection reads back as it was (config.spreadsheet).
        cells = [cell_restored(cell) for cell in cells] + [""] * (len(fields) - len(cells))
        rows.append((line, {name: cell for name, cell in zip(fields, cells, strict=False) if name}))
    return rows, errors


# Validating ----------------------------------------------------------------------------------


def _row_ref(raw: Any) -> str:
    return str(raw.get("ref") or "").strip() if isinstance(raw, dict) else ""


def _existing_by_ref(rows: list[tuple[int, Any]], *, lock: bool = False) -> tuple[dict[str, Company], set[int]]:
    """The stored companies the file's refs name, and the ids of those with meetings (locked with `lock`)."""
    from events.selectors import company_ids_committed  # events builds on companies

    refs = sorted({ref for _, raw in rows if (ref := _row_ref(raw))})
    existing: dict[str, Company] = {}
    committed: set[int] = set()
    for start in range(0, len(refs), _BATCH):
        batch = Company.objects.filter(ref__in=refs[start : start + _BATCH]).order_by("pk")
        if lock:
            batch = batch.select_for_update()
        companies = list(batch.prefetch_related("dependencies", "contacts"))
        existing.update((company.ref, company) for company in companies if company.ref is not None)  # all: ref__in
        committed |= company_ids_committed(company_ids=[company.pk for company in companies])
    return existing, committed


def _validate(
    rows: list[tuple[int, Any]], existing: dict[str, Company]
) -> tuple[list[tuple[int, dict, Company | None]], list[RowError]]:
    valid: list[tuple[int, dict, Company | None]] = []
    errors: list[RowError] = []
    first_row_of_ref: dict[str, int] = {}
    for row, raw in rows:
        ref = _row_ref(raw)
        if ref and ref in first_row_of_ref:
            twice = _("Duplicate ref '%(ref)s': row %(row)d has it too.") % {"ref": ref, "row": first_row_of_ref[ref]}
            errors.append(RowError(row, "ref", twice))
        first_row_of_ref.setdefault(ref, row)
        problems = _shape_problems(raw)
        if isinstance(raw, dict):
            # Fields of the wrong shape are left out, so the rest of the row is still checked.
            bad = {name for name, _ in problems}
            company = existing.get(ref) if ref else None
            try:
                cleaned = _clean_row({k: v for k, v in raw.items() if k not in bad}, company)
            except ValidationError as exc:
                problems += [(name, message) for name, messages in exc.message_dict.items() for message in messages
                             if name not in bad]  # fmt: skip
            if not problems:
                valid.append((row, cleaned, company))
        errors += [RowError(row, name, reason) for name, reason in problems]
    return valid, errors


def _shape_problems(raw: Any) -> list[tuple[str, str]]:
    """What profile_clean cannot be given: not an object, unknown keys, nested values of the wrong type."""
    if not isinstance(raw, dict):
        return [("", _("Expected an object with the company's fields."))]
    problems = [(key, _("Unknown field; see docs/import-format.md.")) for key in raw if key not in FIELDS]
    for name in LIST_FIELDS:
        value = raw.get(name)
        if not (value is None or isinstance(value, str) or _list_of(value, str)):
            problems.append((name, _("Expected a list of codes.")))
    for name in ("dependencies", "contacts"):
        value = raw.get(name)
        if not (value is None or isinstance(value, str) or _list_of(value, dict)):
            problems.append((name, _("Expected a list of objects.")))
    if isinstance(raw.get("contacts"), str):
        problems += _csv_contact_problems(raw["contacts"])
    return problems + _length_problems(raw)


def _length_problems(raw: dict) -> list[tuple[str, str]]:
    # Which contact part is too long, by name (profile_clean says only that the contact is).
    problems = []
    contacts: Any = raw.get("contacts")
    if isinstance(contacts, str):
        contacts = _csv_contacts(contacts)
    for index, contact in enumerate(contacts if _list_of(contacts, dict) else [], start=1):
        for key in CONTACT_KEYS:
            limit = CONTACT_LIMITS[key]
            if len(str(contact.get(key) or "")) > limit:
                too_long = _("the %(field)s has more than %(limit)d characters.") % {"field": key, "limit": limit}
                problems.append(("contacts", f"#{index}: {too_long}"))
    return problems


def _list_of(value: Any, kind: type) -> bool:
    return isinstance(value, list) and all(isinstance(item, kind) for item in value)


def _csv_contact_problems(value: str) -> list[tuple[str, str]]:
    return [
        ("contacts", f"#{index}: " + _("expected at most 4 parts, Name;Role;email;phone."))
        for index, part in enumerate(value.split("|"), start=1)
        if part.count(";") > 3
    ]


def _csv_contacts(value: str) -> list[dict[str, str]]:
    """'Name;Role;email;phone|Name2;...' as a list of contacts."""
    return [
        dict(zip(CONTACT_KEYS, [piece.strip() for piece in part.split(";")], strict=False))
        for part in value.split("|")
        if part.strip()
    ]


def _clean_row(raw: dict, company: Company | None) -> dict:
    data = dict(raw)
    if isinstance(data.get("contacts"), str):
        data["contacts"] = _csv_contacts(data["contacts"])
    if company is None:
        return profile_clean(data)
    current = company_export_data(company)
    if not data.get("text_language"):
        current.pop("text_language")  # detected again from the texts as they will be
    return profile_clean(data, partial=True, current=current)


# Writing -------------------------------------------------------------------------------------


def _approve_existing(companies: list[Company], *, admin: User | None) -> None:
    # Statuses as loaded before the import: companies_update_bulk leaves them as they were.
    for company in companies:
        if company.status != CompanyStatus.APPROVED:
            company_approve(company=company, admin=admin)  # type: ignore[arg-type]  # approve implies an admin


def companies_generate(*, count: int, seed: int, approve_by: User | None = None) -> ImportResult:
    """Import `count` synthetic companies (companies.synthetic), the same ones for the same seed.

    They go through the normal import, so they are validated and upserted by `ref` like any file.
    """
    from companies.synthetic import generate_profiles, import_rows

    rows = import_rows(generate_profiles(count, seed), seed)
    content = json.dumps(rows, ensure_ascii=False).encode("utf-8")
    return companies_import(content=content, filename="generated.json", user=approve_by, approve=approve_by is not None)
