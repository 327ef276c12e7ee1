"""Reading the tables people have: CSV as Excel writes it in Europe or Japan, and .xlsx (pure, no Django).

Shared by the company import (companies.importing) and the delegation import
(events.services.delegation_import). Documented in docs/import-format.md.

- CSV: a byte-order mark is dropped; the encoding is UTF-8, else Shift-JIS (CP932) when that
  reads as Japanese, else Windows-1252, unless the caller names one; the delimiter is a comma,
  semicolon or tab, whichever the file uses.
- .xlsx: the first sheet; every cell becomes text (dates as ISO 8601, whole numbers without ".0").
- Rows keep the number a person sees in their spreadsheet or editor: the header is row 1, and a
  CSV row is numbered by the line it starts on.

Errors are TableError with a `code` (and a row and detail), so callers word them in the user's
language. Header names and vocabulary are matched through mappings the caller builds.
"""

import csv
import datetime
import difflib
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ENCODINGS = ("utf-8", "cp932", "cp1252")
DELIMITERS = (",", ";", "\t")
EXTENSIONS = ("csv", "xlsx")
_SNIFF_BYTES = 64 * 1024
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f]")


class TableError(Exception):
    """A file that cannot be read as a table. Codes: type, encoding, empty, csv, xlsx."""

    def __init__(self, code: str, *, row: int = 0, detail: str = ""):
        super().__init__(code, row, detail)
        self.code, self.row, self.detail = code, row, detail


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as the person sees it, cells); blank rows left out
    header_row: int = 1
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def extension_of(filename: str) -> str:
    return filename.lower().rpartition(".")[2]


def read_table(content: bytes, filename: str, *, encoding: str = "") -> Table:
    """The header and rows of a .csv or .xlsx file; `encoding` ("" = detect) applies to CSV only."""
    extension = extension_of(filename)
    if extension == "csv":
        text, used = decode(content, encoding)
        return _read_csv(text, used)
    if extension == "xlsx":
        return _read_xlsx(content)
    raise TableError("type", detail=extension)


# Encodings -----------------------------------------------------------------------------------


def decode(content: bytes, encoding: str = "") -> tuple[str, str]:
    """(text, encoding used). Strict UTF-8 first; then CP932 if it gives Japanese text; then CP1252."""
    content = content.removeprefix(b"\xef\xbb\xbf")
    if encoding:
        try:
            return content.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise TableError("encoding", row=_line_of(content, exc), detail=encoding) from None
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    japanese = _try_decode(content, "cp932")
    western = _try_decode(content, "cp1252")
    if japanese is not None and _JAPANESE.search(japanese) and not (western is not None and _reads_latin(western)):
        return japanese, "cp932"
    if western is not None:
        return western, "cp1252"
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableError("encoding", row=_line_of(content, exc)) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _try_decode(content: bytes, encoding: str) -> str | None:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        return None


def _line_of(content: bytes, exc: Exception) -> int:
    start = getattr(exc, "start", 0)
    return content.count(b"\n", 0, start) + 1


def _reads_latin(text: str) -> bool:
    """Whether the non-ASCII characters sit inside Latin words ("Société"), as in a Western file.

    Shift-JIS read as CP1252 gives runs of symbols (‚ƒŠ”Ž...), seldom an accented letter
    between two plain ones; Shift-JIS bytes of a Western file often still decode, as stray kanji.
    """
    odd = [i for i, char in enumerate(text) if ord(char) > 127]
    if not odd:
        return True
    in_words = sum(
        1
        for i in odd
        if _LATIN_LETTER.match(text[i])
        and any(0 <= j < len(text) and _LATIN_LETTER.match(text[j]) for j in (i - 1, i + 1))
    )
    return in_words >= 0.8 * len(odd)


# CSV -----------------------------------------------------------------------------------------


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: csv.Sniffer's choice when the header line has it, else the header's most used."""
    first_line = text.split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(text[:_SNIFF_BYTES], delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and sniffed in first_line:
        return sniffed
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties go to the comma, listed first
    return best if counts[best] else ","


def _read_csv(text: str, encoding: str) -> Table:
    if not text.strip():
        raise TableError("empty")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_row = 1
    rows: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for cells in reader:
            # A quoted cell may span lines: a row starts on the line after the previous one ended.
            line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_row = [cell.strip() for cell in cells], line
            else:
                rows.append((line, cells))
    except csv.Error as exc:
        raise TableError("csv", row=reader.line_num, detail=str(exc)) from None
    if header is None:
        raise TableError("empty")
    return Table(header=header, rows=rows, header_row=header_row, encoding=encoding, delimiter=delimiter)


# XLSX ----------------------------------------------------------------------------------------


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook  # imported here: only .xlsx files need it

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML and key errors for files that are not .xlsx
        raise TableError("xlsx", detail=type(exc).__name__) from None
    try:
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        header_row = 1
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = _trim([cell_text(value) for value in values])
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_row = [cell.strip() for cell in cells], number
            else:
                rows.append((number, cells))
    finally:
        workbook.close()
    if header is None:
        raise TableError("empty")
    return Table(header=header, rows=rows, header_row=header_row, encoding="", delimiter="")


def _trim(cells: list[str]) -> list[str]:
    # Read-only sheets report the used width, often wider than the table: trailing blanks go.
    while cells and not cells[-1]:
        cells.pop()
    return cells


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Names ---------------------------------------------------------------------------------------


def header_key(name: str) -> str:
    """A header name as compared: case, width, spaces, "_" and "-" do not matter ("Company_Ref" = "company ref")."""
    name = unicodedata.normalize("NFKC", name).casefold().replace("_", " ").replace("-", " ")
    return " ".join(name.split())


def header_aliases(names: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """{header_key(alias): field} from {field: aliases}; a field's own name wins over another's label."""
    aliases: dict[str, str] = {}
    for name in names:
        aliases[header_key(name)] = name
    for name, labels in names.items():
        for label in labels:
            aliases.setdefault(header_key(str(label)), name)
    return aliases


def match_header(header: list[str], aliases: Mapping[str, str]) -> list[str | None]:
    """The field of each column (None for an unknown one), using header_aliases' mapping."""
    return [aliases.get(header_key(name)) if name else None for name in header]


def close_matches(value: str, choices: Mapping[str, str], *, n: int = 3, cutoff: float = 0.75) -> list[str]:
    """The codes whose code or label is closest to `value`; `choices` maps header_key(code or label) -> code."""
    found = difflib.get_close_matches(header_key(value), list(choices), n=n * 3, cutoff=cutoff)
    return list(dict.fromkeys(choices[key] for key in found))[:n]


# Removing spaces and punctuation also evens out legal forms: "G.m.b.H.", "GmbH"; "Co., Ltd.", "Co Ltd".
_PUNCTUATION = re.compile(r"[\s.,;:'\"()\[\]「」『』（）・、。&＆/-]+")


def company_name_key(name: str) -> str:
    """A company name as compared, without case, punctuation or spacing.

    "Rheinkathode G.m.b.H." and "rheinkathode GmbH" give the same key.
    """
    text = unicodedata.normalize("NFKC", name).casefold().replace("㈱", "株式会社").replace("(株)", "株式会社")
    return _PUNCTUATION.sub("", text)


def close_names(value: str, names: Iterable[str], *, n: int = 3, cutoff: float = 0.8) -> list[str]:
    """The names (as written) closest to `value`, comparing company_name_key."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(company_name_key(name), name)
    key = company_name_key(value)
    if key in by_key:
        return [by_key[key]]
    return [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n, cutoff=cutoff)]
