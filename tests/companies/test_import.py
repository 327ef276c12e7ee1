import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import path
from django.utils import translation

from companies.admin_import import CompanyImportAdminMixin
from companies.enums import ChangeAction, CompanyStatus
from companies.importing import ImportResult, RowError, companies_import
from companies.models import Company, CompanyChange
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory, UserFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
HEADER = "ref,name,country,sectors,stages\n"


def _csv(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode()


def _json(*objects: object) -> bytes:
    return json.dumps(list(objects), ensure_ascii=False).encode()


def _import(content: bytes, filename: str = "firms.csv", user=None, approve: bool = False) -> ImportResult:
    return companies_import(content=content, filename=filename, user=user, approve=approve)


def _firm(**fields: object) -> dict:
    return {"ref": "f1", "name": "Firm One", "country": "DE", "sectors": ["batteries"], **fields}


# The example files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["companies.csv", "companies.json"])
def test_import_example_file_imports_cleanly(db, name):
    result = _import((EXAMPLES / name).read_bytes(), name)

    assert result == ImportResult(created=3, updated=0, unchanged=0, errors=[])
    assert list(Company.objects.values_list("ref", "name", "status")) == [
        ("example-eu-002", "BioForma Therapeutics BV", CompanyStatus.DRAFT),
        ("example-jp-001", "Kansai Rare Earth Separation KK", CompanyStatus.DRAFT),
        ("example-eu-001", "Nordgraphit Anoden GmbH", CompanyStatus.DRAFT),
    ]


def test_import_example_files_hold_the_same_companies(db):
    _import((EXAMPLES / "companies.csv").read_bytes(), "companies.csv")

    result = _import((EXAMPLES / "companies.json").read_bytes(), "companies.json")

    assert result == ImportResult(created=0, updated=0, unchanged=3, errors=[])


def test_import_csv_values_are_parsed_like_json(db):
    _import((EXAMPLES / "companies.csv").read_bytes(), "companies.csv")

    company = Company.objects.get(ref="example-jp-001")
    assert (company.name_ja, company.city, company.year_founded, company.text_language) == (
        "関西レアアース分離株式会社", "堺市", 1987, "ja",
    )  # fmt: skip
    assert company.stages == ["critical_minerals.recycling", "critical_minerals.ree_separation"]
    assert list(company.contacts.values_list("name", "role", "email", "phone")) == [
        ("山田 花子", "営業部長", "yamada@kansai-ree.example", "+81 72 000 0000"),
        ("Ken Sato", "Export sales", "k.sato@kansai-ree.example", ""),
    ]
    nord = Company.objects.get(ref="example-eu-001")
    assert list(nord.dependencies.values_list("material", "source_country", "share_percent")) == [
        ("graphite", "CN", 80), ("silicon_metal", "NO", 40),
    ]  # fmt: skip


def test_import_csv_with_bom_reads_the_first_column(db):
    result = _import(b"\xef\xbb\xbf" + _csv("f1,Firm One,DE,batteries,"))

    assert result == ImportResult(created=1, errors=[])
    assert Company.objects.get().ref == "f1"


# Errors ----------------------------------------------------------------------------------------


def test_import_bad_country_is_reported_with_row_field_reason(db):
    result = _import(_csv("f1,Firm One,DE,batteries,", "f2,Firm Two,US,batteries,"))

    assert result.errors == [
        RowError(3, "country", "'US' is not an EU member state or Japan (ISO 3166 alpha-2)."),
    ]
    assert Company.objects.count() == 0


def test_import_unknown_vocabulary_value_is_reported(db):
    result = _import(_csv("f1,Firm One,DE,batteries,batteries.anodes|batteries.cells"))

    assert result.errors == [
        RowError(
            2,
            "stages",
            "Unknown value(s): batteries.anodes. See docs/vocabulary.md for the codes."
            " Did you mean “batteries.anode” for “batteries.anodes”?",
        ),
    ]


def test_import_missing_required_column_is_reported_on_the_header(db):
    result = _import(_csv("f1,Firm One,batteries", header="ref,name,sectors\n"))

    assert result.errors == [RowError(1, "country", "This required column is missing.")]


def test_import_unknown_column_is_reported_on_the_header(db):
    result = _import(_csv("f1,Firm One,DE,batteries,x", header="ref,name,country,sectors,sector\n"))

    assert result.errors == [RowError(1, "sector", "Unknown column; see docs/import-format.md.")]


def test_import_missing_required_field_in_json_is_reported(db):
    result = _import(_json(_firm(), {"ref": "f2", "country": "JP", "sectors": ["biotech"]}), "firms.json")

    assert result.errors == [RowError(2, "name", "This field is required.")]


def test_import_every_error_of_every_row_is_listed(db):
    content = _json(
        _firm(country="XX", website="not a url"),
        _firm(ref="f2", sectors=["space"], contacts=[{"name": "", "email": "x"}]),
        {"ref": "f3", "name": "Firm Three", "country": "JP", "sectors": "biotech", "colour": "red"},
    )

    result = _import(content, "firms.json")

    assert result.errors == [
        RowError(1, "country", "'XX' is not an EU member state or Japan (ISO 3166 alpha-2)."),
        RowError(1, "website", "Enter a valid http(s) URL."),
        RowError(2, "sectors", "Unknown value(s): space. See docs/vocabulary.md for the codes."),
        RowError(2, "contacts", "#1: a name is required."),
        RowError(3, "colour", "Unknown field; see docs/import-format.md."),
    ]


def test_import_json_values_of_the_wrong_type_are_reported(db):
    content = _json(_firm(sectors=[["batteries"]], contacts=["Anna"], year_founded="old"))

    result = _import(content, "firms.json")

    assert result.errors == [
        RowError(1, "sectors", "Expected a list of codes."),
        RowError(1, "contacts", "Expected a list of objects."),
        RowError(1, "year_founded", "Enter a whole year, e.g. 1998."),
    ]


def test_import_duplicate_ref_within_a_file_is_reported(db):
    result = _import(_csv("f1,Firm One,DE,batteries,", "f2,Firm Two,DE,batteries,", "f1,Firm Three,JP,biotech,"))

    assert result.errors == [RowError(4, "ref", "Duplicate ref 'f1': row 2 has it too.")]
    assert Company.objects.count() == 0


def test_import_wrong_encoding_gives_one_error(db):
    content = "ref,name,country,sectors\nf1,Müller Anoden,DE,batteries\n".encode("latin-1")

    result = companies_import(content=content, filename="firms.csv", user=None, approve=False, encoding="utf-8")

    assert result == ImportResult(
        errors=[RowError(0, "file", "The file cannot be read as utf-8 (line 2); choose another encoding.")]
    )


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b" \n\n"])
def test_import_empty_file_gives_one_error(db, content):
    assert _import(content).errors == [RowError(0, "file", "The file is empty.")]


def test_import_errors_ja_active_are_in_japanese_with_row_prefix(db):
    content = b"name,country,sectors,contacts\nGamma Oy,XX,batteries,Luc;CEO;luc@\n"
    with translation.override("ja"):
        errors = _import(content).errors
    assert errors == [
        RowError(2, "country", "「XX」はEU加盟国または日本の国コード（ISO 3166 alpha-2）ではありません。"),
        RowError(2, "contacts", "#1: 「luc@」は有効なメールアドレスではありません。"),
    ]


def test_import_header_without_rows_gives_one_error(db):
    assert _import(_csv()).errors == [RowError(0, "file", "The file lists no companies.")]


def test_import_malformed_json_gives_line_and_column(db):
    result = _import(b'[\n  {"name": "Firm One",\n  "country": "DE"\n', "firms.json")

    assert result.errors == [RowError(0, "file", "Malformed JSON at line 4, column 1: Expecting ',' delimiter.")]


def test_import_json_nested_too_deep_gives_one_error(db):
    result = _import(b"[" * 100_000 + b"]" * 100_000, "firms.json")

    assert result.errors == [RowError(0, "file", "The JSON is nested deeper than 32 levels.")]


def test_import_json_that_is_not_a_list_gives_one_error(db):
    result = _import(_json(_firm())[1:-1], "firms.json")

    assert result.errors == [RowError(0, "file", "The JSON file must be a list of company objects: [{...}, ...].")]


def test_import_json_item_that_is_not_an_object_is_reported(db):
    result = _import(b'[{"name": "A", "country": "DE", "sectors": ["biotech"]}, "B"]', "firms.json")

    assert result.errors == [RowError(2, "", "Expected an object with the company's fields.")]


def test_import_file_of_another_type_gives_one_error(db):
    result = _import(b"PK\x03\x04", "firms.ods")

    assert result.errors == [RowError(0, "file", "Use a .csv, .xlsx or .json file (see docs/import-format.md).")]


def test_import_csv_row_with_too_many_cells_is_reported(db):
    result = _import(_csv("f1,Firm One,DE,batteries,,extra"))

    assert result.errors == [RowError(2, "", "6 cells, but the header has 5 columns.")]


def test_import_csv_row_numbers_are_line_numbers_across_multiline_cells(db):
    content = _csv(
        'f1,Firm One,DE,batteries,"batteries.cells\n|batteries.cathode"',
        "",
        "f2,Firm Two,FR,batteries,batteries.cels",
        header="ref,name,country,sectors,stages\n",
    )

    result = _import(content)

    assert result.errors == [
        RowError(
            5,
            "stages",
            "Unknown value(s): batteries.cels. See docs/vocabulary.md for the codes."
            " Did you mean “batteries.cells” for “batteries.cels”?",
        ),
    ]


# All or nothing, upsert by ref, approval ---------------------------------------------------------


def test_import_valid_row_before_an_invalid_one_is_not_written(db):
    result = _import(_json(_firm(), _firm(ref="f2", country="US")), "firms.json")

    assert result.created == 0
    assert Company.objects.count() == 0
    assert CompanyChange.objects.count() == 0


def test_import_known_ref_updates_the_company_instead_of_adding_one(db):
    _import(_json(_firm()), "firms.json")

    result = _import(_json(_firm(name="Firm One AG", city="Bonn")), "firms.json")

    assert result == ImportResult(created=0, updated=1, unchanged=0, errors=[])
    assert list(Company.objects.values_list("ref", "name", "city")) == [("f1", "Firm One AG", "Bonn")]
    company = Company.objects.get()
    assert list(company.changes.values_list("action", "changes")) == [
        (ChangeAction.IMPORTED, {"name": ["Firm One", "Firm One AG"], "city": ["", "Bonn"]}),
        (ChangeAction.IMPORTED, {
            "name": [None, "Firm One"], "country": [None, "DE"], "sectors": [None, ["batteries"]], "ref": [None, "f1"],
            "name_ja": [None, ""], "region": [None, ""], "city": [None, ""], "description": [None, ""],
            "offer": [None, ""], "seek": [None, ""], "keywords": [None, ""], "website": [None, ""],
            "size_band": [None, ""], "stages": [None, []], "partnership_types": [None, []], "materials": [None, []],
            "languages": [None, []], "dependencies": [None, []], "contacts": [None, []], "text_language": [None, "en"],
        }),
    ]  # fmt: skip


def test_import_same_file_twice_writes_nothing_the_second_time(db):
    content = (EXAMPLES / "companies.json").read_bytes()
    _import(content, "companies.json")

    result = _import(content, "companies.json")

    assert result == ImportResult(created=0, updated=0, unchanged=3, errors=[])
    assert CompanyChange.objects.count() == 3


def test_import_update_keeps_fields_left_out_of_the_file(db):
    company = CompanyFactory(ref="f1", name="Firm One", city="Berlin", website="https://one.example")
    ContactPersonFactory(company=company, name="Anna Example")

    result = _import(_csv("f1,Firm One GmbH,DE,batteries,batteries.cathode"))

    assert result == ImportResult(created=0, updated=1, errors=[])
    company.refresh_from_db()
    assert (company.name, company.city, company.website) == ("Firm One GmbH", "Berlin", "https://one.example")
    assert list(company.contacts.values_list("name", flat=True)) == ["Anna Example"]


def test_import_update_of_an_approved_company_keeps_it_approved(db):
    CompanyFactory(ref="f1", status=CompanyStatus.APPROVED)

    _import(_json(_firm(name="Renamed")), "firms.json")

    assert Company.objects.get().status == CompanyStatus.APPROVED


def test_import_new_companies_are_drafts_without_members(db, admin_user):
    _import(_json(_firm()), "firms.json", user=admin_user)

    company = Company.objects.get()
    assert (company.status, company.memberships.count()) == (CompanyStatus.DRAFT, 0)
    assert list(company.changes.values_list("action", "user")) == [(ChangeAction.IMPORTED, admin_user.pk)]


def test_import_approve_marks_new_companies_approved_by_the_admin(db, admin_user, mailoutbox):
    result = _import(_json(_firm()), "firms.json", user=admin_user, approve=True)

    assert result == ImportResult(created=1, errors=[])
    company = Company.objects.get()
    assert (company.status, company.reviewed_by) == (CompanyStatus.APPROVED, admin_user)
    assert list(company.changes.values_list("action", flat=True)) == [ChangeAction.APPROVED, ChangeAction.IMPORTED]
    assert mailoutbox == []


def test_import_approve_approves_known_drafts_and_leaves_approved_ones(db, admin_user):
    draft = CompanyFactory(ref="f1", name="Firm One", status=CompanyStatus.SUBMITTED)
    approved = CompanyFactory(ref="f2", name="Firm Two", status=CompanyStatus.APPROVED)

    result = _import(_json(_firm(), _firm(ref="f2", name="Firm Two")), "firms.json", user=admin_user, approve=True)

    assert result.errors == []
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert (draft.status, draft.reviewed_by) == (CompanyStatus.APPROVED, admin_user)
    assert (approved.status, approved.reviewed_by) == (CompanyStatus.APPROVED, None)


def test_import_approve_by_a_non_admin_is_refused(db, member_a):
    with pytest.raises(PermissionDenied):
        _import(_json(_firm()), "firms.json", user=member_a, approve=True)

    assert Company.objects.filter(ref="f1").exists() is False


def test_import_many_rows_take_a_constant_number_of_queries(db, admin_user, django_assert_max_num_queries):
    rows = [
        _firm(ref=f"r{i}", name=f"Firm {i}", dependencies=[{"material": "graphite", "source_country": "CN",
              "share_percent": 50}], contacts=[{"name": "Anna", "email": f"a{i}@example.com"}])
        for i in range(1000)
    ]  # fmt: skip

    with django_assert_max_num_queries(100):
        result = _import(_json(*rows), "firms.json", user=admin_user, approve=True)

    assert result == ImportResult(created=1000, errors=[])
    assert CompanyChange.objects.count() == 2000


# The command -----------------------------------------------------------------------------------


def test_import_command_with_errors_exits_nonzero_listing_row_field_reason(db, tmp_path):
    file = tmp_path / "firms.csv"
    file.write_bytes(_csv("f1,Firm One,US,batteries,", "f1,Firm Two,DE,space,"))

    with pytest.raises(CommandError) as raised:
        call_command("import_companies", str(file))

    assert str(raised.value) == (
        f"Nothing was imported; 3 error(s) in {file}:\n"
        "row 2, country: 'US' is not an EU member state or Japan (ISO 3166 alpha-2).\n"
        "row 3, ref: Duplicate ref 'f1': row 2 has it too.\n"
        "row 3, sectors: Unknown value(s): space. See docs/vocabulary.md for the codes."
    )
    assert Company.objects.count() == 0


def test_import_command_file_error_is_printed_without_a_row(db, tmp_path):
    file = tmp_path / "firms.json"
    file.write_bytes(b"{}")

    with pytest.raises(CommandError) as raised:
        call_command("import_companies", str(file))

    assert str(raised.value) == (
        f"Nothing was imported; 1 error(s) in {file}:\n"
        "file, file: The JSON file must be a list of company objects: [{...}, ...]."
    )


def test_import_command_approve_as_admin_approves(db, admin_user, capsys):
    call_command("import_companies", str(EXAMPLES / "companies.json"), "--approve", "--as", "admin@example.com")

    assert capsys.readouterr().out == (
        "Plan: 3 to create, 0 to update, 0 unchanged.\n"
        "  + row 1: Nordgraphit Anoden GmbH (example-eu-001)\n"
        "  + row 2: Kansai Rare Earth Separation KK (example-jp-001)\n"
        "  + row 3: BioForma Therapeutics BV (example-eu-002)\n"
        f"Imported {EXAMPLES / 'companies.json'}: 3 created, 0 updated, 0 unchanged.\n"
    )
    assert set(Company.objects.values_list("status", flat=True)) == {CompanyStatus.APPROVED}


def test_import_command_approve_without_an_admin_is_refused(db, member_a):
    with pytest.raises(CommandError) as raised:
        call_command("import_companies", str(EXAMPLES / "companies.json"), "--approve", "--as", member_a.email)

    assert str(raised.value) == "--approve needs --as with the e-mail address of an admin."
    assert Company.objects.filter(ref__startswith="example-").count() == 0


def test_import_command_unknown_user_is_refused(db):
    with pytest.raises(CommandError) as raised:
        call_command("import_companies", str(EXAMPLES / "companies.json"), "--as", "nobody@example.com")

    assert str(raised.value) == "No user with the e-mail address nobody@example.com."


# The admin page (mounted on its own admin site, as companies/admin.py mounts it) -------------------

site = AdminSite(name="admin")


@admin.register(Company, site=site)
class _CompanyAdmin(CompanyImportAdminMixin, admin.ModelAdmin):
    pass


urlpatterns = [path("admin/", site.urls)]
IMPORT_URL = "/admin/companies/company/import/"


@pytest.mark.urls(__name__)
def test_admin_import_page_imports_the_file_once_confirmed(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("companies.csv", (EXAMPLES / "companies.csv").read_bytes())
    preview = client.post(IMPORT_URL, {"file": upload, "approve": "on"})
    assert Company.objects.count() == 0
    confirm = {name: preview.context["confirm"][name].value() for name in ("token", "fingerprint")}

    response = client.post(IMPORT_URL, confirm, follow=True)

    assert response.redirect_chain == [("/admin/companies/company/", 302)]
    assert [str(m) for m in response.context["messages"]] == ["Imported: 3 created, 0 updated, 0 unchanged."]
    assert set(Company.objects.values_list("status", flat=True)) == {CompanyStatus.APPROVED}


@pytest.mark.urls(__name__)
def test_admin_import_page_lists_errors_and_writes_nothing(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("firms.csv", _csv("f1,Firm One,DE,batteries,", "f2,Firm Two,US,batteries,"))

    response = client.post(IMPORT_URL, {"file": upload})

    assert response.status_code == 200
    assert response.context["errors"] == [
        RowError(3, "country", "'US' is not an EU member state or Japan (ISO 3166 alpha-2)."),
    ]
    assert "Nothing was imported: 1 error." in response.content.decode()
    assert Company.objects.count() == 0


@pytest.mark.urls(__name__)
def test_admin_import_page_rejects_other_file_types(client, admin_user):
    client.force_login(admin_user)

    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("firms.ods", b"PK")})

    assert response.context["form"].errors == {"file": ["Choose a .csv, .xlsx or .json file."]}


@pytest.mark.urls(__name__)
def test_admin_import_page_is_refused_to_staff_without_permissions(client, db):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.get(IMPORT_URL)

    assert response.status_code == 403


@pytest.mark.urls(__name__)
def test_admin_import_page_sends_members_to_the_login(client, member_a):
    client.force_login(member_a)

    response = client.get(IMPORT_URL)

    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={IMPORT_URL}")


def test_import_of_a_member_company_ref_keeps_its_members(db):
    membership = MembershipFactory(company__ref="f1")

    _import(_json(_firm()), "firms.json")

    assert list(Company.objects.get().memberships.all()) == [membership]


def test_import_values_longer_than_their_columns_are_reported(db):
    content = _json(_firm(website="https://example.com/" + "a" * 200, contacts=[{"name": "A", "phone": "1" * 41}]))

    result = _import(content, "firms.json")

    assert result.errors == [
        RowError(1, "contacts", "#1: the phone has more than 40 characters."),
        RowError(1, "website", "At most 200 characters; this text has 220."),
    ]
