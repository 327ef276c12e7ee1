"""Input and output shapes of the matching API. Inputs check types; services check the rest."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from companies.models import Company
from events.models import Mission
from matchmaking.enums import FitLevel, SuggestionStatus
from matchmaking.models import MatchRun, Suggestion, SuggestionDecision

ACTIONS = [("approve", "approve"), ("reject", "reject")]
RESPONSES = [("interested", "interested"), ("not_interested", "not interested")]


class RunStartInputSerializer(serializers.Serializer):
    mission = serializers.PrimaryKeyRelatedField(
        queryset=Mission.objects.all(), required=False, allow_null=True,
        help_text="Empty: every approved company (admins only).",
    )  # fmt: skip
    top_k = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    min_score = serializers.FloatField(required=False, allow_null=True, min_value=0, max_value=100)
    block_size = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="Firms per parallel block."
    )
    embedding_weight = serializers.FloatField(
        required=False, allow_null=True, min_value=0, max_value=1,
        help_text="Weight of the embedding part (the server's MATCH_EMBEDDINGS_MODEL); 0 turns it off. "
        "Empty: MATCH_EMBEDDINGS_WEIGHT.",
    )  # fmt: skip


class RunOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    blocks_done = serializers.SerializerMethodField()
    duration_seconds = serializers.SerializerMethodField()

    class Meta:
        model = MatchRun
        fields = [
            "id", "mission", "status", "source", "settings", "engine_version", "model_version", "embedding_model",
            "embedding_weight", "progress", "blocks_total",
            "blocks_done", "firms", "suggestions_created", "suggestions_updated", "suggestions_kept",
            "suggestions_removed", "attempts", "error", "created_by", "created_at", "started_at", "heartbeat_at",
            "finished_at",
            "duration_seconds",
        ]  # fmt: skip

    def get_blocks_done(self, run: MatchRun) -> int:
        return len(run.blocks_done)

    def get_duration_seconds(self, run: MatchRun) -> float | None:
        return run.duration.total_seconds() if run.duration else None


class FirmOutputSerializer(serializers.ModelSerializer):
    """The public face of a firm (no contact persons)."""

    class Meta:
        model = Company
        fields = ["id", "ref", "name", "name_ja", "country", "city", "website", "sectors", "stages",
                  "partnership_types", "materials", "description", "offer", "seek"]  # fmt: skip


class FirmBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ["id", "ref", "name", "country"]


class DecisionOutputSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="email", read_only=True)

    class Meta:
        model = SuggestionDecision
        fields = ["action", "user", "company", "note", "at"]


class ReasonTextsOutputSerializer(serializers.Serializer):
    """One firm's reasons: the sentences in English and in Japanese, in the same order."""

    en = serializers.ListField(child=serializers.CharField())
    ja = serializers.ListField(child=serializers.CharField())


class SuggestionAdminOutputSerializer(serializers.ModelSerializer):
    """Everything about a pair, for admins: both sides' reasons, ranks and answers (with reasons).
    Takes suggestions from selectors.suggestions_with_reasons: the stored reason ids are shown as texts."""

    eu_company = FirmBriefSerializer(read_only=True)
    jp_company = FirmBriefSerializer(read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    reasons_eu = ReasonTextsOutputSerializer(source="reason_texts.eu", read_only=True)
    reasons_jp = ReasonTextsOutputSerializer(source="reason_texts.jp", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id", "mission", "run", "eu_company", "jp_company", "score", "parts", "reasons_eu", "reasons_jp",
            "rank_eu", "rank_jp", "status", "review_note", "reviewed_by", "reviewed_at", "eu_response",
            "eu_response_reason", "eu_responded_at", "jp_response", "jp_response_reason", "jp_responded_at",
            "meeting_request", "updated_at",
        ]  # fmt: skip


class FitOutputSerializer(serializers.Serializer):
    """One score part in words (selectors.parts_as_fit)."""

    part = serializers.CharField()
    label = serializers.CharField()
    level = serializers.ChoiceField(choices=FitLevel.choices)
    level_label = serializers.CharField()


class SuggestionFirmOutputSerializer(serializers.Serializer):
    """One approved suggestion as a firm sees it (selectors.suggestion_view_for): its own side only."""

    id = serializers.IntegerField(source="suggestion.pk")
    mission = serializers.IntegerField(source="suggestion.mission_id", allow_null=True)
    partner = FirmOutputSerializer()
    score = serializers.FloatField()
    parts = serializers.DictField(child=serializers.FloatField())
    fit = FitOutputSerializer(many=True, help_text="Each part in words: strong, good, some or weak fit.")
    reasons = serializers.ListField(child=serializers.CharField())
    rank = serializers.IntegerField(allow_null=True)
    response = serializers.CharField()
    response_reason = serializers.CharField()
    mutual = serializers.BooleanField(help_text="Both firms said they are interested.")


class ReviewInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BulkReviewInputSerializer(ReviewInputSerializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000)


class BulkReviewOutputSerializer(serializers.Serializer):
    reviewed = serializers.IntegerField(help_text="How many suggestions were reviewed.")


class RespondInputSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=RESPONSES)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class SuggestionFilterSerializer(serializers.Serializer):
    """Query parameters of the admins' suggestion list (the review page's filters)."""

    mission = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(choices=SuggestionStatus.choices, required=False)
    eu_sector = serializers.CharField(required=False)
    jp_sector = serializers.CharField(required=False)
    score_min = serializers.FloatField(required=False, min_value=0, max_value=100)
    score_max = serializers.FloatField(required=False, min_value=0, max_value=100)
    ordering = serializers.ChoiceField(choices=["-score", "score", "eu", "jp", "updated"], required=False)

    def filters(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        mission_id = data.pop("mission", None)
        data["mission"] = Mission.objects.filter(pk=mission_id).first() if mission_id else None
        if mission_id and data["mission"] is None:
            raise serializers.ValidationError({"mission": [_("No such mission.")]})
        return data


# --- Bulk conversion of a mission's suggestions (organisers) ------------------------------------

SOURCES = [("both", "approved above min_score, and mutual"), ("approved", "approved above min_score"),
           ("mutual", "mutual interest")]  # fmt: skip
TARGETS = [("requests", "pending requests from the keener firm"), ("meetings", "must-meet meetings")]


class ConvertQuerySerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=SOURCES, default="both")
    target = serializers.ChoiceField(choices=TARGETS, default="requests")
    min_score = serializers.FloatField(min_value=0, max_value=100, default=0)


class ConvertInputSerializer(ConvertQuerySerializer):
    fingerprint = serializers.CharField(
        max_length=64, help_text="The preview's fingerprint; when the plan changed since, nothing is written (400)."
    )


class ConvertPairOutput(serializers.Serializer):
    first = serializers.CharField(help_text="The requesting firm (requests), or one of the two (meetings).")
    second = serializers.CharField()
    score = serializers.FloatField()
    mutual = serializers.BooleanField()


class ConvertFirmOutput(serializers.Serializer):
    name = serializers.CharField()
    used = serializers.IntegerField(help_text="Requests sent (requests) or meetings (meetings) now.")
    added = serializers.IntegerField()
    after = serializers.IntegerField()
    limit = serializers.IntegerField(allow_null=True)
    received = serializers.IntegerField(help_text="Requests it would receive (requests).")


class ConvertLeftOutOutput(serializers.Serializer):
    eu = serializers.CharField()
    jp = serializers.CharField()
    code = serializers.CharField()
    reason = serializers.CharField()


class ConvertPreviewOutput(serializers.Serializer):
    source = serializers.CharField()
    target = serializers.CharField()
    min_score = serializers.FloatField()
    fingerprint = serializers.CharField()
    total = serializers.IntegerField()
    pairs = ConvertPairOutput(many=True)
    firms = ConvertFirmOutput(many=True)
    left_out = ConvertLeftOutOutput(many=True)


class ConvertResultOutput(serializers.Serializer):
    target = serializers.CharField()
    created = serializers.IntegerField()
    firms_told = serializers.IntegerField()
