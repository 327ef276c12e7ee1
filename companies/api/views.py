"""The companies API: thin views over companies.services and companies.selectors, as the pages are.

A profile the reader may not see is a 404, as on the pages; one they see but may not change is a 403,
raised by the service itself (companies.permissions) and turned into a 403 by config.api.
"""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from companies import data_rights, importing, moderation, permissions, selectors, services
from companies import vocabulary as vocab
from companies.api.filters import CompanyFilter
from companies.api.moderation import revision_response
from companies.api.serializers import (
    CompanyImportInput,
    CompanyImportPlanOutput,
    CompanyImportResultOutput,
    CompanyInputSerializer,
    CompanyListOutputSerializer,
    CompanyOutputSerializer,
    DeleteInputSerializer,
    RejectInputSerializer,
    VocabularyOutputSerializer,
)
from companies.enums import CompanyStatus, TextLanguage
from companies.models import Company

TAG = "companies"
_ERRORS = {400: OpenApiResponse(description="Field-level reasons: {field: [message, ...]}.")}
# An edit of an approved profile by its firm waits for review (docs/moderation.md): 202 with the revision.
_EDIT_RESPONSES = {
    200: CompanyOutputSerializer,
    202: OpenApiResponse(description="The changes wait for an admin's review: the pending revision."),
    **_ERRORS,
}


def _get_company(request: Request, pk: int) -> Company:
    """The company the reader may see, else 404; what they may do to it, its service decides (403)."""
    company = Company.objects.prefetch_related("dependencies", "contacts").filter(pk=pk).first()
    if company is None or not selectors.company_can_view(user=request.user, company=company):
        raise exceptions.NotFound(_("No such company."))
    return company


def _detail(request: Request, company: Company, status_code: int = status.HTTP_200_OK) -> Response:
    show_contacts = selectors.contacts_visible_to(user=request.user, company=company)
    data = CompanyOutputSerializer(company, context={"show_contacts": show_contacts}).data
    return Response(data, status=status_code)


class CompanyListApi(GenericAPIView):
    """Approved profiles for everyone; admins see every profile and may filter by `status`."""

    filterset_class = CompanyFilter
    serializer_class = CompanyListOutputSerializer

    def get_queryset(self) -> Any:
        qs = Company.objects.all() if self.request.user.is_staff else selectors.company_public_list()
        return qs.prefetch_related("dependencies")

    @extend_schema(tags=[TAG], responses=CompanyListOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(CompanyListOutputSerializer(page, many=True).data)

    @extend_schema(tags=[TAG], request=CompanyInputSerializer, responses={201: CompanyOutputSerializer, **_ERRORS})
    def post(self, request: Request) -> Response:
        """Register a company: the user becomes its owner (a user belongs to one company)."""
        serializer = CompanyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        company = services.company_create(user=request.user, data=serializer.validated_data)
        return _detail(request, company, status.HTTP_201_CREATED)


class CompanyDetailApi(APIView):
    @extend_schema(tags=[TAG], responses=CompanyOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, _get_company(request, pk))

    @extend_schema(tags=[TAG], request=CompanyInputSerializer, responses=_EDIT_RESPONSES)
    def put(self, request: Request, pk: int) -> Response:
        """Replace the whole profile (left-out fields become empty)."""
        return self._update(request, pk, partial=False)

    @extend_schema(tags=[TAG], request=CompanyInputSerializer, responses=_EDIT_RESPONSES)
    def patch(self, request: Request, pk: int) -> Response:
        """Change the fields given; the others keep their values."""
        return self._update(request, pk, partial=True)

    @extend_schema(tags=[TAG], request=DeleteInputSerializer, responses={204: None, **_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        """Delete the company, all its data and its members' accounts (its owner or an admin), confirmed by
        `confirm_name`, the company's name (docs/privacy.md says what is kept)."""
        company = _get_company(request, pk)
        serializer = DeleteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data["confirm_name"]
        data_rights.company_erase(company=company, user=request.user, confirm_name=name)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        company = _get_company(request, pk)
        current = selectors.company_profile_data(company=company)
        serializer = CompanyInputSerializer(data=request.data, partial=partial, context={"current": current})
        serializer.is_valid(raise_exception=True)
        outcome = moderation.profile_edit(company=company, user=request.user, data=serializer.validated_data)
        if outcome.waits_for_review:  # 202: the approved profile stays as it is until an admin decides
            return revision_response(outcome.revision, status.HTTP_202_ACCEPTED)
        return _detail(request, _get_company(request, pk))


class CompanyMeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], responses=CompanyOutputSerializer)
    def get(self, request: Request) -> Response:
        """The signed-in member's company, in whatever status."""
        company = selectors.user_company(request.user)
        if company is None:
            raise exceptions.NotFound(_("You do not belong to a company."))
        return _detail(request, _get_company(request, company.pk))


class CompanySubmitApi(APIView):
    @extend_schema(tags=[TAG], request=None, responses={200: CompanyOutputSerializer, **_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        """Send a draft or rejected profile for review."""
        company = _get_company(request, pk)
        return _detail(request, services.company_submit(company=company, user=request.user))


class CompanyApproveApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=[TAG], request=None, responses={200: CompanyOutputSerializer, **_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        company = _get_company(request, pk)
        return _detail(request, services.company_approve(company=company, admin=request.user))


class CompanyRejectApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=[TAG], request=RejectInputSerializer, responses={200: CompanyOutputSerializer, **_ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        company = _get_company(request, pk)
        serializer = RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        return _detail(request, services.company_reject(company=company, admin=request.user, reason=reason))


class CompanyDownloadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=[TAG], responses={(200, "application/json"): OpenApiTypes.OBJECT})
    def get(self, request: Request, pk: int) -> HttpResponse:
        """Everything stored about the company and its members, as a JSON file, or with `?files=csv` as a zip
        of CSV files (its members only)."""
        company = _get_company(request, pk)
        permissions.require_company_member(user=request.user, company=company)  # a read: no service to ask
        if request.query_params.get("files") == "csv":  # one CSV file per section
            response = HttpResponse(data_rights.company_data_zip(company=company), content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="kizuna-company-{company.pk}-csv.zip"'
            return response
        response = HttpResponse(data_rights.company_data_json(company=company), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="kizuna-company-{company.pk}.json"'
        return response


class CompanyImportApi(APIView):
    permission_classes = [IsAdminUser]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG], request={"multipart/form-data": CompanyImportInput},
        responses={200: CompanyImportPlanOutput, 201: CompanyImportResultOutput, 400: CompanyImportPlanOutput,
                   409: OpenApiResponse(description="The data changed since the preview: {detail}.")},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        """Without `fingerprint`: the plan (created, updated field by field, unchanged, errors), nothing
        written. With the preview's `fingerprint`: write that plan in one transaction (201)."""
        data = _validated(CompanyImportInput, request)
        upload = data["file"]
        args = {"content": upload.read(), "filename": upload.name, "approve": data["approve"],
                "encoding": data.get("encoding", "")}  # fmt: skip
        if not data.get("fingerprint"):
            plan = importing.companies_import_preview(**args)
            code = status.HTTP_200_OK if plan.ok else status.HTTP_400_BAD_REQUEST
            return Response(CompanyImportPlanOutput(plan).data, status=code)
        try:
            result = importing.companies_import_confirm(
                **args, user=request.user, fingerprint=data["fingerprint"],
                confirm_committed=data["confirm_committed"],
            )  # fmt: skip
        except importing.ImportRefused as refused:
            if refused.stale:
                return Response({"detail": refused.message}, status=status.HTTP_409_CONFLICT)
            raise exceptions.ValidationError({"confirm_committed": [refused.message]}) from None
        if not result.ok:  # the preview confirmed had errors itself: answer with that plan, as a preview does
            plan = importing.companies_import_preview(**args)
            return Response(CompanyImportPlanOutput(plan).data, status=status.HTTP_400_BAD_REQUEST)
        return Response(CompanyImportResultOutput(result).data, status=status.HTTP_201_CREATED)


def _validated(serializer_class: Any, request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _terms(terms: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    return [{"code": code, "label": label, "label_ja": label_ja} for code, (label, label_ja) in terms.items()]


class VocabularyApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["vocabulary"], responses=VocabularyOutputSerializer)
    def get(self, request: Request) -> Response:
        """The codes used in profiles, filters and import files, with English and Japanese labels."""
        data = {
            "countries": [{**term, "side": vocab.side_of(term["code"])} for term in _terms(vocab.MEMBER_COUNTRIES)],
            "source_countries": sorted(vocab.ISO_COUNTRY_CODES),
            "sectors": _terms(vocab.SECTORS),
            "stages": [{**term, "sector": vocab.sector_of_stage(term["code"])} for term in _terms(vocab.STAGES)],
            "partnership_types": _terms(vocab.PARTNERSHIP_TYPES),
            "materials": _terms(vocab.MATERIALS),
            "size_bands": _terms(vocab.SIZE_BANDS),
            "languages": _terms(vocab.LANGUAGES),
            "text_languages": [{"code": code, "label": str(label)} for code, label in TextLanguage.choices],
            "statuses": [{"code": code, "label": str(label)} for code, label in CompanyStatus.choices],
        }
        return Response(VocabularyOutputSerializer(data).data)
