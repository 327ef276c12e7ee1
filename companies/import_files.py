"""What the company and delegation imports share around companies.tabular: the encodings people
may choose, file errors in the user's language, and header names in English and Japanese.
Documented in docs/import-format.md."""

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies.tabular import TableError

ENCODING_CHOICES = [
    ("", gettext_lazy("Detect (UTF-8, Shift-JIS or Windows-1252)")),
    ("utf-8", "UTF-8"),
    ("cp932", gettext_lazy("Shift-JIS (Japanese Excel)")),
    ("cp1252", gettext_lazy("Windows-1252 (Western European Excel)")),
]


def labels_in_both_languages(labels: Iterable[object]) -> list[str]:
    """Each (lazy) label as written in English and in Japanese, for matching spreadsheet headers."""
    words: list[str] = []
    for language in ("en", "ja"):
        with translation.override(language):
            words += [str(label) for label in labels]
    return words


def table_error_message(error: TableError, *, formats: str) -> str:
    """The reason for a file that could not be read; `formats` lists the accepted extensions."""
    if error.code == "type":
        return _("Use a %(formats)s file (see docs/import-format.md).") % {"formats": formats}
    if error.code == "encoding" and error.detail:
        return _("The file cannot be read as %(encoding)s (line %(line)d); choose another encoding.") % {
            "encoding": error.detail,
            "line": error.row,
        }
    if error.code == "encoding":
        return _(
            "The file is not UTF-8, Shift-JIS or Windows-1252 text (the first unreadable byte is on line "
            "%(line)d); save it as UTF-8 and retry."
        ) % {"line": error.row}
    if error.code == "empty":
        return _("The file is empty.")
    if error.code == "csv":
        return _("Malformed CSV: %(error)s.") % {"error": error.detail}
    return _("The file cannot be read as an Excel workbook (.xlsx).")
