from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from companies.importing import companies_generate


class Command(BaseCommand):
    help = "Add N realistic synthetic companies (the same ones for the same seed), for benchmarks and load tests."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many companies (half EU, half Japanese).")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same companies (refs gen-<seed>-<n>).")
        parser.add_argument("--approve-as", metavar="EMAIL", help="Mark them approved by this admin.")

    def handle(self, *args, count: int, seed: int, approve_as: str | None, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        admin = None
        if approve_as:
            admin = User.objects.filter(email__iexact=approve_as, is_staff=True).first()
            if admin is None:
                raise CommandError(f"No admin with the e-mail address {approve_as}.")
        result = companies_generate(count=count, seed=seed, approve_by=admin)
        if not result.ok:
            raise CommandError("Generated data failed validation:\n" + "\n".join(map(str, result.errors[:20])))
        self.stdout.write(
            self.style.SUCCESS(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged.")
        )
