"""What the OpenAPI schema says beyond what drf-spectacular infers, so that it tells the truth.

- `errors_document` (a postprocessing hook): every operation lists the errors it can answer, with
  their bodies: 400 (field-level reasons or a parse error) for operations that take a body or query
  parameters, 401 (no or bad credentials; the token class sends WWW-Authenticate) and 403 (not
  allowed) for all but the public token exchange, 404 for paths with an id and for paginated lists
  (a page past the end), 429 for the token exchange (login throttle).
- `paginated(...)`: the page object of views that paginate by hand (APIView, not a list action).
- `either(...)`: a body whose shape depends on the caller's role (admins see more), as oneOf.
- `HourMinuteField`: times of day written "09:30", documented as such rather than as RFC 3339
  `time` (which requires seconds).
"""

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema_field, inline_serializer
from rest_framework import serializers

from config.pagination import PAGE_PATTERN

ERROR_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field-level reasons, {field: [message, ...]} (nested for lists and objects), "
    "`non_field_errors` for the whole body, or {detail: message} for a body that cannot be read.",
    "additionalProperties": {},
}
_DESCRIPTIONS = {
    "400": ("Bad input: field-level reasons.", "FieldErrors"),
    "401": ("No credentials, or a token that is unknown, revoked or expired.", "ErrorDetail"),
    "403": ("Signed in, but not allowed to do this.", "ErrorDetail"),
    "404": ("No such object, or one the caller may not see (or a page past the end).", "ErrorDetail"),
    "429": ("Too many attempts: wait as the message says.", "ErrorDetail"),
}
PUBLIC_OPERATIONS = {("/api/v1/auth/token/", "post")}
THROTTLED_OPERATIONS = PUBLIC_OPERATIONS


# Text without control or bidirectional-override characters (config/text_input.py refuses them).
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]*$"


def _codes_for(path: str, method: str, operation: dict) -> list[str]:
    parameters = operation.get("parameters", [])
    has_query = any(parameter.get("in") == "query" for parameter in parameters)
    codes = []
    # Writes may also be refused by a business rule (a locked mission, a cancelled meeting): a 400
    # with the reason, like a field error.
    if "requestBody" in operation or has_query or method != "get":
        codes.append("400")
    if (path, method) not in PUBLIC_OPERATIONS:
        codes += ["401", "403"]
    # Ids in the path, a page past the end, or an object the caller has not got ("your company").
    codes.append("404")
    if (path, method) in THROTTLED_OPERATIONS:
        codes.append("429")
    return codes


def _plain_text_strings(node) -> None:
    """Every free-text string of a body says which characters it refuses. Query parameters are left
    as they are: a filter that does not apply to the caller (an admin's filter, for a firm) is ignored,
    whatever it holds."""
    if isinstance(node, dict):
        if node.get("in") == "query":
            return
        if node.get("type") == "string" and not ({"format", "enum", "pattern"} & node.keys()):
            node["pattern"] = TEXT_PATTERN
        for value in node.values():
            _plain_text_strings(value)
    elif isinstance(node, list):
        for value in node:
            _plain_text_strings(value)


def _empty_filter_means_any(paths: dict) -> None:
    """A query filter left empty (`?stage=`, as an HTML form sends it) filters nothing: say so."""
    for operations in paths.values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query":
                    continue
                if "enum" in schema and "" not in schema["enum"]:
                    schema["enum"] = [*schema["enum"], ""]
                schema.pop("minLength", None)


def _role_shapes_any_of(schemas: dict) -> None:
    """A role's shape is a superset of another's (a manager sees the invitation token too), so a body
    matches both: `anyOf`, not drf-spectacular's `oneOf`, which requires exactly one."""
    for component in schemas.values():
        if "oneOf" in component and "discriminator" not in component:
            component["anyOf"] = component.pop("oneOf")


def _error_body(code: str, answer: dict) -> None:
    """An error answer without a body gets ours; a 400 with a body of its own (an import's plan with
    its row errors) may still be field errors from the input serializer, so it is either."""
    component = _DESCRIPTIONS.get(code, ("", "ErrorDetail"))[1]
    ours = {"$ref": f"#/components/schemas/{component}"}
    content = answer.setdefault("content", {"application/json": {"schema": ours}})
    body = content.get("application/json")
    if body is not None and code == "400" and body.get("schema") != ours:
        body["schema"] = {"anyOf": [body["schema"], ours]}


def errors_document(result: dict, generator, request, public) -> dict:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", ERROR_DETAIL)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    _plain_text_strings(result.get("paths", {}))
    _empty_filter_means_any(result.get("paths", {}))
    _plain_text_strings(schemas)
    _role_shapes_any_of(schemas)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _codes_for(path, method, operation):
                responses.setdefault(code, {"description": _DESCRIPTIONS[code][0]})
            for code, answer in responses.items():
                if code.startswith("4"):
                    _error_body(code, answer)
    return result


PAGE = OpenApiParameter(
    "page",
    {"type": "string", "pattern": PAGE_PATTERN},
    description="A page number within the paginated result set (or `last`).",
)


def paginated(name: str, items) -> serializers.Serializer:
    """The page object of DRF's PageNumberPagination around `items` (a serializer with many=True)."""
    return inline_serializer(
        name=f"Paginated{name}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": items,
        },
    )


def either(name: str, *choices, many: bool = False) -> PolymorphicProxySerializer:
    """One of several shapes, by the caller's role (no type field tells them apart)."""
    return PolymorphicProxySerializer(
        component_name=name, serializers=list(choices), resource_type_field_name=None, many=many
    )


@extend_schema_field({"oneOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]})
class WebsiteField(serializers.CharField):
    """A firm's website as stored: a URL, or "" when the firm gave none."""

    def __init__(self, **kwargs):
        super().__init__(allow_blank=True, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$", "example": "09:30"})
class HourMinuteField(serializers.TimeField):
    """A time of day as "HH:MM" (mission-local), as organisers write and read it."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)
