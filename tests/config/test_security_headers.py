"""The security headers, and a guard that keeps our pages free of inline script and style.

Every main page is rendered from the demo data (seed_demo: companies, a mission with approved
suggestions, requests and a published schedule) as the user who sees it, so that a future template
with a `<script>` block, a `<style>` tag or a `style=`/`onclick=` attribute fails here instead of
being silently blocked by the browser's Content-Security-Policy."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from events.models import Mission, Participation

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
RELAXED = STRICT.replace("style-src 'self';", "style-src 'self' 'unsafe-inline';")
PERMISSIONS = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), "
    "display-capture=(), encrypted-media=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), "
    "usb=(), xr-spatial-tracking=()"
)

# An executable script element: `<script>` with no src (a type="application/json" data block is not
# run, so CSP allows it); a <style> element; a style attribute; an inline event handler.
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"=\s*[\"']?\s*javascript:", re.I),
}


def inline_code(html: str) -> dict[str, list[str]]:
    return {name: pattern.findall(html) for name, pattern in INLINE.items() if pattern.findall(html)}


def test_inline_code_pattern_catches_what_csp_blocks():
    html = (
        '<script src="/static/js/site.js"></script><script type="application/json" id="x">{}</script>'
        '<p style="color:red" onclick="go()"><script>alert(1)</script><style>p{}</style>'
        '<a href="javascript:void(0)">x</a>'
    )
    assert inline_code(html) == {
        "inline script": ["<script>"],
        "style element": ["<style"],
        "style attribute": ["<p style="],
        "event handler": ['<p style="color:red" onclick='],
        "javascript: URL": ['="javascript:'],
    }
    assert inline_code('<input data-style="x" class="onload"><a title="style=x">') == {}


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo refuses to run with DEBUG off
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    mission = Mission.objects.get()
    member = User.objects.get(email="member@demo.kizuna")
    participation = Participation.objects.get(mission=mission, company__memberships__user=member)
    return {
        "mission": mission,
        "participation": participation,
        "anonymous": None,
        "member": member,
        "organiser": User.objects.get(email="organiser@demo.kizuna"),
        "admin": User.objects.get(email="admin@demo.kizuna"),
    }


def _pages(demo) -> list[tuple[str, str]]:
    m, p = demo["mission"].pk, demo["participation"]
    return [
        ("anonymous", "/"),
        ("anonymous", "/accounts/login/"),
        ("anonymous", "/accounts/signup/"),
        ("member", "/"),
        ("member", "/companies/"),
        ("member", f"/companies/{p.company.pk}/"),
        ("member", "/companies/me/"),
        ("member", "/missions/"),
        ("member", f"/missions/{m}/"),
        ("member", f"/missions/{m}/me/"),
        ("member", f"/missions/{m}/me/agenda/"),
        ("member", f"/missions/{m}/me/requests/"),
        ("member", f"/missions/{m}/me/requests/new/"),
        ("member", "/matches/mine/"),
        ("member", "/accounts/notifications/"),
        ("member", "/accounts/settings/"),
        ("organiser", f"/missions/{m}/"),
        ("organiser", f"/missions/{m}/phase/"),
        ("organiser", f"/missions/{m}/phase/move/?to=scheduling"),
        ("organiser", f"/missions/{m}/organisers/"),
        ("organiser", f"/missions/{m}/participants/add/?q=lithium"),
        ("organiser", f"/missions/{m}/suggestions/convert/"),
        ("organiser", f"/missions/{m}/schedule/publish/"),
        ("organiser", f"/missions/{m}/edit/"),
        ("organiser", f"/missions/{m}/slots/"),
        ("organiser", f"/missions/{m}/participants/"),
        ("organiser", f"/missions/{m}/requests/"),
        ("organiser", f"/missions/{m}/schedule/"),
        ("organiser", f"/missions/{m}/agendas/{p.pk}/"),
        ("admin", "/companies/moderation/"),
        ("admin", "/matches/runs/"),
        ("admin", "/matches/review/"),
    ]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_main_pages_carry_the_headers_and_no_inline_code(demo, language):
    clients = {}
    for role in ("anonymous", "member", "organiser", "admin"):
        clients[role] = Client(headers={"accept-language": language})
        if demo[role] is not None:
            clients[role].force_login(demo[role])

    seen, problems = [], {}
    for role, path in _pages(demo):
        response = clients[role].get(path)
        seen.append((role, path, response.status_code))
        headers = (response.get("Content-Security-Policy"), response.get("Permissions-Policy"))
        found = inline_code(response.content.decode())
        if headers != (STRICT, PERMISSIONS) or found:
            problems[f"{role} {path}"] = {"headers": headers, "inline": found}

    assert [(role, path) for role, path, status in seen if status != 200] == []
    assert problems == {}


def test_api_docs_page_runs_under_the_strict_policy(db):
    page = Client().get("/api/docs/")
    script = Client().get("/api/docs/?script=")

    # Its start-up script is a file (SpectacularSwaggerSplitView), its page style too (our template).
    assert page["Content-Security-Policy"] == STRICT
    assert inline_code(page.content.decode()) == {}
    assert '<script src="/api/docs/?script="></script>' in page.content.decode()
    assert '<link rel="stylesheet" href="/static/css/swagger-page.css">' in page.content.decode()
    assert (script.status_code, script["Content-Type"]) == (200, "application/javascript")


def test_browsable_api_allows_inline_style_only(member_a):
    client = Client()
    client.force_login(member_a)
    response = client.get("/api/v1/companies/", headers={"accept": "text/html"})
    html = response.content.decode()
    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
    assert response["Content-Security-Policy"] == RELAXED
    # DRF's page: style attributes and a <style> for syntax colours (allowed here); its CSRF token
    # sits in a JSON data block, which is not run.
    assert set(inline_code(html)) == {"style attribute", "style element"}


def test_json_api_and_healthz_get_the_strict_policy_too(db):
    assert Client().get("/healthz")["Content-Security-Policy"] == STRICT
    assert Client().get("/accounts/login/")["Permissions-Policy"] == PERMISSIONS


def test_a_view_that_sets_its_own_policy_keeps_it(rf):
    from django.http import HttpResponse

    from config.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse()
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert (response["Content-Security-Policy"], response["Permissions-Policy"]) == ("default-src 'none'", PERMISSIONS)
