"""companies.tabular: the files people have, made here byte by byte (no database)."""

import datetime
import io

import pytest
from openpyxl import Workbook

from companies.tabular import (
    TableError,
    cell_text,
    close_matches,
    close_names,
    company_name_key,
    decode,
    header_aliases,
    header_key,
    match_header,
    read_table,
    sniff_delimiter,
)


def _xlsx(*rows: list) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Encodings -----------------------------------------------------------------------------------


def test_decode_utf8_drops_the_bom():
    assert decode("\ufeffref;name\n".encode()) == ("ref;name\n", "utf-8")


def test_decode_shift_jis_japanese_excel():
    content = "会社名,国\n株式会社テスト電池,JP\n".encode("cp932")

    assert decode(content) == ("会社名,国\n株式会社テスト電池,JP\n", "cp932")


def test_decode_cp1252_western_excel_is_not_taken_for_shift_jis():
    content = "name;city\nSociété Générale des Piles;Besançon\nMüller Anoden;Köln\n".encode("cp1252")

    assert decode(content) == ("name;city\nSociété Générale des Piles;Besançon\nMüller Anoden;Köln\n", "cp1252")


def test_decode_named_encoding_is_used_and_its_failure_gives_the_line():
    content = "name\nSociété\n".encode("cp1252")

    assert decode(content, "cp1252") == ("name\nSociété\n", "cp1252")
    with pytest.raises(TableError) as exc:
        decode(content, "utf-8")
    assert (exc.value.code, exc.value.row, exc.value.detail) == ("encoding", 2, "utf-8")


# Delimiters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("ref,name,sectors\nf1,Firm,batteries\n", ","),
        ("ref;name;sectors\nf1;Firm, Inc.;batteries\n", ";"),
        ("ref\tname\tsectors\nf1\tFirm; Ltd\tbatteries\n", "\t"),
        # Contacts use ";" inside cells of a comma file: the header line decides.
        ("name,contacts\nFirm,A;CEO;a@x.example;1|B;CTO;;\n", ","),
        ("name\nFirm\n", ","),
    ],
)
def test_sniff_delimiter(text, delimiter):
    assert sniff_delimiter(text) == delimiter


# Tables --------------------------------------------------------------------------------------


def test_read_csv_semicolons_bom_blank_rows_and_line_numbers():
    content = '\ufeffref;name\n\nf1;"Two\nlines"\n;\nf2;Firm\n'.encode()

    table = read_table(content, "firms.CSV")

    assert (table.header, table.header_row, table.delimiter, table.encoding) == (["ref", "name"], 1, ";", "utf-8")
    assert table.rows == [(3, ["f1", "Two\nlines"]), (6, ["f2", "Firm"])]


def test_read_csv_empty_and_malformed():
    with pytest.raises(TableError) as exc:
        read_table(b"\xef\xbb\xbf \n", "x.csv")
    assert exc.value.code == "empty"
    with pytest.raises(TableError) as exc:
        read_table(b'a,b\n1,"x"y\n', "x.csv")
    assert (exc.value.code, exc.value.row) == ("csv", 2)


def test_read_xlsx_first_sheet_cells_as_text():
    content = _xlsx(
        ["ref", "name", "year_founded", "founded_on", "share", None],
        [],
        ["f1", "Firm", 2009, datetime.datetime(2024, 5, 1), 12.5, None],
    )

    table = read_table(content, "firms.xlsx")

    assert table.header == ["ref", "name", "year_founded", "founded_on", "share"]
    assert table.rows == [(3, ["f1", "Firm", "2009", "2024-05-01", "12.5"])]


def test_read_xlsx_that_is_not_a_workbook_and_other_types():
    with pytest.raises(TableError) as exc:
        read_table(b"PK\x03\x04 not really", "firms.xlsx")
    assert exc.value.code == "xlsx"
    with pytest.raises(TableError) as exc:
        read_table(b"", "firms.ods")
    assert (exc.value.code, exc.value.detail) == ("type", "ods")


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (3.0, "3"), (0.25, "0.25"), (True, "true"), (datetime.date(2026, 1, 2), "2026-01-02"),
     (datetime.datetime(2026, 1, 2, 9, 30), "2026-01-02T09:30:00")],
)  # fmt: skip
def test_cell_text(value, text):
    assert cell_text(value) == text


# Names ---------------------------------------------------------------------------------------


def test_header_names_ignore_case_width_spaces_and_underscores():
    aliases = header_aliases({"company_ref": ["Company reference", "企業の参照ID"], "name": ["Name"]})

    assert header_key("  Company_Ref ") == header_key("company ref") == "company ref"
    assert match_header(["COMPANY REF", "企業の参照ＩＤ", "name ", "Fax", ""], aliases) == [
        "company_ref", "company_ref", "name", None, None,
    ]  # fmt: skip


def test_close_matches_over_codes_and_labels_in_both_languages():
    choices = header_aliases({"batteries": ("Batteries", "蓄電池"), "biotech": ("Biotech", "バイオテクノロジー")})

    assert close_matches("baterries", choices) == ["batteries"]
    assert close_matches("Battery", choices) == ["batteries"]
    assert close_matches("蓄電池", choices) == ["batteries"]
    assert close_matches("space", choices) == []


def test_company_names_compare_without_case_punctuation_or_legal_form_spacing():
    assert company_name_key("Rheinkathode G.m.b.H.") == company_name_key("rheinkathode GmbH") == "rheinkathodegmbh"
    assert company_name_key("（株）テスト") == company_name_key("株式会社 テスト")
    names = ["Rheinkathode GmbH", "Rhein Logistics AG", "Beta Refining KK"]
    assert close_names("Rheinkathode GmbH.", names) == ["Rheinkathode GmbH"]
    assert close_names("Rheinkatode Gmbh", names) == ["Rheinkathode GmbH"]
    assert close_names("Nobody Ltd", names) == []
