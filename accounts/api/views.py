from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import (
    MeOutputSerializer,
    TokenInputSerializer,
    TokenListItemSerializer,
    TokenOutputSerializer,
)
from accounts.models import ApiToken
from accounts.selectors import api_tokens_of, user_roles
from accounts.services import LoginThrottled, user_authenticate, user_token_issue, user_token_revoke


class TokenObtainApi(APIView):
    """Exchange e-mail and password for a new API token, under the same throttle and rules as the login
    page. Each call issues a new token (name it after the script or device); list and revoke them at
    `auth/tokens/`."""

    authentication_classes: list = []  # credentials come in the body; no session, so no CSRF check
    permission_classes = [AllowAny]

    @extend_schema(request=TokenInputSerializer, responses={200: TokenOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = user_authenticate(request=request, email=data["email"], password=data["password"])
        except LoginThrottled as error:
            raise exceptions.Throttled(wait=error.wait_seconds, detail=error.messages[0]) from error
        key, token = user_token_issue(user=user, name=data.get("name", ""))
        return Response(TokenOutputSerializer({"token": key, "id": token.pk, "expires_at": token.expires_at}).data)


def _current_token_id(request: Request) -> int | None:
    return request.auth.pk if isinstance(request.auth, ApiToken) else None


class TokenListApi(APIView):
    """The signed-in user's API tokens, newest first."""

    permission_classes = [IsAuthenticated]
    pagination_class = None

    @extend_schema(responses={200: TokenListItemSerializer(many=True)})
    def get(self, request: Request) -> Response:
        current = _current_token_id(request)
        rows = [
            {**{f: getattr(t, f) for f in ("id", "name", "prefix", "created_at", "expires_at", "last_used_at")},
             "is_current": t.pk == current}
            for t in api_tokens_of(user=request.user)
        ]  # fmt: skip
        return Response(TokenListItemSerializer(rows, many=True).data)


class TokenDetailApi(APIView):
    """Revoke one of the signed-in user's tokens (another user's token is a 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        get_object_or_404(api_tokens_of(user=request.user), pk=pk)
        user_token_revoke(user=request.user, token_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeOutputSerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        data = {"id": user.pk, "email": user.email, "full_name": user.full_name, **user_roles(user=user)}
        return Response(MeOutputSerializer(data).data)
