"""Which delegates of a firm are present when: the firm's own page and the organisers' page for a firm.

Both show the same table (a row per slot, by day and session in the mission's time zone, a box per
delegate) and save through events.services.delegate_availability_set, which refuses a firm's
change that leaves placed meetings without a delegate and tells organisers what is now in conflict.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from config.web import flash_errors, posted
from events import forms, services
from events.enums import MissionAction
from events.models import Participation
from events.phase_guide import action_refusal
from events.selectors import mission_can_manage
from events.selectors_availability import delegate_availability
from events.views import _managed, _mine


@login_required
def my_availability(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _mine(request, pk)
    return _page(request, participation, back="events:my_availability", manager=False)


@login_required
def participant_availability(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    participation = get_object_or_404(Participation.objects.select_related("company"), pk=participation_pk,
                                      mission=mission)  # fmt: skip
    return _page(request, participation, back="events:participant_availability", manager=True)


def _page(request: HttpRequest, participation: Participation, *, back: str, manager: bool) -> HttpResponse:
    mission = participation.mission
    # An empty POST is a valid answer (every box unticked), so bind on the method, not on the data.
    data = posted(request)
    form = forms.DelegateAvailabilityForm(data, participation=participation)
    if request.method == "POST" and form.is_valid():
        try:
            conflicts = services.delegate_availability_set(
                participation=participation, user=request.user, unavailable=form.cleaned_data["unavailable"]
            )
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Availability of the delegates saved."))
            if conflicts:
                messages.warning(request, _("These meetings now have too few delegates present; move them:"))
                for conflict in conflicts:
                    messages.warning(request, conflict.describe(participation))
            args = [mission.pk] + ([participation.pk] if manager else [])
            return redirect(back, *args)
    refusal = "" if mission_can_manage(user=request.user, mission=mission) else action_refusal(
        mission, MissionAction.EDIT_PARTICIPATION)  # fmt: skip
    return render(request, "events/delegate_availability.html", {
        "mission": mission, "participation": participation, "table": delegate_availability(participation),
        "refusal": refusal, "manager": manager, "form": form,
    })  # fmt: skip
