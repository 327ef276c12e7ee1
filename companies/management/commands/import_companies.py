from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from companies.import_files import ENCODING_CHOICES
from companies.importing import companies_import


class Command(BaseCommand):
    help = "Import companies from a .csv, .xlsx or .json file (docs/import-format.md): every row is written, or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv, .xlsx or .json file.")
        parser.add_argument(
            "--encoding",
            choices=[code for code, _ in ENCODING_CHOICES if code],
            default="",
            help="The encoding of a CSV file (default: detect UTF-8, Shift-JIS or Windows-1252).",
        )
        parser.add_argument("--approve", action="store_true", help="Mark the imported profiles approved.")
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="The user recorded in the history.")

    def handle(self, *args, file: str, approve: bool, as_email: str | None, encoding: str, **options):
        user = None
        if as_email:
            user = User.objects.filter(email__iexact=as_email).first()
            if user is None:
                raise CommandError(f"No user with the e-mail address {as_email}.")
        if approve and not (user is not None and user.is_staff):
            raise CommandError("--approve needs --as with the e-mail address of an admin.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        result = companies_import(
            content=path.read_bytes(), filename=path.name, user=user, approve=approve, encoding=encoding
        )
        if not result.ok:
            lines = "\n".join(str(error) for error in result.errors)
            raise CommandError(f"Nothing was imported; {len(result.errors)} error(s) in {file}:\n{lines}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
