import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from companies.change_display import field_label, value_text
from companies.import_files import ENCODING_CHOICES
from companies.import_plan import ImportPlan
from companies.importing import ImportRefused, committed_message, companies_import_confirm, companies_import_preview


def plan_lines(plan: ImportPlan) -> list[str]:
    """The plan as the command prints it: counts, then each update field by field (labels, not codes)."""
    lines = [f"Plan: {len(plan.created)} to create, {len(plan.updated)} to update, {len(plan.unchanged)} unchanged."]
    for row in plan.created:
        lines.append(f"  + row {row.row}: {row.name}" + (f" ({row.ref})" if row.ref else ""))
    for row in plan.updated:
        mark = " [has meetings]" if row.committed else ""
        lines.append(f"  ~ row {row.row}: {row.name} ({row.ref}){mark}")
        lines += [
            f"      {field_label(change.field)}: {value_text(change.field, change.old)} -> "
            f"{value_text(change.field, change.new)}"
            for change in row.changes
        ]
    return lines


class Command(BaseCommand):
    help = (
        "Import companies from a .csv, .xlsx or .json file (docs/import-format.md). The plan (created, updated "
        "field by field, unchanged, errors) is printed first; every row is written, or none."
    )

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
        parser.add_argument("--dry-run", action="store_true", help="Print the plan and its fingerprint; write nothing.")
        parser.add_argument(
            "--fingerprint",
            default="",
            help="Write only if the file and the stored companies are still what the --dry-run with this "
            "fingerprint saw.",
        )
        parser.add_argument(
            "--confirm-committed",
            action="store_true",
            help="Confirm updating companies that have confirmed meetings or accepted requests.",
        )
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="Do not ask before writing."
        )

    def handle(self, *args, file: str, approve: bool, as_email: str | None, encoding: str, **options):
        user = self._user(as_email, approve)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        content = path.read_bytes()
        plan = companies_import_preview(content=content, filename=path.name, approve=approve, encoding=encoding)
        if not plan.ok:
            lines = "\n".join(str(error) for error in plan.errors)
            raise CommandError(f"Nothing was imported; {len(plan.errors)} error(s) in {file}:\n{lines}")
        self.stdout.write("\n".join(plan_lines(plan)))
        if options["dry_run"]:
            self.stdout.write(f"Dry run: nothing was written. Fingerprint: {plan.fingerprint}")
            return
        if plan.committed and not options["confirm_committed"]:
            names = [row.name for row in plan.committed]
            raise CommandError(f"Nothing was imported. {committed_message(names)} Add --confirm-committed.")
        if self._ask(options, plan) and input("Write these changes? [y/N] ").strip().lower() not in ("y", "yes"):
            raise CommandError("Nothing was imported.")
        try:
            result = companies_import_confirm(
                content=content, filename=path.name, user=user, approve=approve, encoding=encoding,
                fingerprint=options["fingerprint"] or plan.fingerprint, confirm_committed=options["confirm_committed"],
            )  # fmt: skip
        except ImportRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )

    @staticmethod
    def _ask(options: dict, plan: ImportPlan) -> bool:
        """Ask at a terminal, unless --no-input or a --fingerprint from a dry run already confirms."""
        return options["interactive"] and sys.stdin.isatty() and not options["fingerprint"] and plan.writes

    def _user(self, as_email: str | None, approve: bool) -> User | None:
        user = None
        if as_email:
            user = User.objects.filter(email__iexact=as_email).first()
            if user is None:
                raise CommandError(f"No user with the e-mail address {as_email}.")
        if approve and not (user is not None and user.is_staff):
            raise CommandError("--approve needs --as with the e-mail address of an admin.")
        if user is not None and not user.is_staff:  # companies.permissions.require_importer
            raise CommandError("--as needs the e-mail address of an admin: an import changes firms as an admin would.")
        return user
