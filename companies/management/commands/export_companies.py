from pathlib import Path

from django.core.management.base import BaseCommand

from companies.enums import CompanyStatus
from companies.exporting import FORMATS, companies_export


class Command(BaseCommand):
    help = "Export companies in the import format (docs/import-format.md), to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", dest="fmt", choices=FORMATS, help="csv or json (default: from --output, else json)."
        )
        parser.add_argument("--output", "-o", help="The file to write; standard output when left out.")
        parser.add_argument("--status", choices=CompanyStatus.values, help="Only profiles in this status.")

    def handle(self, *args, fmt: str | None, output: str | None, status: str | None, **options):
        suffix = Path(output).suffix.lstrip(".").lower() if output else ""
        fmt = fmt or (suffix if suffix in FORMATS else "json")
        text = companies_export(fmt=fmt, status=status or "")
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output} ({fmt}).")
        else:
            self.stdout.write(text, ending="")
