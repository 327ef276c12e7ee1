"""Organiser pages for computing a schedule, and for exporting / importing it as JSON."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import forms, selectors, services
from events.enums import RunStatus
from events.models import ScheduleRun
from events.schedule_problem import mission_schedule_problem
from events.views import _managed, _refused


@login_required
@require_POST
def schedule_run_start(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    form = forms.ScheduleRunForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return redirect("events:schedule", pk=mission.pk)
    try:
        run = services.schedule_run_start(mission=mission, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        _started(request, run, _("The schedule is being computed."))
    return redirect("events:schedule", pk=mission.pk)


def _started(request: HttpRequest, run: ScheduleRun, message: str) -> None:
    """Its task was enqueued when the service's transaction committed; if the queue could not be
    reached, the run failed at once and the organiser reads why instead of waiting."""
    if run.status == RunStatus.FAILED:
        messages.error(request, selectors.run_error_text(run))
    else:
        messages.success(request, message)


@login_required
@require_POST
def schedule_run_retry(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Queue a failed computation again; a second click finds it queued and changes nothing."""
    mission = _managed(request, pk)
    run = get_object_or_404(ScheduleRun, pk=run_id, mission=mission)
    try:
        run = services.schedule_run_retry(run=run, user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        _started(request, run, _("The schedule is being computed again."))
    return redirect("events:schedule", pk=mission.pk)


@login_required
def schedule_problem_download(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    response = JsonResponse(mission_schedule_problem(mission=mission).problem, json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="mission-{mission.pk}-problem.json"'
    return response


@login_required
@require_POST
def schedule_solution_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a solution computed elsewhere (e.g. `manage.py schedule_problem` on the exported problem)."""
    mission = _managed(request, pk)
    form = forms.SolutionImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a solution file."))
        return redirect("events:schedule", pk=mission.pk)
    try:
        solution = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
        saved = services.schedule_solution_import(mission=mission, solution=solution, user=request.user)
    except (UnicodeDecodeError, json.JSONDecodeError):
        messages.error(request, _("The file is not UTF-8 JSON."))
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Schedule imported: %(n)d meetings placed.") % {"n": len(saved["meetings"])})
    return redirect("events:schedule", pk=mission.pk)
