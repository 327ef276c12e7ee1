from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from companies.demo_seed import DemoSeedError, DemoSeedResult, demo_seed

DEMO_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Load the demo companies and create the demo logins (idempotent; see docs/demo.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Seed although DEBUG is off. The demo logins have a public password: never on a real server.",
        )

    def handle(self, *args, **options):
        # The demo admin's password is printed and documented: refuse where DEBUG is off (production).
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "DEBUG is off: seed_demo creates an admin with a public password, so it refuses to run. "
                "Use --allow-without-debug on a private test server only."
            )
        try:
            result = demo_seed()
        except DemoSeedError as exc:
            raise CommandError(f"The demo file does not import: {exc}") from exc
        mission = _seed_mission()
        self.stdout.write(_summary(result))
        self.stdout.write(
            f"Demo mission: {mission.mission.title} ({mission.meetings} meetings, {mission.placed} placed"
            f"{'' if mission.created else ', kept as it was'})."
        )


def _seed_mission():
    """The demo mission builds on the demo companies (events app; imported here to keep apps apart)."""
    from accounts.models import User
    from companies.demo_seed import DEMO_ADMIN, DEMO_LOGINS
    from events.demo_seed import demo_mission_seed

    organiser = next(login for login in DEMO_LOGINS if login.is_organiser)
    return demo_mission_seed(organiser=User.objects.get(email=organiser.email),
                             admin=User.objects.get(email=DEMO_ADMIN.email))  # fmt: skip


def _summary(result: DemoSeedResult) -> str:
    lines = [
        f"Demo data: {result.companies} companies ({result.eu} EU, {result.jp} JP), all approved; "
        f"this run created {result.created}, updated {result.updated}, left {result.unchanged} unchanged.",
        "",
        f"Open {DEMO_URL} and log in with:",
        "",
    ]
    rows = [("Role", "E-mail", "Password", "Company")]
    for login in result.logins:
        company = result.companies_of.get(login.email)
        rows.append((login.role, login.email, result.password, f"{company} ({company.country})" if company else "-"))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines += ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines += ["", "Demo only: these passwords are public. Details in docs/demo.md."]
    return "\n".join(line.rstrip() for line in lines)
