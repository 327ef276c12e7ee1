from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from config.health import broker_state, database_state


def home(request):
    return render(request, "home.html")


def healthz(request):
    """Liveness of the database and the broker: 200 when both answer, 503 otherwise."""
    checks = {"database": database_state(connection), "broker": broker_state()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
