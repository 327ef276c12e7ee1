"""Preview, then confirm: every door of the company import writes only the plan it showed."""

import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import include, path

from companies.admin_import import CompanyImportAdminMixin
from companies.demo_seed import DEMO_FILE
from companies.enums import CompanyStatus
from companies.import_plan import FieldChange, PlannedRow
from companies.importing import ImportRefused, ImportResult, companies_import_confirm, companies_import_preview
from companies.models import Company, CompanyImportPreview
from events.enums import RequestStatus
from tests.events.factories import MeetingFactory, MeetingRequestFactory, ParticipationFactory
from tests.factories import CompanyFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _json(*objects: object) -> bytes:
    return json.dumps(list(objects), ensure_ascii=False).encode()


def _firm(**fields: object) -> dict:
    return {"ref": "f1", "name": "Firm One", "country": "DE", "sectors": ["batteries"], **fields}


def _preview(content: bytes, **options):
    return companies_import_preview(content=content, filename="firms.json", **options)


def _confirm(content: bytes, fingerprint: str, **options) -> ImportResult:
    return companies_import_confirm(content=content, filename="firms.json", user=None, approve=False,
                                    fingerprint=fingerprint, **options)  # fmt: skip


@pytest.fixture
def pohjola(db):
    """A firm with a confirmed meeting, as Pohjola Nickel Oy in the published Tokyo schedule."""
    company = CompanyFactory(ref="f1", name="Pohjola Nickel Oy", country="FI", sectors=["critical_minerals"])
    MeetingFactory(a=ParticipationFactory(company=company))
    return company


# The service ---------------------------------------------------------------------------------------


def test_preview_writes_nothing_and_lists_each_changed_field(db):
    CompanyFactory(ref="f1", name="Firm One", country="DE", city="Berlin", sectors=["batteries"])
    content = _json(_firm(name="Firm One GmbH", city="Hamburg"), _firm(ref="f2", name="Firm Two"))

    plan = _preview(content)

    assert (plan.created, plan.updated, plan.unchanged, plan.errors) == (
        [PlannedRow(2, "f2", "Firm Two")],
        [PlannedRow(1, "f1", "Firm One", (FieldChange("name", "Firm One", "Firm One GmbH"),
                                          FieldChange("city", "Berlin", "Hamburg")))],
        [], [],
    )  # fmt: skip
    assert list(Company.objects.values_list("ref", "name")) == [("f1", "Firm One")]


def test_confirm_writes_the_previewed_plan(db):
    content = _json(_firm())
    plan = _preview(content)

    result = _confirm(content, plan.fingerprint)

    assert result == ImportResult(created=1)
    assert Company.objects.get().name == "Firm One"


def test_confirm_is_refused_when_a_stored_company_changed_since_the_preview(db):
    company = CompanyFactory(ref="f1", name="Firm One", country="DE", sectors=["batteries"])
    content = _json(_firm(city="Hamburg"))
    plan = _preview(content)
    Company.objects.filter(pk=company.pk).update(city="Munich")  # someone edits the profile meanwhile

    with pytest.raises(ImportRefused) as refused:
        _confirm(content, plan.fingerprint)

    assert (refused.value.stale, refused.value.message) == (
        True,
        "The file or the companies it updates changed since the preview. Nothing was written; preview again.",
    )
    assert Company.objects.get().city == "Munich"


def test_confirm_is_refused_for_another_file_than_the_previewed_one(db):
    plan = _preview(_json(_firm()))

    with pytest.raises(ImportRefused):
        _confirm(_json(_firm(name="Other")), plan.fingerprint)

    assert Company.objects.count() == 0


def test_confirm_is_refused_when_a_previewed_ref_was_created_meanwhile(db):
    content = _json(_firm())
    plan = _preview(content)
    CompanyFactory(ref="f1")

    with pytest.raises(ImportRefused):
        _confirm(content, plan.fingerprint)

    assert Company.objects.count() == 1


def test_updating_a_company_with_meetings_needs_a_confirmation_naming_it(pohjola):
    content = _json(_firm(name="BioForma Therapeutics BV", country="NL", sectors=["biotech"], stages=[]))
    plan = _preview(content)

    with pytest.raises(ImportRefused) as refused:
        _confirm(content, plan.fingerprint)

    assert [row.name for row in plan.committed] == ["Pohjola Nickel Oy"]
    assert (refused.value.stale, refused.value.message) == (False, (
        "These companies have confirmed meetings or accepted requests (possibly in a published schedule); "
        "confirm that they are to be updated: Pohjola Nickel Oy."
    ))  # fmt: skip
    pohjola.refresh_from_db()
    assert pohjola.name == "Pohjola Nickel Oy"


def test_updating_a_company_with_meetings_once_confirmed(pohjola):
    content = _json(_firm(name="Pohjola Nickel Oyj", country="FI", sectors=["critical_minerals"], stages=[]))
    plan = _preview(content)

    result = _confirm(content, plan.fingerprint, confirm_committed=True)

    assert result == ImportResult(updated=1)
    pohjola.refresh_from_db()
    assert pohjola.name == "Pohjola Nickel Oyj"


def test_an_accepted_request_counts_as_a_commitment(db):
    company = CompanyFactory(ref="f1", name="Firm One", country="DE", sectors=["batteries"])
    MeetingRequestFactory(recipient=ParticipationFactory(company=company), status=RequestStatus.ACCEPTED)
    MeetingRequestFactory(requester=ParticipationFactory(company=CompanyFactory(ref="f2")))  # pending

    plan = _preview(_json(_firm(city="Bonn"), _firm(ref="f2", city="Bonn")))

    assert [row.ref for row in plan.committed] == ["f1"]


def test_a_cancelled_meeting_is_no_commitment_and_unchanged_rows_need_no_confirmation(db):
    company = CompanyFactory(ref="f1", name="Firm One", country="DE", sectors=["batteries"])
    MeetingFactory(a=ParticipationFactory(company=company), status="cancelled")
    other = CompanyFactory(ref="f2", name="Firm Two", country="DE", sectors=["batteries"])
    MeetingFactory(a=ParticipationFactory(company=other))
    content = _json(_firm(city="Bonn"), _firm(ref="f2", name="Firm Two", city=other.city))

    plan = _preview(content)

    assert (plan.committed, [row.ref for row in plan.unchanged]) == ([], ["f2"])


def test_preview_with_approve_shows_the_status_change(db):
    CompanyFactory(ref="f1", name="Firm One", country="DE", sectors=["batteries"], status=CompanyStatus.SUBMITTED)

    plan = _preview(_json(_firm()), approve=True)

    assert plan.updated[0].changes[-1] == FieldChange("status", CompanyStatus.SUBMITTED, CompanyStatus.APPROVED)


# The example files ---------------------------------------------------------------------------------


def test_example_files_share_no_ref_with_the_demo_data():
    demo = {company["ref"] for company in json.loads(DEMO_FILE.read_text())}
    examples = {company["ref"] for company in json.loads((EXAMPLES / "companies.json").read_text())}
    csv_refs = {line.split(",")[0] for line in (EXAMPLES / "companies.csv").read_text().splitlines()[1:]}

    assert (examples & demo, csv_refs & demo) == (set(), set())
    assert all(ref.startswith("example-") for ref in examples | csv_refs)


# The command ---------------------------------------------------------------------------------------


@pytest.fixture
def firm_file(tmp_path):
    file = tmp_path / "firms.json"
    file.write_bytes(_json(_firm(name="Firm One GmbH", sectors=["batteries", "biotech"])))
    return file


def test_command_dry_run_prints_the_plan_with_labels_and_writes_nothing(db, firm_file, capsys):
    CompanyFactory(ref="f1", name="Firm One", country="DE", sectors=["batteries"])

    call_command("import_companies", str(firm_file), "--dry-run")

    fingerprint = _preview(firm_file.read_bytes()).fingerprint
    assert capsys.readouterr().out == (
        "Plan: 0 to create, 1 to update, 0 unchanged.\n"
        "  ~ row 1: Firm One (f1)\n"
        "      name: Firm One -> Firm One GmbH\n"
        "      sectors: Batteries -> Batteries; Biotech\n"
        f"Dry run: nothing was written. Fingerprint: {fingerprint}\n"
    )
    assert Company.objects.get().name == "Firm One"


def test_command_with_the_fingerprint_of_a_dry_run_writes(db, firm_file):
    fingerprint = _preview(firm_file.read_bytes()).fingerprint

    call_command("import_companies", str(firm_file), "--fingerprint", fingerprint)

    assert Company.objects.get().name == "Firm One GmbH"


def test_command_with_an_outdated_fingerprint_is_refused(db, firm_file):
    fingerprint = _preview(firm_file.read_bytes()).fingerprint
    CompanyFactory(ref="f1")

    with pytest.raises(CommandError) as raised:
        call_command("import_companies", str(firm_file), "--fingerprint", fingerprint)

    assert str(raised.value).startswith("The file or the companies it updates changed since the preview.")


def test_command_refuses_companies_with_meetings_without_the_flag(pohjola, firm_file):
    with pytest.raises(CommandError) as raised:
        call_command("import_companies", str(firm_file))

    assert str(raised.value) == (
        "Nothing was imported. These companies have confirmed meetings or accepted requests (possibly in a "
        "published schedule); confirm that they are to be updated: Pohjola Nickel Oy. Add --confirm-committed."
    )
    call_command("import_companies", str(firm_file), "--confirm-committed")
    pohjola.refresh_from_db()
    assert pohjola.name == "Firm One GmbH"


# The admin page ------------------------------------------------------------------------------------

site = AdminSite(name="admin")


@admin.register(Company, site=site)
class _CompanyAdmin(CompanyImportAdminMixin, admin.ModelAdmin):
    pass


urlpatterns = [path("admin/", site.urls), path("api/v1/", include("companies.api.urls"))]
IMPORT_URL = "/admin/companies/company/import/"
API_URL = "/api/v1/companies/import/"


def _upload(content: bytes, name: str = "firms.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _confirmation(preview, **extra: str) -> dict[str, str]:
    return {**{name: preview.context["confirm"][name].value() for name in ("token", "fingerprint")}, **extra}


@pytest.mark.urls(__name__)
def test_admin_preview_shows_the_changes_with_labels_and_the_companies_with_meetings(client, admin_user, pohjola):
    client.force_login(admin_user)
    content = _json(_firm(name="BioForma Therapeutics BV", country="NL", sectors=["biotech"], stages=[]))

    response = client.post(IMPORT_URL, {"file": _upload(content)})

    assert response.context["updates"][0][1] == [
        ("name", "Pohjola Nickel Oy", "BioForma Therapeutics BV"),
        ("country", "Finland", "Netherlands"),
        ("sectors", "Critical minerals", "Biotech"),
        ("value-chain stages", "Cathode materials", "—"),
    ]
    page = response.content.decode()
    assert "Yes, update the companies with meetings named above" in page
    assert "<strong>Pohjola Nickel Oy</strong> <code>f1</code>" in page
    assert CompanyImportPreview.objects.count() == 1


@pytest.mark.urls(__name__)
def test_admin_confirm_without_the_checkbox_is_refused_and_writes_nothing(client, admin_user, pohjola):
    client.force_login(admin_user)
    preview = client.post(IMPORT_URL, {"file": _upload(_json(_firm(name="Renamed")))})

    response = client.post(IMPORT_URL, _confirmation(preview))

    assert [str(m) for m in response.context["messages"]] == [
        "These companies have confirmed meetings or accepted requests (possibly in a published schedule); "
        "confirm that they are to be updated: Pohjola Nickel Oy."
    ]
    pohjola.refresh_from_db()
    assert pohjola.name == "Pohjola Nickel Oy"


@pytest.mark.urls(__name__)
def test_admin_confirm_with_the_checkbox_writes_and_forgets_the_file(client, admin_user, pohjola):
    client.force_login(admin_user)
    preview = client.post(IMPORT_URL, {"file": _upload(_json(_firm(name="Renamed")))})

    response = client.post(IMPORT_URL, _confirmation(preview, confirm_committed="on"), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Imported: 0 created, 1 updated, 0 unchanged."]
    pohjola.refresh_from_db()
    assert (pohjola.name, CompanyImportPreview.objects.count()) == ("Renamed", 0)


@pytest.mark.urls(__name__)
def test_admin_confirm_after_a_change_shows_the_new_preview(client, admin_user):
    company = CompanyFactory(ref="f1", name="Firm One", country="DE", sectors=["batteries"])
    client.force_login(admin_user)
    preview = client.post(IMPORT_URL, {"file": _upload(_json(_firm(city="Bonn")))})
    Company.objects.filter(pk=company.pk).update(city="Köln")

    response = client.post(IMPORT_URL, _confirmation(preview))

    assert [str(m) for m in response.context["messages"]] == [
        "The file or the companies it updates changed since the preview. Nothing was written; preview again."
    ]
    assert response.context["updates"][0][1] == [("city", "Köln", "Bonn")]
    assert Company.objects.get().city == "Köln"


@pytest.mark.urls(__name__)
def test_admin_confirm_of_another_users_preview_is_refused(client, admin_user, django_user_model):
    client.force_login(admin_user)
    preview = client.post(IMPORT_URL, {"file": _upload(_json(_firm()))})
    other = django_user_model.objects.create_superuser(email="other@example.com", password="x")
    client.force_login(other)

    response = client.post(IMPORT_URL, _confirmation(preview), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["This preview is no longer kept; upload the file again."]
    assert Company.objects.count() == 0


@pytest.mark.urls(__name__)
def test_admin_preview_of_an_unchanged_file_offers_no_confirmation(client, admin_user):
    CompanyFactory(ref="f1", name="Firm One", country="DE", sectors=["batteries"])
    client.force_login(admin_user)

    response = client.post(IMPORT_URL, {"file": _upload(_json(_firm()))})

    assert (response.context["confirm"], CompanyImportPreview.objects.count()) == (None, 0)
    assert [str(m) for m in response.context["messages"]] == [
        "Nothing to import: every row is the same as the stored company."
    ]


# The API -------------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_api_preview_returns_the_plan_and_writes_nothing(client, admin_user):
    CompanyFactory(ref="f1", name="Firm One", country="DE", sectors=["batteries"])
    client.force_login(admin_user)

    response = client.post(API_URL, {"file": _upload(_json(_firm(sectors=["biotech"], stages=[])))})

    body = response.json()
    assert (response.status_code, body["created"], body["unchanged"], body["errors"]) == (200, [], [], [])
    assert body["updated"] == [{"row": 1, "ref": "f1", "name": "Firm One", "committed": False, "changes": [
        {"field": "sectors", "label": "sectors", "old": ["batteries"], "new": ["biotech"],
         "old_text": "Batteries", "new_text": "Biotech"},
        {"field": "stages", "label": "value-chain stages", "old": ["batteries.cathode"], "new": [],
         "old_text": "Cathode materials", "new_text": "—"},
    ]}]  # fmt: skip
    assert Company.objects.get().sectors == ["batteries"]


@pytest.mark.urls(__name__)
def test_api_confirm_with_the_fingerprint_writes(client, admin_user):
    client.force_login(admin_user)
    content = _json(_firm())
    fingerprint = client.post(API_URL, {"file": _upload(content)}).json()["fingerprint"]

    response = client.post(API_URL, {"file": _upload(content), "fingerprint": fingerprint})

    assert (response.status_code, response.json()) == (201, {"created": 1, "updated": 0, "unchanged": 0})


@pytest.mark.urls(__name__)
def test_api_confirm_after_a_change_is_409(client, admin_user):
    client.force_login(admin_user)
    content = _json(_firm())
    fingerprint = client.post(API_URL, {"file": _upload(content)}).json()["fingerprint"]
    CompanyFactory(ref="f1", name="Meanwhile")

    response = client.post(API_URL, {"file": _upload(content), "fingerprint": fingerprint})

    assert (response.status_code, response.json()) == (409, {"detail": (
        "The file or the companies it updates changed since the preview. Nothing was written; preview again."
    )})  # fmt: skip
    assert Company.objects.get().name == "Meanwhile"


@pytest.mark.urls(__name__)
def test_api_companies_with_meetings_need_confirm_committed(client, admin_user, pohjola):
    client.force_login(admin_user)
    content = _json(_firm(name="Renamed"))
    plan = client.post(API_URL, {"file": _upload(content)}).json()

    refused = client.post(API_URL, {"file": _upload(content), "fingerprint": plan["fingerprint"]})
    confirmed = client.post(
        API_URL, {"file": _upload(content), "fingerprint": plan["fingerprint"], "confirm_committed": "true"}
    )

    assert [row["name"] for row in plan["committed"]] == ["Pohjola Nickel Oy"]
    assert (refused.status_code, list(refused.json())) == (400, ["confirm_committed"])
    assert confirmed.status_code == 201


@pytest.mark.urls(__name__)
def test_api_preview_with_errors_is_400_with_rows(client, admin_user):
    client.force_login(admin_user)

    response = client.post(API_URL, {"file": _upload(_json(_firm(country="US")))})

    assert (response.status_code, response.json()["errors"]) == (400, [
        {"row": 1, "field": "country", "reason": "'US' is not an EU member state or Japan (ISO 3166 alpha-2)."}
    ])  # fmt: skip


@pytest.mark.urls(__name__)
def test_api_confirming_a_preview_with_errors_answers_its_plan(client, admin_user):
    client.force_login(admin_user)
    content = _json(_firm(country="US"))
    preview = client.post(API_URL, {"file": _upload(content)})

    confirmed = client.post(API_URL, {"file": _upload(content), "fingerprint": preview.json()["fingerprint"]})

    assert (confirmed.status_code, confirmed.json()) == (400, preview.json())
    assert not Company.objects.exists()


@pytest.mark.urls(__name__)
def test_api_import_is_for_admins_only(client, member_a):
    client.force_login(member_a)

    response = client.post(API_URL, {"file": _upload(_json(_firm()))})

    assert response.status_code == 403
