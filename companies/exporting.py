"""Export of company profiles in the import format (docs/import-format.md).

The shape written here is exactly what companies.importing reads, so export -> import -> export
gives the same file.
"""

import csv
import io
import json
from typing import Any

from django.db.models import QuerySet

from companies.models import Company
from config.spreadsheet import cell_safe

# The keys of one company in a JSON file and the columns of a CSV file, in this order.
FIELDS = (
    "ref", "name", "name_ja", "country", "region", "city", "website", "size_band", "year_founded",
    "sectors", "stages", "partnership_types", "materials", "languages", "description", "offer", "seek",
    "keywords", "text_language", "dependencies", "contacts",
)  # fmt: skip
LIST_FIELDS = ("sectors", "stages", "partnership_types", "materials", "languages")
CONTACT_KEYS = ("name", "role", "email", "phone")
FORMATS = ("csv", "json")


def company_export_data(company: Company) -> dict[str, Any]:
    """One company as a JSON import object (prefetch `dependencies` and `contacts` for many)."""
    data: dict[str, Any] = {field: getattr(company, field) for field in FIELDS[:-2]}
    data["dependencies"] = [
        {"material": d.material, "source_country": d.source_country, "share_percent": d.share_percent}
        for d in company.dependencies.all()
    ]
    data["contacts"] = [{key: getattr(c, key) for key in CONTACT_KEYS} for c in company.contacts.all()]
    return data


def _csv_contact_part(value: str) -> str:
    # ";" and "|" separate contacts and their parts in a CSV cell; JSON keeps them (see the docs).
    return value.replace("|", ",").replace(";", ",")


def company_csv_row(data: dict[str, Any]) -> list[str]:
    """The CSV cells of one company given as company_export_data returns it; a cell a spreadsheet
    would run as a formula starts with `'` (config.spreadsheet), which the import takes off."""
    row = {key: "" if value is None else str(value) for key, value in data.items()}
    for field in LIST_FIELDS:
        row[field] = "|".join(data[field])
    row["dependencies"] = "|".join(
        f"{d['material']}:{d['source_country']}:{d['share_percent']}" for d in data["dependencies"]
    )
    row["contacts"] = "|".join(";".join(_csv_contact_part(c[key]) for key in CONTACT_KEYS) for c in data["contacts"])
    return [cell_safe(row[field]) for field in FIELDS]


def companies_for_export(*, status: str = "") -> QuerySet[Company]:
    qs = Company.objects.prefetch_related("dependencies", "contacts").order_by("name", "id")
    return qs.filter(status=status) if status else qs


def companies_export(*, fmt: str, status: str = "") -> str:
    """All companies (or those with `status`) as the text of a CSV or JSON import file."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; use csv or json.")
    rows = (company_export_data(c) for c in companies_for_export(status=status).iterator(chunk_size=2000))
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(company_csv_row(data) for data in rows)
    return out.getvalue()
