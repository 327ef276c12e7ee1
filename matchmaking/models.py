"""Match runs, the pair-level suggestions they produce, and the log of every decision on them.

A suggestion is one EU firm and one JP firm in one scope: a mission, or every approved company
(mission empty). Runs rewrite the computed fields (score, parts, reasons, ranks); the review and
the firms' answers belong to people and are never overwritten by a run. See docs/match-runs.md.
"""

from django.conf import settings as django_settings  # `settings` is a field of MatchRun
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from events.models import RunLifecycle
from matchmaking.enums import ACTIVE_RUN_STATUSES, DecisionAction, FirmResponse, RunSource, RunStatus, SuggestionStatus


class MatchRun(RunLifecycle):
    """One computation of suggestions for a scope; `settings` are the engine's MatchSettings.as_dict()."""

    mission = models.ForeignKey(
        "events.Mission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="match_runs",
        verbose_name=_("mission"),
    )
    source = models.CharField(_("started from"), max_length=10, choices=RunSource.choices, default=RunSource.WEB)
    settings = models.JSONField(_("settings"), default=dict)
    engine_version = models.CharField(_("engine version"), max_length=32, blank=True)
    model_version = models.CharField(
        _("ranking model"), max_length=64, blank=True, help_text=_("The learned weights this run scored with.")
    )
    embedding_model = models.CharField(
        _("embedding model"), max_length=500, blank=True,
        help_text=_("MATCH_EMBEDDINGS_MODEL of the run: bundled or a model directory; empty when off."),
    )  # fmt: skip
    embedding_weight = models.FloatField(
        _("embedding weight"), default=0.0, help_text=_("Weight of the embedding part; 0 when off.")
    )
    blocks_total = models.PositiveIntegerField(_("blocks"), default=0)
    blocks_done = models.JSONField(_("finished blocks"), default=list, help_text=_("Indices of finished blocks."))
    firms = models.PositiveIntegerField(_("firms"), default=0)
    suggestions_created = models.PositiveIntegerField(_("suggestions created"), default=0)
    suggestions_updated = models.PositiveIntegerField(_("suggestions updated"), default=0)
    suggestions_kept = models.PositiveIntegerField(_("suggestions kept"), default=0)
    suggestions_removed = models.PositiveIntegerField(_("suggestions removed"), default=0)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="match_run_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="match_run_progress_max_100"),
            # A weight needs a model, and a model is only recorded when it weighed in.
            models.CheckConstraint(
                condition=Q(embedding_weight=0, embedding_model="")
                | Q(embedding_weight__gt=0, embedding_weight__lte=1) & ~Q(embedding_model=""),
                name="match_run_embedding_model_with_weight",
            ),
            # Two runs of one scope at once would race on the same rows: one queued or running at a time.
            models.UniqueConstraint(
                Coalesce("mission", Value(0)),
                condition=Q(status__in=ACTIVE_RUN_STATUSES),
                name="match_run_one_active_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.status})"


class RankingModel(models.Model):
    """A ranking model learned by match_train (weights of the score's parts). The active one is used
    by new runs; with none active, runs use the model shipped in matchmaking/engine/ranker.json."""

    version = models.CharField(_("version"), max_length=64, unique=True)
    weights = models.JSONField(_("weights"), help_text=_("Weight of each part, without embeddings."))
    weights_embedding = models.JSONField(_("weights with embeddings"))
    trained_on = models.JSONField(_("trained on"), default=list, help_text=_("Each source: name, queries, weight."))
    evaluation = models.JSONField(_("evaluation"), default=dict, help_text=_("Cross-validated, by source and slice."))
    active = models.BooleanField(_("active"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ranking model")
        verbose_name_plural = _("ranking models")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="ranking_model_one_active"),
        ]

    def __str__(self) -> str:
        return self.version


class Reason(models.Model):
    """One reason sentence in English and Japanese, stored once and shared by every suggestion giving it.

    A run of 10,000 firms per side gives about 2,000,000 reasons but only a few thousand distinct
    sentences, so suggestions hold lists of these ids. Rows are only ever added (never changed or
    deleted: suggestions refer to them by id from JSON, which no foreign key guards). Unique on the
    two texts themselves rather than on a hash of them: the database then enforces exactly the
    invariant, writes target it with ON CONFLICT and look texts up by it, on SQLite too; the engine's
    sentences are short (at most MAX_TERMS concepts), far below PostgreSQL's limit for an index entry.
    """

    en = models.TextField(_("English"))
    ja = models.TextField(_("Japanese"), blank=True)

    class Meta:
        verbose_name = _("reason")
        verbose_name_plural = _("reasons")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["en", "ja"], name="reason_texts_unique")]

    def __str__(self) -> str:
        return self.en or self.ja


class Suggestion(models.Model):
    """An EU firm and a JP firm proposed to each other, with each side's reasons and rank.

    `scope` repeats the mission id (0 without a mission) because NULLs never collide in a unique
    constraint (PostgreSQL before 15, SQLite), and runs upsert on (eu_company, jp_company, scope).
    `rank_eu` is the JP firm's place in the EU firm's list (1 = best), empty when it is not in it.
    `reasons_eu` are the ids of the EU firm's `Reason`s, in order (selectors.reason_texts reads them).
    Foreign keys that only an ON DELETE SET NULL would search by have no index of their own, and the
    EU firm's is the leading column of the pair's unique index: see docs/match-runs.md, "Indexes".
    """

    run = models.ForeignKey(
        MatchRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        verbose_name=_("match run"),
    )
    mission = models.ForeignKey(
        "events.Mission",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="suggestions",
        verbose_name=_("mission"),
    )
    scope = models.PositiveIntegerField(_("scope"), default=0, editable=False)
    eu_company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="suggestions_as_eu",
        verbose_name=_("EU company"),
        db_index=False,  # suggestion_pair_unique starts with it
    )
    jp_company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="suggestions_as_jp", verbose_name=_("Japanese company")
    )
    score = models.FloatField(_("score"), help_text=_("0 to 100"))
    parts = models.JSONField(_("score parts"), default=dict)
    reasons_eu = models.JSONField(_("reasons for the EU firm"), default=list, help_text=_("Reason ids, in order."))
    reasons_jp = models.JSONField(_("reasons for the JP firm"), default=list, help_text=_("Reason ids, in order."))
    rank_eu = models.PositiveSmallIntegerField(_("rank for the EU firm"), null=True, blank=True)
    rank_jp = models.PositiveSmallIntegerField(_("rank for the JP firm"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PROPOSED
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
        db_index=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # Not a column: selectors.suggestions_with_reasons attaches each side's reason texts,
    # {"eu": {"en": [...], "ja": [...]}, "jp": {...}}, to the suggestions it returns.
    reason_texts: dict[str, dict[str, list[str]]]
    eu_response = models.CharField(
        _("EU firm's answer"), max_length=16, choices=FirmResponse.choices, default=FirmResponse.NONE
    )
    eu_response_reason = models.TextField(_("EU firm's reason"), blank=True)
    eu_responded_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("EU firm answered by"),
        db_index=False,
    )
    eu_responded_at = models.DateTimeField(_("EU firm answered at"), null=True, blank=True)
    jp_response = models.CharField(
        _("Japanese firm's answer"), max_length=16, choices=FirmResponse.choices, default=FirmResponse.NONE
    )
    jp_response_reason = models.TextField(_("JP firm's reason"), blank=True)
    jp_responded_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Japanese firm answered by"),
        db_index=False,
    )
    jp_responded_at = models.DateTimeField(_("Japanese firm answered at"), null=True, blank=True)
    meeting_request = models.ForeignKey(
        "events.MeetingRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("meeting request"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["eu_company", "jp_company", "scope"], name="suggestion_pair_unique"),
            models.CheckConstraint(condition=~Q(eu_company=F("jp_company")), name="suggestion_not_self"),
            models.CheckConstraint(
                condition=Q(mission__isnull=True, scope=0) | Q(mission__isnull=False, scope=F("mission")),
                name="suggestion_scope_is_mission",
            ),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="suggestion_score_range"),
            models.CheckConstraint(condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"),
            # Firms only see, so only answer, approved suggestions.
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.APPROVED)
                | Q(eu_response=FirmResponse.NONE, jp_response=FirmResponse.NONE),
                name="suggestion_answers_need_approval",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-score"], name="suggestion_status_score"),
            # A firm's approved suggestions (its partner cards, the API): read through these two
            # instead of every approved row. Proposed rows, what a run writes, are not in them.
            *[
                models.Index(fields=[f"{side}_company"], condition=Q(status=SuggestionStatus.APPROVED),
                             name=f"suggestion_{side}_approved")
                for side in ("eu", "jp")
            ],
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.eu_company_id} ↔ {self.jp_company_id} ({self.status})"

    @property
    def both_interested(self) -> bool:
        return self.eu_response == FirmResponse.INTERESTED and self.jp_response == FirmResponse.INTERESTED

    @property
    def status_tone(self) -> str:
        """Badge tone of the review status (ok, danger, warn)."""
        tones: dict[str, str] = {SuggestionStatus.APPROVED: "ok", SuggestionStatus.REJECTED: "danger"}
        return tones.get(self.status, "warn")

    @property
    def review_open(self) -> bool:
        """An admin may still approve or reject it: no firm has answered (services.suggestion_review)."""
        return self.eu_response == FirmResponse.NONE and self.jp_response == FirmResponse.NONE

    @property
    def can_approve(self) -> bool:
        return self.review_open and self.status != SuggestionStatus.APPROVED

    @property
    def can_reject(self) -> bool:
        return self.review_open and self.status != SuggestionStatus.REJECTED

    @property
    def has_decision(self) -> bool:
        """Reviewed or answered: a run then keeps the row even when it no longer proposes the pair."""
        return (
            self.status != SuggestionStatus.PROPOSED
            or self.eu_response != FirmResponse.NONE
            or self.jp_response != FirmResponse.NONE
        )


class SuggestionDecision(models.Model):
    """Who decided what on a suggestion, and when; `company` is the firm that answered (firm answers)."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("suggestion")
    )
    user = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("user")
    )
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("company")
    )
    action = models.CharField(_("action"), max_length=20, choices=DecisionAction.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion decision")
        verbose_name_plural = _("suggestion decisions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.action}"
