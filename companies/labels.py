"""Vocabulary labels in the active language: the one place that picks English or Japanese.

companies.vocabulary holds (English, Japanese) pairs and knows nothing of Django; everything that
shows a code to a person (model choices, forms, views, templates through the `vocab_label`
filter) asks `label(kind, code)` at the moment it renders, so each request gets its language.
"""

from functools import cache

from django.utils.functional import lazy
from django.utils.translation import get_language

from companies import vocabulary as vocab

VOCABULARIES: dict[str, dict[str, tuple[str, str]]] = {
    "country": vocab.MEMBER_COUNTRIES,
    "sector": vocab.SECTORS,
    "stage": vocab.STAGES,
    "partnership_type": vocab.PARTNERSHIP_TYPES,
    "material": vocab.MATERIALS,
    "size_band": vocab.SIZE_BANDS,
    "language": vocab.LANGUAGES,
}


def is_japanese() -> bool:
    return (get_language() or "").startswith("ja")


def label(kind: str, code: str) -> str:
    """The label of `code` in the active language; a code the vocabulary does not know shows as is."""
    pair = VOCABULARIES[kind].get(code)
    if pair is None:
        return code
    return pair[1] if is_japanese() else pair[0]


label_lazy = lazy(label, str)


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, label) in the vocabulary's order; countries in the order of their labels."""
    pairs = [(code, label(kind, code)) for code in VOCABULARIES[kind]]
    return sorted(pairs, key=lambda pair: pair[1]) if kind == "country" else pairs


def stage_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Stages grouped under their sector's label."""
    return [
        (label("sector", sector),
         [(code, label("stage", code)) for code in vocab.STAGES if vocab.sector_of_stage(code) == sector])
        for sector in vocab.SECTORS
    ]  # fmt: skip


def lazy_choices(kind: str) -> list[tuple[str, str]]:
    """Choices for a model field: labels resolved when shown (get_FOO_display, the admin)."""
    return [(code, label_lazy(kind, code)) for code in VOCABULARIES[kind]]


def country_name(code: str) -> str:
    """The name of any ISO 3166 country (supply sources too) in the active language; the code if unknown.

    Member states and Japan by the vocabulary's labels; other countries by the CLDR names of Babel."""
    if code in vocab.MEMBER_COUNTRIES:
        return label("country", code)
    return _territories("ja" if is_japanese() else "en").get(code, code)


@cache
def _territories(language: str) -> dict[str, str]:
    from babel import Locale  # loaded on first use: pages that show no country do not pay for it

    return dict(Locale(language).territories)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) of every ISO 3166 country, by name in the active language (supply sources)."""
    return sorted(((code, country_name(code)) for code in vocab.ISO_COUNTRY_CODES), key=lambda pair: pair[1])
