"""`python manage.py match_train`: retrain the ranking model, print its evaluation, keep it if not worse."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matchmaking.services.training import ranker_train
from matchmaking.training import PARTNERS_DEV

SLICES_SHOWN = ("overall", "EU->JP", "JP->EU", "batteries", "biotech", "minerals")


class Command(BaseCommand):
    help = (
        "Learn the weights of the score's parts from the partners corpus, our own data and the "
        "platform's feedback; print the cross-validated evaluation; activate the model only if it "
        "ranks at least as well as the current one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--partners",
            type=Path,
            default=PARTNERS_DEV,
            help="Folder of a partners-dev style corpus (skipped if absent).",
        )
        parser.add_argument("--no-feedback", action="store_true", help="Leave the platform's feedback out.")
        parser.add_argument(
            "--embeddings", default="", help='Also fit the weights with embeddings: "bundled" or a model folder.'
        )
        parser.add_argument("--dry-run", action="store_true", help="Evaluate only; save nothing.")
        parser.add_argument("--write-file", type=Path, help="Also write the model file here (e.g. the shipped one).")

    def handle(self, *args: Any, **options: Any) -> None:
        embedder = None
        if options["embeddings"]:
            from matchmaking.engine import backend_from_setting

            try:
                embedder = backend_from_setting(options["embeddings"])
            except (ValueError, ImportError) as error:
                raise CommandError(str(error)) from error
        outcome = ranker_train(
            partners=options["partners"] if options["partners"].exists() else None,
            use_feedback=not options["no_feedback"],
            embedder=embedder,
            save=not options["dry_run"],
            write_file=None if options["dry_run"] else options["write_file"],
        )
        self._print(outcome.model)
        verdict = "kept" if outcome.replaced else "NOT kept (worse than the current model)"
        if options["dry_run"]:
            verdict = "not saved (dry run)" if outcome.replaced else verdict
        self.stdout.write(f"Model {outcome.model['version']} (current {outcome.current_version}): {verdict}.")

    def _print(self, model: dict[str, Any]) -> None:
        for s in model["trained_on"]:
            self.stdout.write(f"source {s['set']}: {s['pairs']} pairs, {s['firms']} firms, weight {s['weight']}")
        for key, report in model["evaluation"].items():
            weights = ", ".join(f"{name} {w:.3f}" for name, w in model[key].items() if w > 0)
            self.stdout.write(f"\n{key}: {weights}")
            self.stdout.write(
                f"weighted MRR: new {report['score']:.3f} (cross-validated), current {report['current_score']:.3f}"
            )
            for set_name, slices in report["cross_validated"].items():
                for slice_name, m in slices.items():
                    if slice_name in SLICES_SHOWN:
                        now = report["current"][set_name][slice_name]
                        self.stdout.write(
                            f"  {set_name:22} {slice_name:9} n={m['queries']:<4} R@5 {m['r5']:.3f} "
                            f"MRR {m['mrr']:.3f}   (current R@5 {now['r5']:.3f} MRR {now['mrr']:.3f})"
                        )
