"""What the two import commands (import_companies, import_delegation) share: the preview's options and
the steps between the plan and the write (errors, dry run, the firms with meetings, asking at a terminal).
"""

import sys
from argparse import ArgumentParser
from collections.abc import Callable

from django.core.management.base import CommandError

from accounts.models import User
from companies.import_files import ENCODING_CHOICES
from companies.import_plan import ImportPlan


def add_preview_arguments(parser: ArgumentParser, *, still: str, committed: str) -> None:
    """--encoding, --dry-run, --fingerprint, --confirm-committed and --no-input; `still` says what a
    fingerprint vouches for, `committed` what --confirm-committed confirms."""
    parser.add_argument(
        "--encoding", choices=[code for code, _ in ENCODING_CHOICES if code], default="",
        help="The encoding of a CSV file (default: detect UTF-8, Shift-JIS or Windows-1252).",
    )  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="Print the plan and its fingerprint; write nothing.")
    parser.add_argument(
        "--fingerprint", default="",
        help=f"Write only if the file and {still} are still what the --dry-run with this fingerprint saw.",
    )  # fmt: skip
    parser.add_argument("--confirm-committed", action="store_true", help=committed)
    parser.add_argument(
        "--no-input", "--noinput", action="store_false", dest="interactive", help="Do not ask before writing."
    )


def approved_fingerprint(
    *,
    plan: ImportPlan,
    options: dict,
    filename: str,
    lines: list[str],
    committed_message: Callable[[list[str]], str],
    write: Callable[[str], None],
) -> str | None:
    """Print the plan, then the fingerprint to write with, or None after a dry run. Refuses (CommandError)
    a plan with errors, firms with meetings without --confirm-committed, and a "no" at the terminal."""
    if not plan.ok:
        errors = "\n".join(str(error) for error in plan.errors)
        raise CommandError(f"Nothing was imported; {len(plan.errors)} error(s) in {filename}:\n{errors}")
    write("\n".join(lines))
    if options["dry_run"]:
        write(f"Dry run: nothing was written. Fingerprint: {plan.fingerprint}")
        return None
    if plan.committed and not options["confirm_committed"]:
        names = [row.name for row in plan.committed]
        raise CommandError(f"Nothing was imported. {committed_message(names)} Add --confirm-committed.")
    # A --fingerprint from a dry run is the confirmation already; --no-input and pipes never ask.
    ask = options["interactive"] and sys.stdin.isatty() and not options["fingerprint"] and plan.writes
    if ask and input("Write these changes? [y/N] ").strip().lower() not in ("y", "yes"):
        raise CommandError("Nothing was imported.")
    return options["fingerprint"] or plan.fingerprint


def user_by_email(email: str | None) -> User | None:
    """The account --as names (None without --as); an unknown address stops the command."""
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise CommandError(f"No user with the e-mail address {email}.")
    return user
