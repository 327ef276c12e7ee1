"""The matching API: thin views over matchmaking.services and matchmaking.selectors, as the pages are.

Runs: admins and the organisers of the mission. Suggestions: admins see and review all; a firm
member sees only their firm's approved suggestions (a suggestion they may not see is a 404).
"""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import is_admin
from companies.selectors import user_company
from config.pagination import StrictPageNumberPagination
from config.schema import PAGE, either, paginated
from events.models import Mission
from events.selectors import mission_can_manage, missions_visible_to
from matchmaking import selectors, services
from matchmaking.api.serializers import (
    BulkReviewInputSerializer,
    BulkReviewOutputSerializer,
    ConvertInputSerializer,
    ConvertPreviewOutput,
    ConvertQuerySerializer,
    ConvertResultOutput,
    DecisionOutputSerializer,
    RespondInputSerializer,
    ReviewInputSerializer,
    RunOutputSerializer,
    RunStartInputSerializer,
    SuggestionAdminOutputSerializer,
    SuggestionFilterSerializer,
    SuggestionFirmOutputSerializer,
)
from matchmaking.conversion_selectors import conversion_preview
from matchmaking.enums import RunSource
from matchmaking.models import MatchRun, Suggestion
from matchmaking.permissions import require_reviewer, require_runner
from matchmaking.services.conversion import suggestions_convert

TAG = "matching"
_ERRORS = {400: OpenApiResponse(description="Field-level reasons: {field: [message, ...]}.")}


def _paginate(request: Request, view: APIView, items: Any, serialize: Any) -> Response:
    paginator = StrictPageNumberPagination()
    page = paginator.paginate_queryset(items, request, view=view)
    return paginator.get_paginated_response(serialize(page))


class RunListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        operation_id="v1_match_runs_list",
        parameters=[PAGE],
        responses=paginated("Run", RunOutputSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        require_runner(user=request.user)
        runs = selectors.match_runs_visible_to(request.user)
        return _paginate(request, self, runs, lambda page: RunOutputSerializer(page, many=True).data)

    @extend_schema(tags=[TAG], request=RunStartInputSerializer, responses={201: RunOutputSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        """Queue a run; poll its status at /match-runs/{id}/."""
        require_runner(user=request.user)
        serializer = RunStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.match_run_start(user=request.user, source=RunSource.API, **serializer.validated_data)
        return Response(RunOutputSerializer(run).data, status=status.HTTP_201_CREATED)


def _get_run(request: Request, pk: int) -> MatchRun:
    require_runner(user=request.user)
    run = selectors.match_run_get(pk=pk)
    if run is None or not selectors.match_run_can_view(user=request.user, run=run):
        raise exceptions.NotFound(_("No such run."))
    return run


class RunDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], responses=RunOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(RunOutputSerializer(_get_run(request, pk)).data)


class RunRetryApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], request=None, responses={200: RunOutputSerializer, **_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        run = services.match_run_retry(run=_get_run(request, pk), user=request.user)
        return Response(RunOutputSerializer(run).data)


def _firm_views(request: Request, suggestions: list[Suggestion]) -> list[dict[str, Any]]:
    company = user_company(request.user)
    language = getattr(request, "LANGUAGE_CODE", "en").split("-")[0]
    return selectors.suggestion_views_for(suggestions=suggestions, company=company, language=language)


def _serialize(request: Request, suggestions: list[Suggestion]) -> Any:
    if is_admin(request.user):
        return SuggestionAdminOutputSerializer(selectors.suggestions_with_reasons(suggestions), many=True).data
    return SuggestionFirmOutputSerializer(_firm_views(request, suggestions), many=True).data


class SuggestionListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG],
        operation_id="v1_suggestions_list",
        parameters=[SuggestionFilterSerializer, PAGE],
        responses=paginated(
            "Suggestion",
            either("Suggestion", SuggestionAdminOutputSerializer, SuggestionFirmOutputSerializer, many=True),
        ),
    )
    def get(self, request: Request) -> Response:
        """Admins: every suggestion, with the review page's filters. Firm members: their firm's approved
        suggestions, each with the partner's public profile and the reasons for their own firm."""
        # The filters are checked for everyone (the schema documents them for every caller), and
        # applied to the admins' review queue; a firm's list is its own approved suggestions.
        filters = SuggestionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        if is_admin(request.user):
            suggestions = selectors.suggestion_review_queue(**filters.filters())
        else:
            suggestions = selectors.suggestions_visible_to(request.user)
        return _paginate(request, self, suggestions, lambda page: _serialize(request, page))


def _get_suggestion(request: Request, pk: int) -> Suggestion:
    suggestion = selectors.suggestions_visible_to(request.user).filter(pk=pk).first()
    if suggestion is None:
        raise exceptions.NotFound(_("No such suggestion."))
    return suggestion


def _detail(request: Request, suggestion: Suggestion) -> Response:
    data = _serialize(request, [suggestion])[0]
    if is_admin(request.user):
        decisions = selectors.suggestion_decisions(suggestion=suggestion)
        data["decisions"] = DecisionOutputSerializer(decisions, many=True).data
    return Response(data)


class SuggestionDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], responses=either("Suggestion", SuggestionAdminOutputSerializer, SuggestionFirmOutputSerializer)
    )
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, _get_suggestion(request, pk))


class SuggestionReviewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], request=ReviewInputSerializer, responses={200: SuggestionAdminOutputSerializer, **_ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        """Admins approve or reject, with an optional note."""
        require_reviewer(user=request.user)  # before the lookup and the input: a non-admin learns nothing
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion = services.suggestion_review(
            suggestion=_get_suggestion(request, pk), admin=request.user,
            approve=serializer.validated_data["action"] == "approve", note=serializer.validated_data["note"],
        )  # fmt: skip
        return _detail(request, suggestion)


class SuggestionBulkReviewApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], operation_id="suggestions_bulk_review", request=BulkReviewInputSerializer,
        responses={200: BulkReviewOutputSerializer, **_ERRORS},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        """Approve or reject many at once, all or nothing."""
        require_reviewer(user=request.user)  # before the lookup and the input: a non-admin learns nothing
        serializer = BulkReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        count = services.suggestions_bulk_review(
            suggestion_ids=data["ids"], admin=request.user, approve=data["action"] == "approve", note=data["note"]
        )
        return Response({"reviewed": count})


class SuggestionRespondApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=[TAG], request=RespondInputSerializer, responses={200: SuggestionFirmOutputSerializer, **_ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        """A firm member answers for their firm; the reason is seen by admins only."""
        company = user_company(request.user)
        suggestion = selectors.suggestions_for_company(company=company).filter(pk=pk).first() if company else None
        if suggestion is None:
            raise exceptions.NotFound(_("No such suggestion."))
        serializer = RespondInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion = services.suggestion_respond(
            suggestion=suggestion, user=request.user,
            interested=serializer.validated_data["response"] == "interested",
            reason=serializer.validated_data["reason"],
        )  # fmt: skip
        suggestion = selectors.suggestions_for_company(company=company).get(pk=suggestion.pk)
        return Response(SuggestionFirmOutputSerializer(_firm_views(request, [suggestion])[0]).data)


class ConvertSuggestionsApi(APIView):
    """Organisers turn a mission's suggestions into requests or must-meet meetings: GET previews
    exactly what POST (with the preview's fingerprint) writes."""

    permission_classes = [IsAuthenticated]

    def _mission(self, request: Request, pk: int) -> Mission:
        mission = missions_visible_to(request.user).filter(pk=pk).first()
        if mission is None:
            raise exceptions.NotFound(_("No such mission."))
        if not mission_can_manage(user=request.user, mission=mission):
            raise exceptions.PermissionDenied(_("Only the organisers of this mission convert its suggestions."))
        return mission

    @extend_schema(tags=[TAG], parameters=[ConvertQuerySerializer], responses={200: ConvertPreviewOutput, **_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        mission = self._mission(request, pk)
        query = ConvertQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(ConvertPreviewOutput(conversion_preview(mission=mission, **query.validated_data)).data)

    @extend_schema(tags=[TAG], request=ConvertInputSerializer, responses={201: ConvertResultOutput, **_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        mission = self._mission(request, pk)
        serializer = ConvertInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = suggestions_convert(mission=mission, user=request.user, **serializer.validated_data)
        return Response(ConvertResultOutput(result).data, status=status.HTTP_201_CREATED)
