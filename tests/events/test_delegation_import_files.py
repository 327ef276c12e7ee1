"""The delegation import with the files organisers have: European and Japanese Excel CSV, .xlsx,
Japanese headers, and "did you mean" over the directory's names (companies.tabular)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from events import services
from events.models import Participation
from tests.clients import xlsx_bytes
from tests.events.test_api import client_for as api_client_for
from tests.events.test_views import client_for
from tests.factories import CompanyFactory

_xlsx = xlsx_bytes


def _errors(result) -> list[tuple]:
    return [(e.row, e.field, e.reason) for e in result.errors]


def _delegates(mission) -> list[tuple]:
    return sorted(
        (p.company.name, d.name, d.email)
        for p in Participation.objects.filter(mission=mission).select_related("company")
        for d in p.delegates.all()
    )


def test_unknown_company_name_gets_did_you_mean_over_the_directory(mission, organiser, company_a, company_b):
    CompanyFactory(name="Rheinkathode GmbH")
    CompanyFactory(name="Rheinland Logistik AG")
    content = "company_name;delegate_name\nAlpha Cathodes GmbH;Anna\n\nRheinkathode GmbH.;Jonas\nNobody Ltd;Eva\n"

    result = services.delegation_import(mission=mission, user=organiser, content=content.encode())

    assert _errors(result) == [
        (4, "company_name", "No company matches “Rheinkathode GmbH.”. Did you mean “Rheinkathode GmbH”?"),
        (5, "company_name", "No company matches “Nobody Ltd”."),
    ]
    assert Participation.objects.filter(mission=mission).count() == 0


def test_did_you_mean_in_japanese(mission, organiser):
    CompanyFactory(name="Tohoku Lithium KK", name_ja="東北リチウム株式会社")
    content = "企業名,出席者氏名\n東北リチウム（株）,佐藤\n"

    with translation.override("ja"):
        result = services.delegation_import(mission=mission, user=organiser, content=content.encode("cp932"))

    assert _errors(result) == [
        (
            2,
            "company_name",
            "「東北リチウム（株）」に一致する企業がありません。「東北リチウム株式会社」のことでしょうか？",
        )
    ]


def test_european_excel_csv_semicolons_bom_and_english_labels(mission, organiser, company_a):
    content = (
        "\ufeffCompany name;Delegate name;Delegate e-mail;Delegate_Role\n"
        "Alpha Cathodes GmbH;Anna Example;anna@alpha.example;CEO\n"
    )

    result = services.delegation_import(mission=mission, user=organiser, content=content.encode())

    assert (result.errors, result.delegates) == ([], 1)
    assert _delegates(mission) == [("Alpha Cathodes GmbH", "Anna Example", "anna@alpha.example")]


def test_windows_1252_csv_with_accents(mission, organiser):
    CompanyFactory(name="Société Lithium SAS")
    content = "company_name;delegate_name\nSociété Lithium SAS;Hélène Dupré\n".encode("cp1252")

    result = services.delegation_import(mission=mission, user=organiser, content=content)

    assert (result.errors, result.delegates) == ([], 1)
    assert _delegates(mission) == [("Société Lithium SAS", "Hélène Dupré", "")]


def test_shift_jis_csv_with_japanese_headers(mission, organiser, company_b):
    content = (
        "企業名,出席者氏名,出席者メールアドレス,希望する面談の上限数\nBeta Refining KK,佐藤花子,sato@beta.example,4\n"
    )

    result = services.delegation_import(mission=mission, user=organiser, content=content.encode("cp932"))

    assert (result.errors, result.delegates) == ([], 1)
    assert _delegates(mission) == [("Beta Refining KK", "佐藤花子", "sato@beta.example")]
    assert Participation.objects.get(mission=mission).max_meetings == 4


def test_tab_separated(mission, organiser, company_a):
    content = b"company_name\tdelegate_name\nAlpha Cathodes GmbH\tAnna; Example\n"

    result = services.delegation_import(mission=mission, user=organiser, content=content)

    assert _delegates(mission) == [("Alpha Cathodes GmbH", "Anna; Example", "")]
    assert result.delegates == 1


def test_xlsx_rows_are_sheet_rows(mission, organiser, company_a):
    content = _xlsx(
        ["company_name", "delegate_name", "delegate_email", "max_meetings"],
        ["Alpha Cathodes GmbH", "Anna", "anna@alpha.example", 5],
        [None, None, None, None],
        ["Alpha Cathodes GmbH", "Bernd", "bernd", 5],
    )

    result = services.delegation_import(mission=mission, user=organiser, content=content, filename="list.xlsx")

    assert _errors(result) == [(4, "delegate_email", "“bernd” is not an e-mail address.")]


def test_file_of_another_type(mission, organiser):
    result = services.delegation_import(mission=mission, user=organiser, content=b"x", filename="list.ods")

    assert _errors(result) == [(1, "file", "Use a .csv or .xlsx file (see docs/import-format.md).")]


def _page_import(mission, organiser, upload, encoding: str = ""):
    """Upload on the import page (the preview), then confirm what it showed."""
    client = client_for(organiser)
    url = f"/missions/{mission.pk}/participants/import/"
    preview = client.post(url, {"file": upload, "encoding": encoding})
    confirm = preview.context["confirm"]
    return preview, client.post(url, {"token": confirm["token"].value(), "fingerprint": confirm["fingerprint"].value()})


def test_participants_page_takes_xlsx(mission, organiser, company_a):
    content = _xlsx(["Company name", "Delegate name"], ["Alpha Cathodes GmbH", "Anna Example"])
    upload = SimpleUploadedFile("list.xlsx", content)

    preview, response = _page_import(mission, organiser, upload)

    assert [row.name for row in preview.context["plan"].created] == ["Alpha Cathodes GmbH"]
    assert response.status_code == 302
    assert _delegates(mission) == [("Alpha Cathodes GmbH", "Anna Example", "")]


def test_participants_page_with_chosen_encoding(mission, organiser):
    CompanyFactory(name="Müller Anoden GmbH")
    upload = SimpleUploadedFile("list.csv", "company_name,delegate_name\nMüller Anoden GmbH,Jörg\n".encode("cp1252"))

    _, response = _page_import(mission, organiser, upload, encoding="cp1252")

    assert response.status_code == 302
    assert _delegates(mission) == [("Müller Anoden GmbH", "Jörg", "")]


def test_api_takes_xlsx_and_an_encoding(mission, organiser, company_a):
    url = f"/api/v1/missions/{mission.pk}/delegation-import/"
    xlsx = SimpleUploadedFile("list.xlsx", _xlsx(["company_name", "delegate_name"], ["Alpha Cathodes GmbH", "Anna"]))
    wrong = SimpleUploadedFile("list.csv", "company_name,delegate_name\nAlpha Cathodes GmbH,Jörg\n".encode("cp1252"))

    preview = api_client_for(organiser).post(url, {"file": xlsx}, format="multipart")
    xlsx.seek(0)
    fingerprint = preview.json()["fingerprint"]
    response = api_client_for(organiser).post(url, {"file": xlsx, "fingerprint": fingerprint}, format="multipart")
    refused = api_client_for(organiser).post(url, {"file": wrong, "encoding": "utf-8"}, format="multipart")

    assert (preview.status_code, [row["name"] for row in preview.json()["created"]]) == (200, ["Alpha Cathodes GmbH"])
    assert (response.status_code, response.json()) == (201, {
        "participations_created": 1, "participations_updated": 0, "unchanged": 0, "delegates": 1,
    })  # fmt: skip
    assert (refused.status_code, refused.json()["errors"]) == (400, [
        {"row": 2, "field": "file", "reason": "The file cannot be read as utf-8 (line 2); choose another encoding."}
    ])  # fmt: skip
