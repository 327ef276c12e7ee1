from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.defaults import page_not_found

from accounts.permissions import is_admin
from companies.forms import contacts_help_text
from config.health import broker_state, cache_state, database_state


def home(request):
    # The privacy promise is the contact rule itself (companies.selectors.CONTACT_READERS), in words.
    return render(request, "home.html", {"contacts_rule": contacts_help_text()})


@cache_control(max_age=86400)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static PNG."""
    return redirect(static("img/favicon-32.png"), permanent=True)


def healthz(request):
    """Liveness of the database, the broker and the cache: 200 when all answer, 503 otherwise.

    The public sees only ok/failing per component; the reason (which names hosts and ports) goes
    to the server log, and staff users also get it in the answer under "details"."""
    probes = {"database": database_state(connection), "broker": broker_state(), "cache": cache_state()}
    healthy = all(probe.ok for probe in probes.values())
    body: dict = {"status": "ok" if healthy else "failing"}
    body.update({name: "ok" if probe.ok else "failing" for name, probe in probes.items()})
    if is_admin(request.user):
        body["details"] = {name: probe.detail for name, probe in probes.items()}
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def not_found(request, exception=None):
    """API clients get JSON for a path no route matches (an id that is not a number, say), like DRF's
    own 404s; people get the site's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
