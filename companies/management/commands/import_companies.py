from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from companies.change_display import field_label, value_text
from companies.import_command import add_preview_arguments, approved_fingerprint, user_by_email
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
        parser.add_argument("--approve", action="store_true", help="Mark the imported profiles approved.")
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="The user recorded in the history.")
        add_preview_arguments(
            parser, still="the stored companies",
            committed="Confirm updating companies that have confirmed meetings or accepted requests.",
        )  # fmt: skip

    def handle(self, *args, file: str, approve: bool, as_email: str | None, encoding: str, **options):
        user = self._user(as_email, approve)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        content = path.read_bytes()
        plan = companies_import_preview(content=content, filename=path.name, approve=approve, encoding=encoding)
        fingerprint = approved_fingerprint(
            plan=plan, options=options, filename=file, lines=plan_lines(plan),
            committed_message=committed_message, write=self.stdout.write,
        )  # fmt: skip
        if fingerprint is None:
            return
        try:
            result = companies_import_confirm(
                content=content, filename=path.name, user=user, approve=approve, encoding=encoding,
                fingerprint=fingerprint, confirm_committed=options["confirm_committed"],
            )  # fmt: skip
        except ImportRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {file}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )

    def _user(self, as_email: str | None, approve: bool) -> User | None:
        user = user_by_email(as_email)
        if approve and not (user is not None and user.is_staff):
            raise CommandError("--approve needs --as with the e-mail address of an admin.")
        if user is not None and not user.is_staff:  # companies.permissions.require_importer
            raise CommandError("--as needs the e-mail address of an admin: an import changes firms as an admin would.")
        return user
