"""The organiser's schedule editor: the grid page, its action panel, edits (drops and forms) and undo.

Every edit goes through events.services.schedule_editor, which calls the meeting services. The
same URLs answer a plain form (redirect back to the grid, the outcome as a message) and the
editor's script (`Accept: application/json`: the outcome and the redrawn cells as JSON), so the
page works without JavaScript and a drop is refused for exactly the reasons a form is.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from events import forms, publication, selectors
from events.enums import MissionAction
from events.models import Mission
from events.phase_guide import action_refusals
from events.schedule_grid import GridFilters, ScheduleGrid, schedule_grid, zone_choices
from events.schedule_precheck import schedule_precheck
from events.services.schedule_editor import ScheduleEdit, schedule_edit, schedule_undo
from events.views import _managed

GRID_ACTIONS = (MissionAction.ADD_MEETING, MissionAction.COMPUTE_SCHEDULE, MissionAction.EDIT_SCHEDULE,
                MissionAction.PUBLISH)  # fmt: skip
EDIT_FORMS = {
    "move": forms.MoveForm, "swap": forms.SwapForm, "unplace": forms.MeetingActionForm,
    "pin": forms.PinForm, "unpin": forms.MeetingActionForm, "restrict": forms.RestrictForm,
}  # fmt: skip


def _filters(request: HttpRequest) -> tuple[GridFilters, forms.GridFilterForm]:
    """The filters of the query string; a bad value (shown by the form) is left out, the rest applies."""
    form = forms.GridFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    return GridFilters(firm=data.get("firm"), table=data.get("table"), day=data.get("day"), tz=data.get("tz")), form


def _query(filters: GridFilters) -> str:
    """The filters as a query string ending in "&" (or empty), for links and form actions that keep the view."""
    pairs = {"firm": filters.firm, "table": filters.table, "day": filters.day, "tz": filters.tz}
    query = urlencode({k: v for k, v in pairs.items() if v is not None})
    return f"{query}&" if query else ""


def _grid(request: HttpRequest, mission: Mission) -> tuple[ScheduleGrid, forms.GridFilterForm]:
    filters, form = _filters(request)
    return schedule_grid(mission=mission, filters=filters, japanese=get_language() == "ja"), form


def _undo_key(mission: Mission) -> str:
    return f"schedule-undo-{mission.pk}"


def _editor_context(request: HttpRequest, mission: Mission, grid: ScheduleGrid) -> dict[str, Any]:
    """What the grid's partials need (the page and the redrawn pieces alike)."""
    refusals = action_refusals(mission, GRID_ACTIONS)
    return {"mission": mission, "grid": grid, "query": _query(grid.filters), "refusals": refusals,
            "editable": not (refusals[MissionAction.EDIT_SCHEDULE] or mission.scheduling_locked),
            "undo": request.session.get(_undo_key(mission))}  # fmt: skip


@login_required
def schedule_grid_page(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    grid, filter_form = _grid(request, mission)
    context = _editor_context(request, mission, grid)
    selected = grid.meetings.get(filter_form.cleaned_data.get("meeting") or 0)
    if selected is not None:
        context.update(selected=selected, panel={
            "where": grid.placement_label(selected), "swap_choices": grid.swap_choices(selected),
            "restrict_form": forms.RestrictForm(mission=mission, auto_id="panel-%s"),
        })  # fmt: skip
    if request.headers.get("X-Schedule-Panel"):  # the editor's script asks for the action panel only
        if selected is None:
            raise Http404
        response = render(request, "events/_grid_panel.html", context)
        patch_vary_headers(response, ["X-Schedule-Panel"])  # the same URL is also the whole page
        return response
    run = selectors.schedule_run_latest(mission)
    # The pre-check only where a computation can be started: it is read before pressing Compute.
    precheck = [] if context["refusals"][MissionAction.COMPUTE_SCHEDULE] else schedule_precheck(mission=mission)
    return render(request, "events/schedule_grid.html", {
        "precheck": precheck, "precheck_blocks": any(row.is_blocking for row in precheck),
        **context, "filter_form": filter_form, "zones": zone_choices(),
        "versions": mission.versions.all()[:5], "changes": mission.schedule_changes.select_related("meeting")[:20],
        "run": run, "left_out": selectors.schedule_run_unscheduled(run), "run_error": selectors.run_error_text(run),
        "run_form": forms.ScheduleRunForm(), "import_form": forms.SolutionImportForm(),
        "draft_summary": publication.schedule_pending(mission).draft_summary,
    })  # fmt: skip


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _back(request: HttpRequest, mission: Mission) -> HttpResponse:
    filters, _form = _filters(request)
    return redirect(reverse("events:schedule", args=[mission.pk]) + "?" + _query(filters).rstrip("&"))


def _refusal(request: HttpRequest, mission: Mission, reasons: list[str], status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": " ".join(reasons)}, status=status)
    for reason in reasons:
        messages.error(request, reason)
    return _back(request, mission)


def _done(request: HttpRequest, mission: Mission, edit: ScheduleEdit, *, undone: bool = False) -> HttpResponse:
    """Keep the inverse for Undo (one level: an undo leaves nothing to undo); answer the script with
    the redrawn cells, a form with a redirect."""
    if undone:
        request.session.pop(_undo_key(mission), None)
    else:
        request.session[_undo_key(mission)] = {"undo": edit.undo, "message": edit.message}
    if not _wants_json(request):
        messages.success(request, edit.message)
        return _back(request, mission)
    grid, _form = _grid(request, mission)
    context = _editor_context(request, mission, grid)
    cells = {key: render_to_string("events/_grid_cell.html", {**context, "cell": grid.cells[key]}, request).strip()
             for key in edit.cells if key in grid.cells}  # fmt: skip
    return JsonResponse({
        "ok": True, "message": edit.message, "cells": cells,
        "unplaced": render_to_string("events/_grid_unplaced.html", context, request) if edit.unplaced_changed else "",
        "undo": render_to_string("events/_grid_undo.html", context, request).strip(),
        "placed": grid.placed_count,
    })  # fmt: skip


@login_required
@require_POST
def schedule_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Move, swap, unplace, pin, unpin or restrict (a drop or a panel form); a refusal comes back as
    the service's reason. Cancelling asks for a reason first: schedule_meeting_cancel."""
    mission = _managed(request, pk)
    if action not in EDIT_FORMS:
        raise Http404
    form = EDIT_FORMS[action](request.POST, mission=mission)
    if not form.is_valid():
        return _refusal(request, mission, [e for errors in form.errors.values() for e in errors], status=400)
    try:
        edit = schedule_edit(action=action, data=form.cleaned_data, user=request.user)
    except ValidationError as exc:
        return _refusal(request, mission, exc.messages, status=409)
    return _done(request, mission, edit)


@login_required
@require_POST
def schedule_undo_last(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the last change made from this session's grid (itself checked by the services)."""
    mission = _managed(request, pk)
    kept = request.session.get(_undo_key(mission)) or {}
    try:
        edit = schedule_undo(mission=mission, user=request.user, undo=kept.get("undo"))
    except ValidationError as exc:
        return _refusal(request, mission, exc.messages, status=409)
    return _done(request, mission, edit, undone=True)
