import csv
import io
import json

import pytest
from django.core.management import call_command

from companies.enums import CompanyStatus
from companies.exporting import FIELDS, companies_export
from companies.importing import ImportResult, companies_import
from companies.models import Company
from tests.factories import CompanyFactory, ContactPersonFactory, SupplyDependencyFactory


@pytest.fixture
def firms(db):
    """Companies with everything a file can carry: Japanese text, commas, quotes, line breaks, no ref."""
    kansai = CompanyFactory(
        ref="jp-1", name="Kansai Rare Earth KK", name_ja="関西レアアース株式会社", country="JP", region="大阪府",
        city="堺市", website="https://kansai.example", size_band="small", year_founded=1987,
        sectors=["critical_minerals"], stages=["critical_minerals.ree_separation"], partnership_types=["supply"],
        materials=["hree", "lree"], languages=["en", "ja"],
        description="磁石スクラップからレアアースを回収。\n第二行。",
        offer='Oxides, "99.9%" pure', seek="長期契約", keywords="レアアース, 磁石", text_language="ja",
    )  # fmt: skip
    ContactPersonFactory(company=kansai, name="山田 花子", role="営業部長", email="yamada@kansai.example", phone="")
    ContactPersonFactory(company=kansai, name="Ken Sato", role="Sales", email="", phone="+81 6 0000")
    alpha = CompanyFactory(ref="eu-1", name="Alpha Cathodes GmbH", country="DE", status=CompanyStatus.DRAFT)
    SupplyDependencyFactory(company=alpha, material="graphite", source_country="CN", share_percent=80)
    SupplyDependencyFactory(company=alpha, material="nickel", source_country="ID", share_percent=45)
    CompanyFactory(ref=None, name="Biotech Without Ref BV", country="NL", sectors=["biotech"], stages=[],
                   materials=[], partnership_types=["licensing"])  # fmt: skip
    return [alpha, kansai]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_export_round_trip_is_identical(firms, fmt):
    first = companies_export(fmt=fmt)
    Company.objects.all().delete()

    result = companies_import(content=first.encode(), filename=f"firms.{fmt}", user=None, approve=False)

    assert result == ImportResult(created=3, updated=0, unchanged=0, errors=[])
    assert companies_export(fmt=fmt) == first


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_imported_onto_the_same_database_changes_nothing(firms, fmt):
    first = companies_export(fmt=fmt)
    Company.objects.filter(ref=None).delete()  # a company without ref would be added again

    result = companies_import(content=first.encode(), filename=f"firms.{fmt}", user=None, approve=False)

    assert result == ImportResult(created=1, updated=0, unchanged=2, errors=[])
    assert Company.objects.count() == 3


def test_export_json_writes_the_import_format(firms):
    data = json.loads(companies_export(fmt="json"))

    assert [list(item) for item in data] == [list(FIELDS)] * 3
    assert data[0] == {
        "ref": "eu-1", "name": "Alpha Cathodes GmbH", "name_ja": "", "country": "DE", "region": "", "city": "Berlin",
        "website": "", "size_band": "", "year_founded": None, "sectors": ["batteries"],
        "stages": ["batteries.cathode"], "partnership_types": ["purchase"], "materials": ["nickel"], "languages": [],
        "description": "We make cathode materials for lithium-ion cells.", "offer": "NMC cathode active material.",
        "seek": "Battery-grade nickel from a refiner outside a single supplier country.", "keywords": "",
        "text_language": "en",
        "dependencies": [
            {"material": "graphite", "source_country": "CN", "share_percent": 80},
            {"material": "nickel", "source_country": "ID", "share_percent": 45},
        ],
        "contacts": [],
    }  # fmt: skip


def test_export_csv_joins_lists_dependencies_and_contacts(firms):
    lines = companies_export(fmt="csv").splitlines()

    assert lines[0] == ",".join(FIELDS)
    assert lines[1] == (
        "eu-1,Alpha Cathodes GmbH,,DE,,Berlin,,,,batteries,batteries.cathode,purchase,nickel,,"
        "We make cathode materials for lithium-ion cells.,NMC cathode active material.,"
        "Battery-grade nickel from a refiner outside a single supplier country.,,en,graphite:CN:80|nickel:ID:45,"
    )
    assert lines[3:] == [
        "jp-1,Kansai Rare Earth KK,関西レアアース株式会社,JP,大阪府,堺市,https://kansai.example,small,1987,"
        "critical_minerals,critical_minerals.ree_separation,supply,hree|lree,en|ja,"
        '"磁石スクラップからレアアースを回収。',
        '第二行。","Oxides, ""99.9%"" pure",長期契約,"レアアース, 磁石",ja,,'
        "山田 花子;営業部長;yamada@kansai.example;|Ken Sato;Sales;;+81 6 0000",
    ]


def test_export_csv_replaces_separators_inside_contacts(db):
    company = CompanyFactory(ref="x")
    ContactPersonFactory(company=company, name="Anna", role="R&D; Europe | Asia", email="", phone="")

    assert companies_export(fmt="csv").splitlines()[1].endswith(',"Anna;R&D, Europe , Asia;;"')


def test_export_status_selects_companies(firms):
    data = json.loads(companies_export(fmt="json", status=CompanyStatus.DRAFT))

    assert [item["ref"] for item in data] == ["eu-1"]


def test_export_unknown_format_is_refused(db):
    with pytest.raises(ValueError, match="Unknown export format 'xml'; use csv or json."):
        companies_export(fmt="xml")


def test_export_empty_database_is_an_empty_list(db):
    assert (companies_export(fmt="json"), companies_export(fmt="csv")) == ("[]\n", ",".join(FIELDS) + "\n")


def test_export_command_writes_the_format_of_the_output_extension(firms, tmp_path, capsys):
    output = tmp_path / "firms.csv"

    call_command("export_companies", "--output", str(output), "--status", "approved")

    assert output.read_text(encoding="utf-8") == companies_export(fmt="csv", status="approved")
    assert capsys.readouterr().err == f"Wrote {output} (csv).\n"


def test_export_command_prints_json_by_default(firms, capsys):
    call_command("export_companies")

    assert capsys.readouterr().out == companies_export(fmt="json")


def test_export_command_output_imports_with_the_import_command(firms, tmp_path):
    output = tmp_path / "firms.json"
    call_command("export_companies", "--format", "json", "--output", str(output))
    Company.objects.all().delete()

    call_command("import_companies", str(output))

    assert companies_export(fmt="json") == output.read_text(encoding="utf-8")


FORMULAS = ['=HYPERLINK("http://evil.example","Click")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+2", "\t=1"]


@pytest.fixture
def formula_firm(db):
    firm = CompanyFactory(
        ref="f-1", name=FORMULAS[0], city=FORMULAS[1], region=FORMULAS[2], offer=FORMULAS[3], seek=FORMULAS[4],
        description="'s-Hertogenbosch", website="",
    )  # fmt: skip
    ContactPersonFactory(company=firm, name="=1+1", role="Sales", email="", phone="")
    return firm


def test_export_csv_quotes_cells_a_spreadsheet_would_run(formula_firm):
    cells = dict(zip(FIELDS, list(csv.reader(io.StringIO(companies_export(fmt="csv"))))[1], strict=True))

    assert [cells[f] for f in ("name", "city", "region", "offer", "seek")] == [
        "'" + FORMULAS[0], "'" + FORMULAS[1], "'@SUM(1)", "'-1+2", "'\t=1",
    ]  # fmt: skip
    assert (cells["description"], cells["contacts"]) == ("'s-Hertogenbosch", "'=1+1;Sales;;")


def test_export_csv_with_formula_cells_round_trips(formula_firm):
    # The import strips whitespace around values, so "\t=1" would come back as "=1".
    Company.objects.filter(pk=formula_firm.pk).update(seek="=SUM(A1)")
    first = companies_export(fmt="csv")
    Company.objects.all().delete()

    result = companies_import(content=first.encode(), filename="firms.csv", user=None, approve=False)

    assert result.errors == []
    assert companies_export(fmt="csv") == first
