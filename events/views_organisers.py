"""Pages where a mission's organisers say who takes part: its co-organisers, and firms enrolled from
the company directory. Each view validates a form and calls one service or selector."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from config.web import flash_errors, form_errors, page_of, posted
from events import forms, selectors, services
from events.enums import MissionAction
from events.phase_guide import action_refusal
from events.services import EnrolResult
from events.views import _managed

ENROL_PAGE_SIZE = 20


@login_required
def organiser_list(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    form = forms.OrganiserAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organiser, added = services.mission_organiser_add(
                mission=mission, user=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            name = organiser.full_name or organiser.email
            if added:
                messages.success(
                    request, _("%(name)s now organises this mission and has been notified.") % {"name": name}
                )
            else:
                messages.info(request, _("%(name)s organises this mission already.") % {"name": name})
            return redirect("events:organisers", pk=mission.pk)
    organisers = list(selectors.mission_organisers(mission))
    return render(request, "events/organisers.html", {
        "mission": mission, "manager": True, "form": form, "organisers": organisers,
        "removable": len(organisers) > 1,
    })  # fmt: skip


@login_required
@require_POST
def organiser_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """Removing someone else happens at once; removing oneself asks first (one loses the mission's pages)."""
    mission = _managed(request, pk)
    organiser = get_object_or_404(selectors.mission_organisers(mission), pk=user_pk)
    if organiser.pk == request.user.pk and request.POST.get("confirm") != "yes":
        return render(request, "events/organiser_remove_confirm.html", {"mission": mission, "manager": True})
    try:
        services.mission_organiser_remove(mission=mission, user=request.user, organiser=organiser)
    except ValidationError as exc:
        flash_errors(request, exc)
        return redirect("events:organisers", pk=mission.pk)
    messages.success(request, _("%(name)s no longer organises this mission.") % {
        "name": organiser.full_name or organiser.email
    })  # fmt: skip
    if not selectors.mission_can_manage(user=request.user, mission=mission):
        return redirect("events:list")
    return redirect("events:organisers", pk=mission.pk)


@login_required
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Search the directory, tick firms, enrol them; the search stays in the address after enrolling."""
    mission = _managed(request, pk)
    search = forms.EnrolSearchForm(request.GET)
    # Bound on every POST: a click with no firm ticked sends no field at all, and must say so.
    form = forms.EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.participations_enrol(
                mission=mission, user=request.user, companies=list(form.cleaned_data["companies"])
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            _enrolled_messages(request, result)
            return redirect(request.get_full_path())
    candidates = selectors.enrolment_candidates(mission=mission, **search.filters())
    page = page_of(request, candidates, ENROL_PAGE_SIZE)
    return render(request, "events/enrol.html", {
        "mission": mission, "manager": True, "search": search, "form": form, "page": page,
        "selected": set(request.POST.getlist("companies")),
        "can_enrol": selectors.mission_takes_enrolment(mission),
        "refusal": action_refusal(mission, MissionAction.ENROL),
    })  # fmt: skip


def _names(companies: list) -> str:
    return ", ".join(c.name for c in companies)


def _enrolled_messages(request: HttpRequest, result: EnrolResult) -> None:
    if result.enrolled:
        count = len(result.enrolled)
        messages.success(request, ngettext(
            "Enrolled %(count)d firm; its members are asked to complete their participation: %(names)s",
            "Enrolled %(count)d firms; their members are asked to complete their participation: %(names)s",
            count,
        ) % {"count": count, "names": _names(result.enrolled)})  # fmt: skip
    if result.already:
        messages.info(request, _("Already taking part, left as they were: %(names)s") % {
            "names": _names(result.already)
        })  # fmt: skip
    if result.unreachable:
        messages.warning(request, _(
            "Not notified (no member account on Kizuna yet; send them the invitation link or import their "
            "delegates): %(names)s"
        ) % {"names": _names(result.unreachable)})  # fmt: skip
