"""The company import with the files people have: European and Japanese Excel CSV, tabs, .xlsx,
Japanese headers, and "did you mean" (companies.tabular, docs/import-format.md)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import path
from django.utils import translation

from companies.importing import RowError, companies_import
from companies.models import Company
from tests.clients import xlsx_bytes
from tests.companies.test_import import IMPORT_URL, site

_xlsx = xlsx_bytes


def _import(content: bytes, filename: str = "firms.csv", encoding: str = ""):
    return companies_import(content=content, filename=filename, user=None, approve=False, encoding=encoding)


def _names() -> list[tuple]:
    return list(Company.objects.order_by("ref").values_list("ref", "name", "country", "sectors"))


def test_european_excel_csv_with_semicolons_and_bom(db):
    content = "\ufeffref;name;country;sectors;stages\nf1;Nordgraphit Anoden GmbH;DE;batteries;batteries.anode\n"

    result = _import(content.encode("utf-8"))

    assert (result.errors, result.created) == ([], 1)
    assert _names() == [("f1", "Nordgraphit Anoden GmbH", "DE", ["batteries"])]


def test_windows_1252_csv_keeps_accents(db):
    content = "ref;name;country;sectors\nf1;Société Lithium SAS;FR;batteries\n".encode("cp1252")

    result = _import(content)

    assert (result.errors, result.created) == ([], 1)
    assert _names() == [("f1", "Société Lithium SAS", "FR", ["batteries"])]


def test_japanese_excel_csv_in_shift_jis_with_japanese_headers(db):
    content = "外部参照ID,名称,名称（日本語）,国,分野\njp1,Nihon Denchi KK,日本電池株式会社,JP,batteries\n"

    result = _import(content.encode("cp932"))

    assert (result.errors, result.created) == ([], 1)
    assert list(Company.objects.values_list("ref", "name", "name_ja", "country")) == [
        ("jp1", "Nihon Denchi KK", "日本電池株式会社", "JP")
    ]


def test_tab_separated_with_english_labels_as_headers(db):
    content = b"External Reference\tCompany name\tCountry\tSectors\nf1\tFirm; One\tDE\tbiotech\n"

    result = _import(content, "firms.csv")

    assert (result.errors, result.created) == ([], 1)
    assert _names() == [("f1", "Firm; One", "DE", ["biotech"])]


def test_xlsx_built_in_the_test(db):
    content = _xlsx(
        ["ref", "Name", "country", "sectors", "Year founded", "materials"],
        ["x1", "Rheinkathode GmbH", "DE", "batteries|critical_minerals", 1998, "nickel"],
    )

    result = _import(content, "firms.xlsx")

    assert (result.errors, result.created) == ([], 1)
    company = Company.objects.get()
    assert (company.name, company.sectors, company.year_founded) == (
        "Rheinkathode GmbH", ["batteries", "critical_minerals"], 1998,
    )  # fmt: skip


def test_xlsx_errors_give_the_sheet_row_and_did_you_mean(db):
    content = _xlsx(
        ["ref", "name", "country", "sectors"],
        ["x1", "Firm One", "DE", "batteries"],
        [],
        ["x2", "Firm Two", "Germany", "Baterries"],
    )

    result = _import(content, "firms.xlsx")

    assert result.errors == [
        RowError(
            4,
            "country",
            "'GERMANY' is not an EU member state or Japan (ISO 3166 alpha-2). Did you mean “DE” for “Germany”?",
        ),
        RowError(
            4,
            "sectors",
            "Unknown value(s): Baterries. See docs/vocabulary.md for the codes."
            " Did you mean “batteries” for “Baterries”?",
        ),
    ]
    assert Company.objects.count() == 0


def test_misspelt_sector_code_in_csv_gets_did_you_mean_and_its_row(db):
    content = b"ref;name;country;sectors\nf1;Firm One;DE;batteries\nf2;Firm Two;FR;biotek\n"

    assert _import(content).errors == [
        RowError(
            3,
            "sectors",
            "Unknown value(s): biotek. See docs/vocabulary.md for the codes. Did you mean “biotech” for “biotek”?",
        )
    ]


def test_unknown_and_repeated_headers_are_named_as_written(db):
    content = "Name;国;Sectors;Fax;名称\nFirm;DE;batteries;;Firm\n".encode()

    assert _import(content).errors == [
        RowError(1, "Fax", "Unknown column; see docs/import-format.md."),
        RowError(1, "name", "This column appears twice."),
    ]


def test_named_encoding_is_used(db):
    content = "ref,name,country,sectors\nf1,Café Anoden,FR,batteries\n".encode("cp1252")

    assert _import(content, encoding="cp1252").created == 1
    assert Company.objects.get().name == "Café Anoden"


def test_command_reads_shift_jis_with_encoding_option(db, tmp_path, capsys):
    file = tmp_path / "firms.csv"
    file.write_bytes("名称,国,分野\n東北リチウム,JP,batteries\n".encode("cp932"))

    call_command("import_companies", str(file), "--encoding", "cp932")

    assert Company.objects.get().name == "東北リチウム"
    assert capsys.readouterr().out.splitlines()[-1] == f"Imported {file}: 1 created, 0 updated, 0 unchanged."


urlpatterns = [path("admin/", site.urls)]


def _confirmation(preview) -> dict[str, str]:
    """What the confirm button of a preview posts."""
    return {name: preview.context["confirm"][name].value() for name in ("token", "fingerprint")}


@pytest.mark.urls(__name__)
def test_admin_import_page_takes_xlsx(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("firms.xlsx", _xlsx(["name", "country", "sectors"], ["Firm One", "DE", "biotech"]))

    preview = client.post(IMPORT_URL, {"file": upload, "encoding": ""})
    response = client.post(IMPORT_URL, _confirmation(preview), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Imported: 1 created, 0 updated, 0 unchanged."]
    assert Company.objects.get().name == "Firm One"


@pytest.mark.urls(__name__)
def test_admin_import_page_with_chosen_encoding(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("firms.csv", "name;country;sectors\nSociété;FR;biotech\n".encode("cp1252"))

    preview = client.post(IMPORT_URL, {"file": upload, "encoding": "cp1252"})
    response = client.post(IMPORT_URL, _confirmation(preview), follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Imported: 1 created, 0 updated, 0 unchanged."]
    assert Company.objects.get().name == "Société"


def test_did_you_mean_in_japanese_follows_without_a_space(db):
    content = "名称,国,分野\n東北バイオ,JP,バイオテクノロジ\n".encode("cp932")

    with translation.override("ja"):
        errors = _import(content).errors

    assert errors == [
        RowError(
            2,
            "sectors",
            "不明な値です：バイオテクノロジ。コードは docs/vocabulary.md を参照してください。"
            "「バイオテクノロジ」は「biotech」のことでしょうか？",
        )
    ]
