"""Writing a confirmed company import in bulk (companies.importing).

A company_update per row (a query for the lock, one per field set, two per child list, one for
the history, one refresh task) took more than 15 minutes for 10,000 updated companies. Here the
rows are written in batches: `bulk_update` of the changed fields, the children of the changed
companies deleted and inserted per batch, one history row per changed company with the same
field-level changes company_update records, and one match refresh for the whole import.

The caller holds the companies' row locks (select_for_update, in its transaction) and passes
them with `dependencies` and `contacts` prefetched.
"""

from collections.abc import Iterable, Sequence

from django.utils import timezone

from accounts.models import User
from companies.directory import directory_changed
from companies.enums import ChangeAction, CompanyStatus
from companies.models import PROFILE_FIELDS, Company, CompanyChange, ContactPerson, SupplyDependency
from companies.selectors import company_profile_data
from companies.services import companies_refresh_matches

BATCH = 500


def companies_create_bulk(*, rows: list[dict], user: User | None, approve: bool) -> list[Company]:
    """Insert new companies with their children and history. History is recorded as company_create
    and company_approve record it; approving needs no e-mail, because a new company has no members."""
    now = timezone.now()
    review = {"status": CompanyStatus.APPROVED, "reviewed_by": user, "reviewed_at": now} if approve else {}
    companies = Company.objects.bulk_create(
        [Company(**{name: data[name] for name in PROFILE_FIELDS}, **review) for data in rows], batch_size=BATCH
    )
    pairs = list(zip(companies, rows, strict=True))
    _children_create({c.pk: data for c, data in pairs})
    changes = [
        CompanyChange(company=c, user=user, action=ChangeAction.IMPORTED, changes=_as_created(data))
        for c, data in pairs
    ]
    if approve:
        changes += [CompanyChange(company=c, user=user, action=ChangeAction.APPROVED) for c in companies]
    CompanyChange.objects.bulk_create(changes, batch_size=BATCH)
    directory_changed()
    return companies


def _as_created(data: dict) -> dict[str, list]:
    # The change record of a new profile, as companies.services records one: {field: [None, value]}.
    return {name: [None, value] for name, value in data.items() if value is not None}


def companies_update_bulk(
    *, changes: Iterable[tuple[dict, Company]], user: User | None, action: str = ChangeAction.IMPORTED
) -> list[Company]:
    """Apply cleaned values (profile_clean's shape) to locked companies; return those that changed.

    Each changed company gets one history row {field: [old, new]}, as company_update writes it;
    the public ones among them get one match refresh, enqueued on commit, for all of them.
    """
    now = timezone.now()
    changed: list[Company] = []
    history: list[CompanyChange] = []
    fields: set[str] = set()
    children: dict[int, dict] = {}
    for data, company in changes:
        before = company_profile_data(company=company)
        diff = {name: [before[name], value] for name, value in data.items() if name in before and before[name] != value}
        if not diff:
            continue
        for name in diff.keys() & set(PROFILE_FIELDS):
            setattr(company, name, data[name])
            fields.add(name)
        company.updated_at = now
        children[company.pk] = {name: data[name] for name in ("dependencies", "contacts") if name in diff}
        history.append(CompanyChange(company=company, user=user, action=action, changes=diff))
        changed.append(company)
    Company.objects.bulk_update(changed, [*sorted(fields), "updated_at"], batch_size=BATCH)
    if changed:
        directory_changed()
    _children_replace(children)
    CompanyChange.objects.bulk_create(history, batch_size=BATCH)
    companies_refresh_matches(company_ids=[company.pk for company in changed if company.is_public])
    return changed


def _children_replace(children: dict[int, dict]) -> None:
    """Delete the dependency or contact rows of the companies whose lists changed, then insert the new ones."""
    for model, name in ((SupplyDependency, "dependencies"), (ContactPerson, "contacts")):
        ids = sorted(company_id for company_id, lists in children.items() if name in lists)
        for batch in _batches(ids):
            model.objects.filter(company_id__in=batch).delete()
    _children_create(children)


def _children_create(children: dict[int, dict]) -> None:
    def rows(name: str) -> list[tuple[int, dict]]:
        return [(company_id, row) for company_id, lists in children.items() for row in lists.get(name, [])]

    dependencies = [SupplyDependency(company_id=company_id, **row) for company_id, row in rows("dependencies")]
    SupplyDependency.objects.bulk_create(dependencies, batch_size=BATCH)
    contacts = [ContactPerson(company_id=company_id, **row) for company_id, row in rows("contacts")]
    ContactPerson.objects.bulk_create(contacts, batch_size=BATCH)


def _batches(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    return (ids[start : start + BATCH] for start in range(0, len(ids), BATCH))
