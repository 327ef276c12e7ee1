"""Pages of a mission's phases: the timeline with planned dates, and moving to another phase after a
confirmation that says what the move does."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.web import flash_errors, form_errors
from events import forms, phases, services
from events.phase_guide import phase_label, phase_move_effects, phase_timeline
from events.views import _managed


@login_required
def mission_phase(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    plan_form = forms.PhasePlanForm(initial=forms.PhasePlanForm.initial_for(mission))
    return _phase_page(request, mission, plan_form)


def _phase_page(request: HttpRequest, mission, plan_form: forms.PhasePlanForm) -> HttpResponse:
    published = mission.versions.exists()
    return render(request, "events/mission_phase.html", {
        "mission": mission, "manager": True, "timeline": phase_timeline(mission), "plan_form": plan_form,
        "moves": [(p, phase_label(p)) for p in phases.moves(mission.phase, published=published)
                  if p != phases.ENTERED_BY_PUBLISHING],
        "publish_enters": phases.ENTERED_BY_PUBLISHING in phases.moves(mission.phase, published=published),
    })  # fmt: skip


@login_required
def phase_move(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what moving to `to` does, with a Confirm button; POST: move."""
    mission = _managed(request, pk)
    if request.method == "POST":
        form = forms.PhaseMoveForm(request.POST)
        if not form.is_valid():
            raise Http404(_("Unknown phase."))
        try:
            mission = services.phase_move(
                mission=mission, user=request.user, to=form.cleaned_data["to"], expected=form.cleaned_data["expected"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
            return redirect("events:phase", pk=mission.pk)
        phase = mission.get_phase_display()
        messages.success(request, _("The mission is now in the “%(phase)s” phase.") % {"phase": phase})
        return redirect("events:detail", pk=mission.pk)
    to = request.GET.get("to", "")
    if to not in phases.moves(mission.phase, published=mission.versions.exists()) or to == phases.ENTERED_BY_PUBLISHING:
        messages.error(request, _("This mission cannot move to that phase now."))
        return redirect("events:phase", pk=mission.pk)
    return render(request, "events/phase_move_confirm.html", {
        "mission": mission, "manager": True, "to": to, "to_label": phase_label(to),
        "effects": phase_move_effects(mission, to),
        "form": forms.PhaseMoveForm(initial={"to": to, "expected": mission.phase}),
    })  # fmt: skip


@login_required
@require_POST
def phase_plan(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    form = forms.PhasePlanForm(request.POST)
    if form.is_valid():
        try:
            services.phase_plan_set(mission=mission, user=request.user, plans=form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Planned dates saved; firms see them on the mission page."))
            return redirect("events:phase", pk=mission.pk)
    return _phase_page(request, mission, form)
