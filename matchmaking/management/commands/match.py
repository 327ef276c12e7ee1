"""`python manage.py match [--mission ID] [--top K] [--min-score S] [--embedding-weight W] [--json]`: a run here."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.models import Mission
from matchmaking import selectors, services
from matchmaking.enums import RunSource, RunStatus


class Command(BaseCommand):
    help = "Match every approved company (or one mission's participants), save the suggestions, print them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mission", type=int, help="Mission id; default: every approved company.")
        parser.add_argument("--top", type=int, dest="top_k", help="Partners per firm (default 10).")
        parser.add_argument("--min-score", type=float, help="Lowest score kept, 0-100 (default 20).")
        parser.add_argument("--block-size", type=int, help="Firms per block (default 512).")
        parser.add_argument(
            "--embedding-model",
            help='Embedding model: "bundled", a model directory, or "" for none (default: MATCH_EMBEDDINGS_MODEL).',
        )
        parser.add_argument(
            "--embedding-weight", type=float,
            help="Weight of the embedding part, 0 to 1; 0 turns it off (default: MATCH_EMBEDDINGS_WEIGHT).",
        )  # fmt: skip
        parser.add_argument("--language", choices=["en", "ja"], default="en", help="Language of the reasons.")
        parser.add_argument("--json", action="store_true", help="Print every firm's partners as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        mission = None
        if options["mission"] is not None:
            mission = Mission.objects.filter(pk=options["mission"]).first()
            if mission is None:
                raise CommandError(f"No mission with id {options['mission']}.")
        try:
            run = services.match_run_start(
                user=None, mission=mission, top_k=options["top_k"], min_score=options["min_score"],
                block_size=options["block_size"], embedding_model=options["embedding_model"],
                embedding_weight=options["embedding_weight"], source=RunSource.COMMAND, enqueue=False,
            )  # fmt: skip
        except ValidationError as error:
            raise CommandError(_messages(error)) from error
        run = services.match_run_execute(run_id=run.pk)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Run {run.pk} failed: {run.error}")
        firms = selectors.match_run_firm_lists(run=run, language=options["language"])
        if options["json"]:
            self.stdout.write(json.dumps(_report(run, firms), ensure_ascii=False, indent=2))
        else:
            self._print_text(run, firms)

    def _print_text(self, run: Any, firms: list[dict[str, Any]]) -> None:
        for firm in firms:
            partners = "; ".join(f"{p['rank']}. {p['name']} ({p['score']})" for p in firm["partners"]) or "-"
            self.stdout.write(f"{firm['name']} [{firm['side']}]: {partners}")
        embeddings = f"{run.embedding_model} at {run.embedding_weight}" if run.embedding_model else "off"
        self.stdout.write(
            f"Run {run.pk}: {run.firms} firms, embeddings {embeddings}; suggestions {run.suggestions_created} created, "
            f"{run.suggestions_updated} updated, {run.suggestions_kept} kept, {run.suggestions_removed} removed."
        )


def _messages(error: ValidationError) -> str:
    """Each message with its field as the option it came from, e.g. "--embedding-model: ..."."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    fields = error.message_dict.items()
    return " ".join(m if f in ("non_field_errors", "__all__") else f"--{f.replace('_', '-')}: {m}"
                    for f, ms in fields for m in ms)  # fmt: skip


def _report(run: Any, firms: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "run": run.pk,
        "mission": run.mission_id,
        "engine_version": run.engine_version,
        "embeddings": {"model": run.embedding_model, "weight": run.embedding_weight},
        "settings": run.settings,
        "counts": {"firms": run.firms, "created": run.suggestions_created, "updated": run.suggestions_updated,
                   "kept": run.suggestions_kept, "removed": run.suggestions_removed},
        "firms": firms,
    }  # fmt: skip
