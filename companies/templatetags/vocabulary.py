"""`{{ company.country|vocab_label:"country" }}`: a vocabulary code's label in the active language."""

from django import template

from companies.labels import label

register = template.Library()


@register.filter
def vocab_label(code: str, kind: str) -> str:
    return label(kind, code)
