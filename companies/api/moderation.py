"""API of the moderation of changes (companies.moderation): the firm withdraws a submission or its pending
changes; admins list, approve and reject pending revisions. Thin views, as the pages are."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import IsAdminUser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from companies import diffs, moderation, permissions, selectors
from companies.models import CompanyRevision

TAG = "moderation"


class RevisionOutputSerializer(serializers.ModelSerializer):
    """A revision: `proposed` and `base` hold {field: value}; `rows` the field-level diff against the live
    profile, with labels in the request's language."""

    created_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    rows = serializers.SerializerMethodField()

    class Meta:
        model = CompanyRevision
        fields = ("id", "company", "status", "proposed", "base", "created_by", "created_at", "updated_at",
                  "decided_by", "decided_at", "note", "rows")  # fmt: skip

    def get_rows(self, revision: CompanyRevision) -> list[dict[str, Any]]:
        live = selectors.company_profile_data(company=revision.company)
        return [row.__dict__ for row in diffs.revision_rows(revision, live)]


class DecisionInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


def revision_response(revision: CompanyRevision, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(RevisionOutputSerializer(revision).data, status=status_code)


def _company(request: Request, pk: int) -> Any:
    from companies.api.views import _get_company  # the views module imports this one

    return _get_company(request, pk)


class CompanyWithdrawApi(APIView):
    @extend_schema(tags=[TAG], request=None, responses={200: None})
    def post(self, request: Request, pk: int) -> Response:
        """Take a submitted profile back to draft, so that it can be edited again."""
        company = moderation.company_withdraw(company=_company(request, pk), user=request.user)
        return Response({"id": company.pk, "status": company.status})


class CompanyRevisionApi(APIView):
    @extend_schema(tags=[TAG], responses=RevisionOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        """The changes of this approved profile that wait for review (404 when there are none)."""
        company = _company(request, pk)
        permissions.require_company_editor(user=request.user, company=company)  # a read: no service to ask
        revision = selectors.company_pending_revision(company=company)
        if revision is None:
            raise exceptions.NotFound(_("There are no changes waiting for review."))
        return revision_response(revision)

    @extend_schema(tags=[TAG], responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        """Withdraw the changes waiting for review; the approved profile is unchanged."""
        moderation.revision_withdraw(company=_company(request, pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RevisionListApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(tags=[TAG], responses=RevisionOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Pending changes to approved profiles, oldest first."""
        revisions = selectors.revision_queue()
        return Response(RevisionOutputSerializer(revisions, many=True).data)


class RevisionDecisionApi(APIView):
    permission_classes = [IsAdminUser]
    approve = True

    @extend_schema(tags=[TAG], request=DecisionInputSerializer, responses=RevisionOutputSerializer)
    def post(self, request: Request, pk: int) -> Response:
        """Approve (applied and public at once) or reject (a note is required) the proposed changes."""
        revision = selectors.revision_get(pk=pk)
        if revision is None:
            raise exceptions.NotFound(_("No such revision."))
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decide = moderation.revision_approve if self.approve else moderation.revision_reject
        return revision_response(decide(revision=revision, admin=request.user, note=serializer.validated_data["note"]))
