"""Import a delegation list (CSV or .xlsx) into a mission: previewed, then confirmed, all rows or none.

Format: docs/missions.md; the files read (encodings, delimiters, header names) as in
docs/import-format.md. As the company import (companies.importing), an import is first a plan
(companies.import_plan): the firms that join the mission, the participations that change (their
delegate list and most meetings, old -> new), those left as they are, and the errors with their
rows. `delegation_import_confirm` writes that plan in one transaction, only if the file and the
mission's participations it touches are still what the preview saw (the fingerprint, computed
again under row locks, companies.import_preview), and only if the changes to firms with confirmed
meetings or accepted requests in the mission were confirmed by name.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from companies.enums import CompanyStatus
from companies.import_files import labels_in_both_languages, table_error_message
from companies.import_plan import FieldChange, ImportPlan, RowError, RowInput, data_fingerprint, plan_build
from companies.import_preview import ImportRefused, confirmation_check
from companies.models import Company
from companies.tabular import Table, TableError, close_names, header_aliases, match_header, read_table
from events.enums import JoinedVia
from events.models import Mission, Participation
from events.selectors import mission_company_ids_committed
from events.services._common import require_manager, require_unlocked
from events.services.participation import _seats_in_use, delegates_match, delegates_replace

COMPANY_COLUMNS = ("company_ref", "company_name", "company_website")
COLUMNS = (*COMPANY_COLUMNS, "delegate_name", "delegate_email", "delegate_role", "max_meetings")
MAX_ROWS = 5000
MAX_MEETINGS = 32767  # Participation.max_meetings is a PositiveSmallIntegerField
# The longest delegate texts (events.models.Delegate).
LIMITS = {"delegate_name": 200, "delegate_email": 254, "delegate_role": 200}
# What a planned change of a participation may name.
PLAN_FIELDS = ("delegates", "max_meetings")
# Header names a spreadsheet may use besides the column names, in English and (translated) Japanese.
COLUMN_LABELS = {
    "company_ref": gettext_lazy("Company reference"),
    "company_name": gettext_lazy("Company name"),
    "company_website": gettext_lazy("Company website"),
    "delegate_name": gettext_lazy("Delegate name"),
    "delegate_email": gettext_lazy("Delegate e-mail"),
    "delegate_role": gettext_lazy("Delegate role"),
    "max_meetings": gettext_lazy("Most meetings wanted"),
}

__all__ = ["DelegationImportResult", "ImportRefused", "RowError", "delegation_import", "delegation_import_confirm",
           "delegation_import_preview", "delegation_change_rows", "delegation_preview_scope", "change_label",
           "change_text"]  # fmt: skip


@dataclass
class DelegationImportResult:
    """What a confirmed import wrote. Rows count as a spreadsheet does: the header is row 1."""

    errors: list[RowError] = field(default_factory=list)
    participations_created: int = 0
    participations_updated: int = 0
    unchanged: int = 0
    delegates: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Group:
    company: Company
    first_row: int
    delegates: list[dict[str, str]] = field(default_factory=list)
    max_meetings: int | None = None
    max_meetings_row: int | None = None


@dataclass
class _Prepared:
    plan: ImportPlan
    groups: list[_Group] = field(default_factory=list)
    existing: dict[int, Participation] = field(default_factory=dict)


# Preview and confirm ---------------------------------------------------------------------------------


def delegation_import_preview(
    *, mission: Mission, user: User | None, content: bytes | str, filename: str = "delegation.csv", encoding: str = ""
) -> ImportPlan:
    """What importing the file into the mission would do; writes nothing. `filename` says .csv or
    .xlsx; `encoding` is a CSV's ("" to detect it, companies.tabular)."""
    require_manager(user=user, mission=mission)
    return _prepare(mission, _bytes(content), filename, encoding).plan


def delegation_import_confirm(
    *,
    mission: Mission,
    user: User | None,
    content: bytes | str,
    fingerprint: str,
    filename: str = "delegation.csv",
    encoding: str = "",
    confirm_committed: bool = False,
) -> DelegationImportResult:
    """Write the plan a preview showed (its `fingerprint`): each firm of the file takes part in the
    mission and its rows become its delegate list (replacing the previous list). Raises
    ImportRefused when the file or the participations changed since the preview, or when firms with
    meetings in the mission would change and `confirm_committed` is not given."""
    require_manager(user=user, mission=mission)
    require_unlocked(mission)
    try:
        with transaction.atomic():
            prepared = _prepare(mission, _bytes(content), filename, encoding, lock=True)
            confirmation_check(prepared.plan, fingerprint=fingerprint, confirm_committed=confirm_committed,
                               stale_message=stale_message, committed_message=committed_message)  # fmt: skip
            if not prepared.plan.ok:
                return DelegationImportResult(errors=prepared.plan.errors)
            return _write(mission, prepared)
    except IntegrityError:
        # Another import or enrolment added one of these firms after this one read the mission.
        raise ImportRefused(stale_message(), stale=True) from None


def delegation_import(
    *,
    mission: Mission,
    user: User | None,
    content: bytes | str,
    filename: str = "delegation.csv",
    encoding: str = "",
    confirm_committed: bool = False,
) -> DelegationImportResult:
    """Preview and confirm at once, for callers that own the file (the demo seed, tests of the
    reading); a refusal comes back as an error about the file."""
    plan = delegation_import_preview(mission=mission, user=user, content=content, filename=filename, encoding=encoding)
    if not plan.ok:
        return DelegationImportResult(errors=plan.errors)
    try:
        return delegation_import_confirm(
            mission=mission, user=user, content=content, filename=filename, encoding=encoding,
            fingerprint=plan.fingerprint, confirm_committed=confirm_committed,
        )  # fmt: skip
    except ImportRefused as refused:
        return DelegationImportResult(errors=[RowError(1, "file", refused.message)])


def stale_message() -> str:
    return _(
        "The file or the mission's participants it changes changed since the preview. Nothing was written; "
        "preview again."
    )


def committed_message(names: list[str]) -> str:
    """The confirmation asked for before changing the delegation of firms with meetings, naming them."""
    return _(
        "These firms have confirmed meetings or accepted requests in this mission (possibly in its published "
        "schedule); confirm that their delegation is to change: %(names)s."
    ) % {"names": "; ".join(names)}


def delegation_preview_scope(mission: Mission) -> str:
    """The scope under which the participants page keeps an uploaded file (companies.import_preview)."""
    return f"mission:{mission.pk}"


def delegation_change_rows(changes: tuple[FieldChange, ...]) -> list[tuple[str, str, str]]:
    """[(label, old, new)] of one planned participation change, as a person reads them."""
    return [(change_label(c.field), change_text(c.field, c.old), change_text(c.field, c.new)) for c in changes]


def change_label(name: str) -> str:
    """The label of a planned change's field (one of PLAN_FIELDS)."""
    return _("Delegates") if name == "delegates" else _("Most meetings")


def change_text(name: str, value: Any) -> str:
    """A planned change's value as a person reads it: delegates as "Name (role, e-mail); ..."."""
    if name == "max_meetings":
        return "—" if value is None else str(value)
    return "; ".join(_delegate_text(d) for d in value or []) or "—"


def _delegate_text(delegate: dict[str, str]) -> str:
    details = ", ".join(part for part in (delegate.get("role"), delegate.get("email")) if part)
    return f"{delegate['name']} ({details})" if details else delegate["name"]


# Planning ----------------------------------------------------------------------------------------------


def _bytes(content: bytes | str) -> bytes:
    return content.encode() if isinstance(content, str) else content


def _prepare(mission: Mission, content: bytes, filename: str, encoding: str, *, lock: bool = False) -> _Prepared:
    """Read, check and plan; with `lock`, the mission's participations of the file's firms stay locked."""
    try:
        table = read_table(content, filename, encoding=encoding)
    except TableError as error:
        reason = table_error_message(error, formats=_(".csv or .xlsx"))
        return _Prepared(ImportPlan(errors=[RowError(error.row or 1, "file", reason)]))
    errors: list[RowError] = []
    rows, groups = _read_rows(table, errors)
    if not groups and not errors:
        errors.append(RowError(1, "file", _("The file lists no delegates.")))
    existing = _participations(mission, [group.company.pk for group in groups], lock=lock)
    errors += _seat_errors(groups, existing)
    committed = mission_company_ids_committed(mission=mission, company_ids=sorted(existing))
    stored: dict[str, Any] = {str(pk): _current(p) for pk, p in sorted(existing.items())}
    stored |= {str(g.company.pk) + ":company": [g.company.name, g.company.status] for g in groups}
    fingerprint = data_fingerprint(
        file_rows=rows, stored=stored, options={"mission": mission.pk, "committed": sorted(committed)}
    )
    inputs = [_row_input(group, existing.get(group.company.pk), committed) for group in groups]
    plan = plan_build([] if errors else inputs, errors, fields=PLAN_FIELDS, fingerprint=fingerprint)
    return _Prepared(plan, groups=[] if errors else groups, existing=existing)


def _participations(mission: Mission, company_ids: list[int], *, lock: bool) -> dict[int, Participation]:
    found = Participation.objects.filter(mission=mission, company_id__in=company_ids).order_by("pk")
    if lock:
        found = found.select_for_update(no_key=True)
    return {p.company_id: p for p in found.prefetch_related("delegates")}


def _current(participation: Participation) -> dict[str, Any]:
    delegates = [{"name": d.name, "email": d.email, "role": d.role} for d in participation.delegates.all()]
    return {"delegates": delegates, "max_meetings": participation.max_meetings}


def _row_input(group: _Group, participation: Participation | None, committed: set[int]) -> RowInput:
    company = group.company
    new: dict[str, Any] = {"ref": company.ref or None, "name": company.name, "delegates": group.delegates}
    if group.max_meetings is not None:
        new["max_meetings"] = group.max_meetings
    current = None if participation is None else {"name": company.name, **_current(participation)}
    return RowInput(group.first_row, new, current, committed=company.pk in committed)


def _seat_errors(groups: list[_Group], existing: dict[int, Participation]) -> list[RowError]:
    """A firm cannot list fewer delegates than the meetings it already holds at one time."""
    errors = []
    for group in groups:
        participation = existing.get(group.company.pk)
        if participation is not None and max(1, len(group.delegates)) < _seats_in_use(participation):
            reason = _("%(name)s has more meetings at one time than delegates listed.") % {"name": group.company.name}
            errors.append(RowError(group.first_row, "delegate_name", reason))
    return errors


# Writing -----------------------------------------------------------------------------------------------


def _write(mission: Mission, prepared: _Prepared) -> DelegationImportResult:
    result = DelegationImportResult(unchanged=len(prepared.plan.unchanged))
    writes = {row.row for row in (*prepared.plan.created, *prepared.plan.updated)}
    for group in prepared.groups:
        if group.first_row not in writes:
            continue
        participation = prepared.existing.get(group.company.pk)
        if participation is None:
            participation = Participation.objects.create(
                mission=mission, company=group.company, joined_via=JoinedVia.IMPORT
            )
            result.participations_created += 1
        else:
            result.participations_updated += 1
        # Matched by name, so a re-import keeps the delegates' unavailability.
        delegates_replace(participation, *delegates_match(participation, group.delegates))
        result.delegates += len(group.delegates)
        if group.max_meetings is not None and group.max_meetings != participation.max_meetings:
            participation.max_meetings = group.max_meetings
            participation.save(update_fields=["max_meetings"])
    return result


# Reading -----------------------------------------------------------------------------------------------


def _normalise_site(url: str) -> str:
    url = url.strip().lower().removeprefix("https://").removeprefix("http://").removeprefix("www.")
    return url.rstrip("/")


class _Directory:
    """The names of approved companies, loaded once per file and only when a name is not found."""

    def __init__(self) -> None:
        self._names: list[str] | None = None

    def suggest(self, name: str) -> list[str]:
        if self._names is None:
            pairs = Company.objects.filter(status=CompanyStatus.APPROVED).values_list("name", "name_ja")
            self._names = [n for pair in pairs for n in pair if n]
        return close_names(name, self._names)


def _not_found(value: str, column: str, directory: _Directory) -> str:
    suggestions = directory.suggest(value) if column == "company_name" else []
    if suggestions:
        names = "”, “".join(suggestions)
        return _("No company matches “%(value)s”. Did you mean “%(names)s”?") % {"value": value, "names": names}
    return _("No company matches “%(value)s”.") % {"value": value}


def _find_company(row: dict[str, str], directory: _Directory) -> tuple[Company | None, str, str]:
    """The company a row names, or (None, column, reason)."""
    ref, name, site = (row.get(c, "").strip() for c in COMPANY_COLUMNS)
    if ref:
        found = list(Company.objects.filter(ref=ref)[:2])
        column = "company_ref"
    elif name:
        found = list(Company.objects.filter(Q(name__iexact=name) | Q(name_ja=name))[:2])
        column = "company_name"
    elif site:
        key = _normalise_site(site)
        found = [c for c in Company.objects.filter(website__icontains=key) if _normalise_site(c.website) == key][:2]
        column = "company_website"
    else:
        return None, "company_ref", _("Give company_ref, company_name or company_website.")
    if not found:
        return None, column, _not_found(ref or name or site, column, directory)
    if len(found) > 1:
        return None, column, _("Several companies match “%(value)s”; use company_ref.") % {"value": ref or name or site}
    if found[0].status != CompanyStatus.APPROVED:
        return None, column, _("%(name)s is not an approved profile.") % {"name": found[0].name}
    return found[0], "", ""


def _parse_max(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


def _column_aliases() -> dict[str, str]:
    return header_aliases({name: labels_in_both_languages([COLUMN_LABELS[name]]) for name in COLUMNS})


def _read_rows(table: Table, errors: list[RowError]) -> tuple[list[tuple[int, dict[str, str]]], list[_Group]]:
    """The file's rows (for the fingerprint) and the firms they name, in the order of their first row."""
    fields = match_header(table.header, _column_aliases())
    if "delegate_name" not in fields or not set(COMPANY_COLUMNS) & set(fields):
        reason = _("Columns needed: delegate_name and one of company_ref, company_name, company_website.")
        errors.append(RowError(table.header_row, "header", reason))
        return [], []
    rows: list[tuple[int, dict[str, str]]] = []
    groups: dict[int, _Group] = {}
    directory = _Directory()
    for count, (number, cells) in enumerate(table.rows, start=1):
        if count > MAX_ROWS:
            errors.append(RowError(number, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS}))
            break
        row = {name: cell.strip() for name, cell in zip(fields, cells, strict=False) if name}
        rows.append((number, row))
        _read_row(number, row, groups, errors, directory)
    return rows, list(groups.values())


def _read_row(
    number: int, row: dict[str, str], groups: dict[int, _Group], errors: list[RowError], directory: _Directory
) -> None:
    company, column, reason = _find_company(row, directory)
    if company is None:
        errors.append(RowError(number, column, reason))
        return
    group = groups.setdefault(company.pk, _Group(company=company, first_row=number))
    name, email = row.get("delegate_name", ""), row.get("delegate_email", "")
    if not name:
        errors.append(RowError(number, "delegate_name", _("A delegate needs a name.")))
    errors += _length_errors(number, row)
    if email:
        errors += _email_errors(number, email, group)
    try:
        max_meetings = _parse_max(row.get("max_meetings", ""))
    except ValueError:
        errors.append(RowError(number, "max_meetings", _("Give a whole number of 0 or more.")))
        max_meetings = None
    if max_meetings is not None and max_meetings > MAX_MEETINGS:
        errors.append(RowError(number, "max_meetings", _("At most %(n)d.") % {"n": MAX_MEETINGS}))
        max_meetings = None
    if max_meetings is not None:
        if group.max_meetings is not None and group.max_meetings != max_meetings:
            reason = _("Differs from row %(row)d for the same company.") % {"row": group.max_meetings_row}
            errors.append(RowError(number, "max_meetings", reason))
        group.max_meetings, group.max_meetings_row = max_meetings, number
    group.delegates.append({"name": name, "email": email, "role": row.get("delegate_role", "")})


def _length_errors(number: int, row: dict[str, str]) -> list[RowError]:
    return [
        RowError(number, column, _("At most %(limit)d characters; this text has %(length)d.")
                 % {"limit": limit, "length": len(row[column])})
        for column, limit in LIMITS.items() if len(row.get(column, "")) > limit
    ]  # fmt: skip


def _email_errors(number: int, email: str, group: _Group) -> list[RowError]:
    errors = []
    try:
        validate_email(email)
    except ValidationError:
        errors.append(RowError(number, "delegate_email", _("“%(value)s” is not an e-mail address.") % {"value": email}))
    if any(d["email"].lower() == email.lower() for d in group.delegates):
        errors.append(RowError(number, "delegate_email", _("This delegate is listed twice for the company.")))
    return errors
