from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from companies.import_command import add_preview_arguments, approved_fingerprint, user_by_email
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
        parser.add_argument("--as", dest="as_email", metavar="EMAIL", help="An organiser of the mission (checked).")
        add_preview_arguments(
            parser, still="the mission",
            committed="Confirm changing the delegations of firms with confirmed meetings or accepted requests.",
        )  # fmt: skip

    def handle(self, *args, mission: int, file: str, encoding: str, as_email: str | None, **options):
        target = Mission.objects.filter(pk=mission).first()
        if target is None:
            raise CommandError(f"No mission with the id {mission}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        call = {"mission": target, "user": user_by_email(as_email), "content": path.read_bytes(), "filename": path.name,
                "encoding": encoding}  # fmt: skip
        try:
            self._import(call, options)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(f"Nothing was imported: {'; '.join(getattr(exc, 'messages', [str(exc)]))}") from None

    def _import(self, call: dict, options: dict) -> None:
        plan = delegation_import_preview(**call)
        fingerprint = approved_fingerprint(
            plan=plan, options=options, filename=call["filename"], lines=plan_lines(plan),
            committed_message=committed_message, write=self.stdout.write,
        )  # fmt: skip
        if fingerprint is None:
            return
        try:
            result = delegation_import_confirm(
                **call, fingerprint=fingerprint,
                confirm_committed=options["confirm_committed"],
            )  # fmt: skip
        except ImportRefused as refused:
            raise CommandError(refused.message) from None
        self.stdout.write(self.style.SUCCESS(
            f"Imported {call['filename']}: {result.participations_created} firms joined, "
            f"{result.participations_updated} changed, {result.unchanged} unchanged, {result.delegates} delegates."
        ))  # fmt: skip
