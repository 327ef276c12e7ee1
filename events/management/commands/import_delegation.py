import sys
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from companies.import_files import ENCODING_CHOICES
from companies.import_plan import ImportPlan
from events.models import Mission
from events.services import ImportRefused, delegation_import_confirm, delegation_import_preview
from events.services.delegation_import import committed_message, delegation_change_rows


def plan_lines(plan: ImportPlan) -> list[str]:
    """The plan as the command prints it: counts, the firms joining, each change field by field."""
    lines = [f"Plan: {len(plan.created)} firms join, {len(plan.updated)} delegations change, "
             f"{len(plan.unchanged)} unchanged."]  # fmt: skip
    lines += [f"  + row {row.row}: {row.name}" for row in plan.created]
    for row in plan.updated:
        lines.append(f"  ~ row {row.row}: {row.name}" + (" [has meetings]" if row.committed else ""))
        lines += [f"      {label}: {old} -> {new}" for label, old, new in delegation_change_rows(row.changes)]
    return lines


class Command(BaseCommand):
    help = (
        "Import a delegation list (.csv or .xlsx) into a mission (docs/missions.md). The plan (firms joining, "
        "delegations changing field by field, unchanged, errors) is printed first; every row is written, or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("mission", type=int, help="The mission's id.")
        parser.add_argument("file", help="A .csv or .xlsx file.")
        parser.add_argument(
            "--encoding", choices=[code for code, _ in ENCODING_CHOICES if code], default="",
            help="The encoding of a CSV file (default: detect UTF-8, Shift-JIS or Windows-1252).",
        )  # fmt: skip
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="An organiser of the mission (checked).")
        parser.add_argument("--dry-run", action="store_true", help="Print the plan and its fingerprint; write nothing.")
        parser.add_argument(
            "--fingerprint", default="",
            help="Write only if the file and the mission are still what the --dry-run with this fingerprint saw.",
        )  # fmt: skip
        parser.add_argument(
            "--confirm-committed", action="store_true",
            help="Confirm changing the delegations of firms with confirmed meetings or accepted requests.",
        )  # fmt: skip
        parser.add_argument(
            "--no-input", "--noinput", action="store_false", dest="interactive", help="Do not ask before writing."
        )

    def handle(self, *args, mission: int, file: str, encoding: str, as_email: str | None, **options):
        target = Mission.objects.filter(pk=mission).first()
        if target is None:
            raise CommandError(f"No mission with the id {mission}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        call = {"mission": target, "user": self._user(as_email), "content": path.read_bytes(), "filename": path.name,
                "encoding": encoding}  # fmt: skip
        try:
            self._import(call, options)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(f"Nothing was imported: {'; '.join(getattr(exc, 'messages', [str(exc)]))}") from None

    def _import(self, call: dict, options: dict) -> None:
        plan = delegation_import_preview(**call)
        if not plan.ok:
            lines = "\n".join(str(error) for error in plan.errors)
            raise CommandError(f"Nothing was imported; {len(plan.errors)} error(s) in {call['filename']}:\n{lines}")
        self.stdout.write("\n".join(plan_lines(plan)))
        if options["dry_run"]:
            self.stdout.write(f"Dry run: nothing was written. Fingerprint: {plan.fingerprint}")
            return
        if plan.committed and not options["confirm_committed"]:
            names = [row.name for row in plan.committed]
            raise CommandError(f"Nothing was imported. {committed_message(names)} Add --confirm-committed.")
        ask = options["interactive"] and sys.stdin.isatty() and not options["fingerprint"] and plan.writes
        if ask and input("Write these changes? [y/N] ").strip().lower() not in ("y", "yes"):
            raise CommandError("Nothing was imported.")
        try:
            result = delegation_import_confirm(
                **call, fingerprint=options["fingerprint"] or plan.fingerprint,
                confirm_committed=options["confirm_committed"],
            )  # fmt: skip
        except ImportRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"Imported {call['filename']}: {result.participations_created} firms joined, "
            f"{result.participations_updated} changed, {result.unchanged} unchanged, {result.delegates} delegates."
        ))  # fmt: skip

    def _user(self, as_email: str | None) -> User | None:
        if not as_email:
            return None
        user = User.objects.filter(email__iexact=as_email).first()
        if user is None:
            raise CommandError(f"No user with the e-mail address {as_email}.")
        return user
