"""Text that people type: no control characters and no bidirectional overrides, in any field.

Control characters (NUL, ESC, ...) break exports, terminals and e-mail headers; bidirectional
override and isolate characters (U+202A–U+202E, U+2066–U+2069) make a text display in another
order than it is stored ("Trojan Source"), so a firm name or a message could read differently to
the organiser than to the database. Tabs and line breaks stay allowed in multi-line text.

`install()` (from config.apps) adds `text_validate` to the default validators of every Django
form CharField and every DRF CharField (their subclasses included: e-mail, URL, slug...), so
each page and API field refuses them with a field-level error. Imports call `text_refusal`
through companies.validation. Names also need a visible character (`name_refusal`).
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Embeddings, overrides, isolates and the directional marks that hide between letters.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_INVISIBLE_CATEGORIES = {"Zs", "Cc", "Cf", "Zl", "Zp", "Mn", "Me"}

CONTROL_MESSAGE = _("Remove the control characters from this text (it holds invisible codes such as NUL or ESC).")
BIDI_MESSAGE = _(
    "Remove the text-direction characters from this text: they make it display in another order than it is written."
)
NAME_MESSAGE = _("A name needs at least one visible letter, digit or sign.")


def text_refusal(value: str) -> str | None:
    """Why this text is refused, or None when it is fine."""
    if _CONTROL.search(value):
        return str(CONTROL_MESSAGE)
    if _BIDI.search(value):
        return str(BIDI_MESSAGE)
    return None


def name_refusal(value: str) -> str | None:
    """As text_refusal, and a non-empty name must show at least one visible character."""
    refusal = text_refusal(value)
    if refusal or not value:
        return refusal
    if all(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in value):
        return str(NAME_MESSAGE)
    return None


def text_validate(value: object) -> None:
    """A validator for form and serializer fields; values that are not text (JSON, UUID) pass."""
    if isinstance(value, str) and (refusal := text_refusal(value)):
        raise ValidationError(refusal, code="invalid_characters")


def name_validate(value: object) -> None:
    if isinstance(value, str) and (refusal := name_refusal(value)):
        raise ValidationError(refusal, code="invalid_name")


def install() -> None:
    """Make text_validate a default validator of every form and API text field, and make API text
    fields take only JSON strings (DRF turns 0 into "0", which the schema's `string` denies). Once."""
    from django import forms
    from rest_framework import serializers

    # These patch the two libraries' classes once at start, which the stubs rightly flag in general:
    # DRF's fields are generic in their value type, and a method is not meant to be reassigned.
    for field_class in (forms.CharField, serializers.CharField):
        if text_validate not in field_class.default_validators:  # type: ignore[misc]
            field_class.default_validators = [*field_class.default_validators, text_validate]  # type: ignore[misc]
    if not getattr(serializers.CharField.to_internal_value, "strict_text", False):
        serializers.CharField.to_internal_value = _strings_only(  # type: ignore[method-assign]
            serializers.CharField.to_internal_value
        )


def _strings_only(to_internal_value):
    def strict(field, data):
        if not isinstance(data, str):
            field.fail("invalid")
        return to_internal_value(field, data)

    strict.strict_text = True  # type: ignore[attr-defined]
    return strict
