"""Schedule a problem file: `manage.py schedule_problem --input P.json --output S.json`."""

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Read a scheduling problem (docs/scheduling-format.md), schedule it, write the solution."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="problem JSON file")
        parser.add_argument("--output", required=True, help="solution JSON file to write")
        parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
        parser.add_argument("--seed", type=int, default=0, help="same input and seed give the same schedule")

    def handle(self, *args: object, **options: object) -> None:
        from events.scheduler import io, solver  # heavy imports (OR-Tools) only when run

        try:
            problem = io.read_problem(str(options["input"]))
        except (OSError, io.ProblemError) as exc:
            raise CommandError(str(exc)) from exc
        solution = solver.schedule(problem, time_limit=float(options["time_limit"]), seed=int(options["seed"]))
        io.write_json(str(options["output"]), io.solution_to_dict(solution))
        stats = solution.stats
        self.stdout.write(
            f"placed {stats['placed']}/{stats['meetings']}, weight {stats['weight']} (bound {stats['bound']}), "
            f"breaks {stats['breaks']} (max {stats['max_breaks']}), {stats['status']}, {stats['seconds']} s, "
            f"stopped on {stats['stopped_on']}"
        )
