"""`{{ company.country|vocab_label:"country" }}`: a vocabulary code's label in the active language."""

from django import template

from companies import labels
from companies.labels import label

register = template.Library()


@register.filter
def vocab_label(code: str, kind: str) -> str:
    return label(kind, code)


@register.filter
def country_name(code: str) -> str:
    """`{{ dependency.source_country|country_name }}`: any ISO country by name, in the active language."""
    return labels.country_name(code)
