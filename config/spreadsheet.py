"""Cells of files people open in a spreadsheet: text is never run as a formula (OWASP "CSV injection").

A cell starting with = + - @, a tab or a carriage return is a formula to Excel and LibreOffice
(`=HYPERLINK(...)`, `+cmd|...`, `@SUM(1)`, `-1+2`). Exports put a single quote before such a
cell, so it shows as text; imports of our own files take that quote off again.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: str) -> str:
    """`value` with a leading `'` when a spreadsheet would read it as a formula. Quotes already
    leading count as part of the prefix, so that `cell_restored(cell_safe(v)) == v` for every v."""
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def cell_restored(value: str) -> str:
    """The text `cell_safe` was given: a quote it added is taken off; any other cell is unchanged."""
    if value.startswith("'") and value[1:].lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value
