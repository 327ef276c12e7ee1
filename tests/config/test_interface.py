"""Rules of the interface (docs/interface.md), checked on the template sources and a few renders.

- Templates keep rules out: no template compares a value with a string literal (`status == "draft"`);
  a model property or selector answers (`company.can_submit`, `run.is_active`).
- Every page extends base.html (or an admin/Swagger base) and carries no inline style or script.
- One date and time format per language, and country names instead of ISO codes.
"""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from tests.config.test_security_headers import INLINE

TEMPLATES = Path(settings.BASE_DIR) / "templates"
COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
CONDITION = re.compile(r"{%-?\s*(?:if|elif)\b(.*?)%}", re.S)
LITERAL_COMPARISON = re.compile(r"""(?:==|!=)\s*["']|["']\s*(?:==|!=)""")
# Pages that belong to another frame: the admin's and drf-spectacular's Swagger page.
FOREIGN_BASES = re.compile(r'{%\s*extends\s+"(?:admin|drf_spectacular)/')
EXTENDS_BASE = re.compile(r'^{%\s*extends\s+"base\.html"\s*%}')


def html_templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def source(path: Path) -> str:
    return COMMENTS.sub("", path.read_text(encoding="utf-8"))


def literal_comparisons(text: str) -> list[str]:
    return [tag.strip() for tag in CONDITION.findall(text) if LITERAL_COMPARISON.search(tag)]


def test_literal_comparison_detector_finds_status_strings():
    text = '{% if company.status == "draft" %}a{% elif "x" != run.state %}b{% elif run.is_active %}c{% endif %}'
    assert literal_comparisons(text) == ['company.status == "draft"', '"x" != run.state']


def test_templates_compare_no_string_literals():
    found = {str(path.relative_to(TEMPLATES)): literal_comparisons(source(path)) for path in html_templates()}
    found = {name: tags for name, tags in found.items() if tags}
    assert found == {}


def is_page(path: Path) -> bool:
    """A template that renders a whole page: not a partial (`_name.html`), not base.html, not an e-mail."""
    return not path.name.startswith("_") and path.name != "base.html" and "email" not in path.parts


def test_every_page_extends_base():
    strays = [
        str(path.relative_to(TEMPLATES))
        for path in html_templates()
        if is_page(path) and not EXTENDS_BASE.match(source(path)) and not FOREIGN_BASES.search(source(path))
    ]
    assert strays == []


def test_templates_have_no_inline_style_or_script():
    found = {
        f"{path.relative_to(TEMPLATES)}: {kind}"
        for path in html_templates()
        for kind, pattern in INLINE.items()
        if pattern.search(source(path))
    }
    assert found == set()


def render(text: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(text).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "3 Dec 2026 · 3 Dec 2026 · 20:37 · 3 Dec 2026, 20:37"),
        ("ja", "2026年12月3日 · 2026年12月3日 · 20:37 · 2026年12月3日 20:37"),
    ],
)
def test_date_formats_are_one_style_per_language(language, expected):
    moment = datetime(2026, 12, 3, 20, 37)
    text = '{{ m|date }} · {{ m|date:"SHORT_DATE_FORMAT" }} · {{ m|time }} · {{ m|date:"SHORT_DATETIME_FORMAT" }}'
    assert render(text, language, m=moment) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "China, South Korea, Germany"), ("ja", "中国, 韓国, ドイツ")]
)
def test_country_codes_show_as_names(language, expected):
    text = '{% load vocabulary %}{{ a|vocab_label:"world_country" }}, {{ b|vocab_label:"world_country" }}, '
    text += '{{ c|vocab_label:"country" }}'
    assert render(text, language, a="CN", b="KR", c="DE") == expected


def test_every_iso_code_has_both_names():
    from companies.countries import COUNTRY_NAMES
    from companies.vocabulary import ISO_COUNTRY_CODES

    assert set(COUNTRY_NAMES) == ISO_COUNTRY_CODES
    assert [code for code, (en, ja) in COUNTRY_NAMES.items() if not en or not ja or en == code] == []


def test_favicon_ico_redirects_to_the_png():
    response = Client().get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/img/favicon-32.png")


@pytest.mark.django_db
def test_header_has_a_labelled_language_switch_and_no_health_link():
    with translation.override("en"):  # the request activates Japanese; leave the thread as it was
        html = Client().get("/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<label for="site-language">言語</label>' in html
    assert re.findall(r'<option value="(\w+)" lang="\w+"(?: selected)?>([^<]*)</option>', html) == [
        ("en", "English"),
        ("ja", "日本語"),
    ]
    assert "healthz" not in html
