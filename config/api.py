"""API-wide pieces: errors from services become 400s with field-level reasons; OPTIONS that never fails."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.metadata import SimpleMetadata
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    # Services raise Django's ValidationError so that forms and the API share one message.
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    elif isinstance(exc, RequestDataTooBig):
        # Django would answer its HTML 400 page; API clients get JSON saying what the limit is.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = exceptions.ParseError(_("The request body is larger than %(limit)d bytes.") % {"limit": limit})
    return drf_exception_handler(exc, context)


def _has_serializer(view) -> bool:
    # Imported here: DRF reads this module while defining APIView, which generics imports.
    from rest_framework.generics import GenericAPIView

    return getattr(view, "serializer_class", None) is not None or (
        type(view).get_serializer_class is not GenericAPIView.get_serializer_class
    )


class ApiMetadata(SimpleMetadata):
    """OPTIONS answers name, description, renders and parses for every view. Our viewsets pick an
    input serializer per action (no `serializer_class`), which DRF's metadata would assert on (500):
    those views describe no `actions`; the OpenAPI schema (/api/schema/) describes their bodies."""

    def determine_actions(self, request, view):
        if not _has_serializer(view):
            return {}
        return super().determine_actions(request, view)
