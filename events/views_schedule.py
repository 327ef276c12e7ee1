"""Organiser pages for computing a schedule, exporting / importing it as JSON, and publishing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.json_input import json_loads
from config.web import flash_errors
from events import forms, publication, selectors, services
from events.enums import RunStatus
from events.models import ScheduleRun
from events.schedule_problem import mission_schedule_problem
from events.views import _managed


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
        flash_errors(request, exc)
    else:
        _started(request, run, _("The schedule is being computed."))
    return redirect("events:schedule", pk=mission.pk)


@login_required
@require_GET
def schedule_run_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest computation's state, for htmx to swap in while it runs (the page itself without htmx)."""
    mission = _managed(request, pk)
    if not request.htmx:
        return redirect("events:schedule", pk=mission.pk)
    run = selectors.schedule_run_latest(mission)
    return render(request, "events/_schedule_run_status.html", {
        "mission": mission, "run": run, "left_out": selectors.schedule_run_unscheduled(run),
        "run_error": selectors.run_error_text(run), "ended_now": run is not None and not run.is_active,
    })  # fmt: skip


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
        flash_errors(request, exc)
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
        solution = json_loads(form.cleaned_data["file"].read().decode("utf-8"))
    except ValueError:  # not UTF-8, not JSON, or nested too deep (config.json_input)
        messages.error(request, _("The file is not UTF-8 JSON."))
        return redirect("events:schedule", pk=mission.pk)
    try:
        saved = services.schedule_solution_import(mission=mission, solution=solution, user=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("Schedule imported: %(n)d meetings placed.") % {"n": len(saved["meetings"])})
    return redirect("events:schedule", pk=mission.pk)


@login_required
def schedule_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what publishing would change and whom it tells. POST: publish what was reviewed; a second
    click publishes nothing new, a page older than the schedule is refused and shown again."""
    mission = _managed(request, pk)
    if request.method == "POST":
        form = forms.PublishForm(request.POST)
        if form.is_valid():
            try:
                result = services.schedule_publish(
                    mission=mission, user=request.user, fingerprint=form.cleaned_data["fingerprint"]
                )
            except ValidationError as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, _published_message(result))
                return redirect("events:schedule", pk=mission.pk)
        else:
            messages.error(request, _("Review the changes before publishing."))
        return redirect("events:publish", pk=mission.pk)
    pending = publication.schedule_pending(mission)
    return render(request, "events/schedule_publish.html", {
        "mission": mission, "pending": pending, "summary": publication.schedule_diff_summary(pending.diff),
        "form": forms.PublishForm(initial={"fingerprint": pending.fingerprint}),
        "moved": publication.change_rows(pending.diff.moved, mission.time_zone),
        "added": publication.change_rows(pending.diff.added, mission.time_zone),
        "removed": publication.change_rows(pending.diff.removed, mission.time_zone),
        "firms": publication.affected_firm_names(pending.diff),
    })  # fmt: skip


def _published_message(result: services.Publication) -> str:
    number = result.version.number
    if not result.created:
        return _("Nothing new to publish: version %(n)d is the current schedule.") % {"n": number}
    if number == 1:
        return _("Version 1 published; every participating firm is being e-mailed.")
    return _("Version %(n)d published; the %(firms)d firms affected are being e-mailed.") % {
        "n": number, "firms": len(result.diff.firm_ids),
    }  # fmt: skip
