"""The API's JSON parser: bodies nested too deep are a 400 with a clear message, not a RecursionError."""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

from config.json_input import JSONTooDeep, json_loads


class LimitedJSONParser(JSONParser):
    """DRF hands JSON parsers `request.body`, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE has already
    refused a body too large (config.api turns that into a 400 with a message)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not valid %(encoding)s text.") % {"encoding": encoding}) from None
        constant = json.strict_constant if self.strict else None
        try:
            return json_loads(text, parse_constant=constant)
        except JSONTooDeep as exc:
            raise ParseError(_("The JSON is nested deeper than %(limit)d levels.") % {"limit": exc.limit}) from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
