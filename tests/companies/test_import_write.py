"""An import's updates are written in bulk, with the history and refresh company_update gives one edit."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.directory import _new_version
from companies.enums import ChangeAction, CompanyStatus
from companies.importing import companies_import_confirm, companies_import_preview
from companies.models import Company, CompanyChange, ContactPerson, SupplyDependency
from tests.factories import CompanyFactory


def _firm(n: int, **fields: object) -> dict:
    return {"ref": f"f{n}", "name": f"Firm {n}", "country": "DE", "sectors": ["batteries"], **fields}


def _import(rows: list[dict]):
    content = json.dumps(rows).encode()
    plan = companies_import_preview(content=content, filename="firms.json")
    result = companies_import_confirm(
        content=content, filename="firms.json", user=None, approve=False, fingerprint=plan.fingerprint
    )
    return plan, result


def _stored(count: int, **fields: object) -> list:
    return [CompanyFactory(ref=f"f{n}", name=f"Firm {n}", city="Berlin", **fields) for n in range(count)]


def test_bulk_update_records_each_changed_field_once_per_company(db):
    one, two, three = _stored(3)
    rows = [_firm(0, city="Hamburg"), _firm(1, city="Berlin"),
            _firm(2, dependencies=[{"material": "graphite", "source_country": "CN", "share_percent": 70}],
                  contacts=[{"name": "Ken Sato", "role": "Sales", "email": "", "phone": ""}])]  # fmt: skip

    _, result = _import(rows)

    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    history = {c.company_id: c.changes for c in CompanyChange.objects.filter(action=ChangeAction.IMPORTED)}
    assert history == {
        one.pk: {"city": ["Berlin", "Hamburg"]},
        three.pk: {
            "dependencies": [[], [{"material": "graphite", "source_country": "CN", "share_percent": 70}]],
            "contacts": [[], [{"name": "Ken Sato", "role": "Sales", "email": "", "phone": ""}]],
        },
    }
    one.refresh_from_db()
    assert (one.city, one.status) == ("Hamburg", CompanyStatus.APPROVED)
    assert list(SupplyDependency.objects.values_list("company_id", "material")) == [(three.pk, "graphite")]
    assert list(ContactPerson.objects.values_list("company_id", "name")) == [(three.pk, "Ken Sato")]


def test_bulk_update_replaces_only_the_child_lists_that_changed(db):
    (firm,) = _stored(1)
    SupplyDependency.objects.create(company=firm, material="nickel", source_country="ID", share_percent=40)
    ContactPerson.objects.create(company=firm, name="Jana Richter")
    dependency = [{"material": "nickel", "source_country": "ID", "share_percent": 40}]

    _import([_firm(0, dependencies=dependency, contacts=[{"name": "Ken Sato"}])])

    assert list(SupplyDependency.objects.values_list("material", "share_percent")) == [("nickel", 40)]
    assert list(ContactPerson.objects.values_list("name", flat=True)) == ["Ken Sato"]


def test_bulk_update_enqueues_one_refresh_for_the_whole_import(db, django_capture_on_commit_callbacks):
    _stored(5)
    with django_capture_on_commit_callbacks() as callbacks:
        _import([_firm(n, city="Osaka") for n in range(5)])

    ids = sorted(Company.objects.values_list("pk", flat=True))
    tasks = [callback for callback in callbacks if callback is not _new_version]  # not the directory's cache
    assert [(callback.func.__name__, callback.args) for callback in tasks] == [("delay", (ids,))]


def test_bulk_update_queries_do_not_grow_with_the_rows(db):
    def queries(count: int) -> int:
        _stored(count)
        with CaptureQueriesContext(connection) as captured:
            _import([_firm(n, city=f"City {n}") for n in range(count)])
        Company.objects.all().delete()
        return len(captured)

    assert queries(40) == queries(4)


def test_only_an_admin_or_the_system_may_confirm_an_import(db, member_a):
    content = json.dumps([_firm(1)]).encode()
    plan = companies_import_preview(content=content, filename="firms.json")

    with pytest.raises(PermissionDenied):
        companies_import_confirm(content=content, filename="firms.json", user=member_a, approve=False,
                                 fingerprint=plan.fingerprint)  # fmt: skip

    assert not Company.objects.filter(ref="f1").exists()
