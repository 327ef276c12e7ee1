"""The organiser dashboard of a mission: figures as charts and tables, and the exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from events import exports
from events.dashboard import dashboard_panels, percent
from events.models import Mission
from events.selectors_dashboard import mission_dashboard
from events.views import _managed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def mission_dashboard_page(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    dashboard = mission_dashboard(mission=mission)
    return render(request, "events/dashboard.html", {
        "mission": mission, "manager": True, "dashboard": dashboard, "panels": dashboard_panels(dashboard),
        "acceptance": percent(dashboard.acceptance_rate), "exports": EXPORTS,
    })  # fmt: skip


def _sheet(kind: str, fmt: str):
    def build(mission: Mission) -> tuple[bytes, str]:
        sheet = (exports.participants_sheet if kind == "participants" else exports.meetings_sheet)(mission=mission)
        if fmt == "csv":
            return exports.sheet_csv(sheet), "text/csv; charset=utf-8"
        return exports.sheet_xlsx(sheet), XLSX

    return build


def _agendas_pdf(mission: Mission) -> tuple[bytes, str]:
    from events.agenda_pdf import agendas_pdf  # reportlab loads only when a PDF is asked for

    return agendas_pdf(exports.mission_agendas(mission=mission), title=mission.title), "application/pdf"


def _agendas_ics(mission: Mission) -> tuple[bytes, str]:
    return exports.agendas_ics_zip(exports.mission_agendas(mission=mission), stamp=timezone.now()), "application/zip"


# The files of the dashboard, by the name in their address.
EXPORTS = {
    "participants.csv": _sheet("participants", "csv"),
    "participants.xlsx": _sheet("participants", "xlsx"),
    "meetings.csv": _sheet("meetings", "csv"),
    "meetings.xlsx": _sheet("meetings", "xlsx"),
    "agendas.pdf": _agendas_pdf,
    "agendas-ics.zip": _agendas_ics,
}


@login_required
@require_GET
def mission_export(request: HttpRequest, pk: int, filename: str) -> HttpResponse:
    mission = _managed(request, pk)
    build = EXPORTS.get(filename)
    if build is None:
        raise Http404("No such export.")
    content, content_type = build(mission)
    response = HttpResponse(content, content_type=content_type)
    name = f"{slugify(mission.title) or 'mission'}-{filename}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
