"""Import a delegation list (CSV or .xlsx) into a mission: all rows or none. Format: docs/missions.md;
the files read (encodings, delimiters, header names) as in docs/import-format.md."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from companies.enums import CompanyStatus
from companies.import_files import labels_in_both_languages, table_error_message
from companies.models import Company
from companies.tabular import Table, TableError, close_names, header_aliases, match_header, read_table
from events.enums import JoinedVia
from events.models import Delegate, Mission, Participation
from events.services._common import require_manager, require_unlocked
from events.services.participation import _seats_in_use

COMPANY_COLUMNS = ("company_ref", "company_name", "company_website")
COLUMNS = (*COMPANY_COLUMNS, "delegate_name", "delegate_email", "delegate_role", "max_meetings")
MAX_ROWS = 5000
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


@dataclass(frozen=True)
class RowError:
    """`row` counts lines as a spreadsheet does: the header is row 1, the first delegate row 2."""

    row: int
    field: str
    reason: str


@dataclass
class DelegationImportResult:
    errors: list[RowError] = field(default_factory=list)
    participations_created: int = 0
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


def _read_rows(table: Table, result: DelegationImportResult) -> dict[int, _Group]:
    fields = match_header(table.header, _column_aliases())
    if "delegate_name" not in fields or not set(COMPANY_COLUMNS) & set(fields):
        result.errors.append(
            RowError(
                table.header_row,
                "header",
                _("Columns needed: delegate_name and one of company_ref, company_name, company_website."),
            )
        )
        return {}
    groups: dict[int, _Group] = {}
    directory = _Directory()
    for count, (number, cells) in enumerate(table.rows, start=1):
        if count > MAX_ROWS:
            result.errors.append(RowError(number, "", _("At most %(n)d rows per file.") % {"n": MAX_ROWS}))
            break
        row = {name: cell.strip() for name, cell in zip(fields, cells, strict=False) if name}
        _read_row(number, row, groups, result, directory)
    return groups


def _read_row(
    number: int, row: dict[str, str], groups: dict[int, _Group], result: DelegationImportResult, directory: _Directory
) -> None:
    company, column, reason = _find_company(row, directory)
    if company is None:
        result.errors.append(RowError(number, column, reason))
        return
    group = groups.setdefault(company.pk, _Group(company=company, first_row=number))
    name, email = row.get("delegate_name", ""), row.get("delegate_email", "")
    if not name:
        result.errors.append(RowError(number, "delegate_name", _("A delegate needs a name.")))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(
                RowError(number, "delegate_email", _("“%(value)s” is not an e-mail address.") % {"value": email})
            )
        if any(d["email"].lower() == email.lower() for d in group.delegates):
            result.errors.append(
                RowError(number, "delegate_email", _("This delegate is listed twice for the company."))
            )
    try:
        max_meetings = _parse_max(row.get("max_meetings", ""))
    except ValueError:
        result.errors.append(RowError(number, "max_meetings", _("Give a whole number of 0 or more.")))
        max_meetings = None
    if max_meetings is not None:
        if group.max_meetings is not None and group.max_meetings != max_meetings:
            result.errors.append(
                RowError(
                    number,
                    "max_meetings",
                    _("Differs from row %(row)d for the same company.") % {"row": group.max_meetings_row},
                )
            )
        group.max_meetings, group.max_meetings_row = max_meetings, number
    group.delegates.append({"name": name, "email": email, "role": row.get("delegate_role", "")})


@transaction.atomic
def delegation_import(
    *, mission: Mission, user: User | None, content: bytes | str, filename: str = "delegation.csv", encoding: str = ""
) -> DelegationImportResult:
    """Each company in the file takes part in the mission and its rows become its delegate list
    (replacing the previous list, so importing an updated file again is safe). With any error
    nothing is written and every error is reported. `filename` says .csv or .xlsx; `encoding`
    is a CSV's ("" to detect it, companies.tabular)."""
    require_manager(user=user, mission=mission)
    require_unlocked(mission)
    result = DelegationImportResult()
    try:
        table = read_table(content.encode() if isinstance(content, str) else content, filename, encoding=encoding)
    except TableError as error:
        reason = table_error_message(error, formats=_(".csv or .xlsx"))
        result.errors.append(RowError(error.row or 1, "file", reason))
        return result
    groups = _read_rows(table, result)
    if not groups and not result.errors:
        result.errors.append(RowError(1, "file", _("The file lists no delegates.")))
    if result.errors:
        return result
    for group in groups.values():
        participation, created = Participation.objects.get_or_create(
            mission=mission, company=group.company, defaults={"joined_via": JoinedVia.IMPORT}
        )
        participation = Participation.objects.select_for_update(no_key=True).get(pk=participation.pk)
        if max(1, len(group.delegates)) < _seats_in_use(participation):
            result.errors.append(
                RowError(
                    group.first_row,
                    "delegate_name",
                    _("%(name)s has more meetings at one time than delegates listed.") % {"name": group.company.name},
                )
            )
            continue
        result.participations_created += int(created)
        result.delegates += len(group.delegates)
        participation.delegates.all().delete()
        Delegate.objects.bulk_create(Delegate(participation=participation, **d) for d in group.delegates)
        if group.max_meetings is not None:
            participation.max_meetings = group.max_meetings
            participation.save(update_fields=["max_meetings"])
    if result.errors:
        transaction.set_rollback(True)
        result.participations_created = result.delegates = 0
    return result
