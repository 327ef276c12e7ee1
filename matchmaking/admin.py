"""Django admin: runs and suggestions are read here, and changed only through the services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from matchmaking import selectors, services
from matchmaking.models import MatchRun, RankingModel, Reason, Suggestion, SuggestionDecision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id", "mission", "status", "progress", "firms", "suggestions_created", "suggestions_updated",
        "suggestions_kept", "suggestions_removed", "source", "model_version", "embedding_model", "embedding_weight",
        "created_by", "created_at", "finished_at",
    ]  # fmt: skip
    list_filter = ["status", "source", "embedding_model", "mission"]
    list_select_related = ["mission", "created_by"]
    actions = ["retry"]

    @admin.action(description=_("Retry the selected failed runs"))
    def retry(self, request: HttpRequest, queryset: QuerySet[MatchRun]) -> None:
        for run in queryset:
            try:
                services.match_run_retry(run=run, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"#{run.pk}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Run %(id)s queued again.") % {"id": run.pk}, messages.SUCCESS)


@admin.register(RankingModel)
class RankingModelAdmin(ReadOnlyAdmin):
    """Models are made by match_train (which keeps one only if it is not worse); read here."""

    list_display = ["version", "active", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["version", "active", "weights", "weights_embedding", "trained_on", "evaluation", "created_at"]


class DecisionInline(admin.TabularInline):
    model = SuggestionDecision
    extra = 0
    can_delete = False
    fields = readonly_fields = ["at", "action", "user", "company", "note"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdmin):
    list_display = ["id", "eu_company", "jp_company", "mission", "score", "status", "eu_response", "jp_response",
                    "updated_at"]  # fmt: skip
    list_filter = ["status", "eu_response", "jp_response", "mission"]
    list_select_related = ["eu_company", "jp_company", "mission"]
    search_fields = ["eu_company__name", "jp_company__name", "eu_company__ref", "jp_company__ref"]
    ordering = ["-score", "id"]
    exclude = ["reasons_eu", "reasons_jp"]  # Reason ids: shown as their texts below
    readonly_fields = ["reason_texts_eu", "reason_texts_jp"]
    inlines = [DecisionInline]
    actions = ["approve", "reject"]

    @admin.display(description=_("reasons for the EU firm"))
    def reason_texts_eu(self, suggestion: Suggestion) -> SafeString:
        return _reason_list(suggestion.reasons_eu)

    @admin.display(description=_("reasons for the JP firm"))
    def reason_texts_jp(self, suggestion: Suggestion) -> SafeString:
        return _reason_list(suggestion.reasons_jp)

    def _review(self, request: HttpRequest, queryset: QuerySet[Suggestion], approve: bool) -> None:
        try:
            count = services.suggestions_bulk_review(
                suggestion_ids=list(queryset.values_list("pk", flat=True)), admin=request.user, approve=approve,
                note=str(_("Reviewed in the Django admin.")),
            )  # fmt: skip
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, _("%(count)s suggestion(s) reviewed.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected suggestions"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        self._review(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected suggestions"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        self._review(request, queryset, approve=False)


def _reason_list(ids: list[int]) -> SafeString:
    """Each reason in English and Japanese, in the stored order."""
    texts = selectors.reason_texts(ids=ids)
    items = format_html_join("", "<li>{}<br>{}</li>", (texts.get(pk, (f"#{pk}", "")) for pk in ids))
    return format_html("<ul>{}</ul>", items)


@admin.register(Reason)
class ReasonAdmin(ReadOnlyAdmin):
    """Written only by runs, and never deleted: suggestions refer to reasons by id."""

    list_display = ["id", "en", "ja"]
    search_fields = ["en", "ja"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
