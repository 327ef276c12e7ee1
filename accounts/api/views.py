from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import MeOutputSerializer, TokenInputSerializer, TokenOutputSerializer
from accounts.selectors import user_roles
from accounts.services import LoginThrottled, user_authenticate, user_token_issue
from accounts.views import client_ip


class TokenObtainApi(APIView):
    """Exchange e-mail and password for an API token, under the same throttle and rules as the login page."""

    authentication_classes: list = []  # credentials come in the body; no session, so no CSRF check
    permission_classes = [AllowAny]

    @extend_schema(request=TokenInputSerializer, responses={200: TokenOutputSerializer})
    def post(self, request: Request) -> Response:
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = user_authenticate(
                request=request, email=data["email"], password=data["password"], ip=client_ip(request)
            )
        except LoginThrottled as error:
            raise exceptions.Throttled(wait=error.wait_seconds, detail=error.messages[0]) from error
        return Response(TokenOutputSerializer({"token": user_token_issue(user=user)}).data)


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeOutputSerializer})
    def get(self, request: Request) -> Response:
        user = request.user
        data = {"id": user.pk, "email": user.email, "full_name": user.full_name, **user_roles(user=user)}
        return Response(MeOutputSerializer(data).data)
