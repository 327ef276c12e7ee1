"""The organiser dashboard of a mission: figures as charts and tables, and the exports."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from events.dashboard import dashboard_panels, percent
from events.selectors_dashboard import mission_dashboard
from events.views import _managed


@login_required
@require_GET
def mission_dashboard_page(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    dashboard = mission_dashboard(mission=mission)
    return render(request, "events/dashboard.html", {
        "mission": mission, "manager": True, "dashboard": dashboard, "panels": dashboard_panels(dashboard),
        "acceptance": percent(dashboard.acceptance_rate),
    })  # fmt: skip
