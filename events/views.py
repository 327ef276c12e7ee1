"""Pages for organisers (missions, slots, participants, requests, schedule grid) and firms
(join, participation, requests), and agendas for both. Each view validates a form and calls one
service or selector."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import is_organiser
from config.web import flash_errors, form_errors, role_required
from events import agenda, forms, publication, selectors, services
from events.enums import MissionAction, RequestStatus
from events.models import MeetingRequest, Mission, Participation
from events.permissions import require_mission_creator
from events.phase_guide import action_refusal, phase_guide
from matchmaking.selectors import suggestion_request_initial


def _mission(request: HttpRequest, pk: int) -> Mission:
    return get_object_or_404(selectors.missions_visible_to(request.user), pk=pk)


def _managed(request: HttpRequest, pk: int) -> Mission:
    mission = _mission(request, pk)
    if not selectors.mission_can_manage(user=request.user, mission=mission):
        raise PermissionDenied(_("Only the organisers of this mission can see this page."))
    return mission


def _mine(request: HttpRequest, pk: int) -> Participation:
    participation = selectors.participation_of(user=request.user, mission=_mission(request, pk))
    if participation is None:
        raise Http404(_("Your firm does not take part in this mission."))
    return participation


# Missions ----------------------------------------------------------------------------------------


@login_required
def mission_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/mission_list.html", {
        "managed": selectors.missions_with_dates(selectors.missions_managed_by(request.user)),
        "visible": selectors.missions_with_dates(selectors.missions_visible_to(request.user)),
        "can_create": is_organiser(request.user),
    })  # fmt: skip


@login_required
def mission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _mission(request, pk)
    manager = selectors.mission_can_manage(user=request.user, mission=mission)
    invitation_url = (
        request.build_absolute_uri(reverse("events:join", args=[mission.invitation_token])) if manager else ""
    )
    run = selectors.schedule_run_latest(mission) if manager else None
    return render(request, "events/mission_detail.html", {
        "mission": mission, "manager": manager, "invitation_url": invitation_url,
        "failed_run": run if run is not None and run.can_retry else None,
        "draft_summary": publication.schedule_pending(mission).draft_summary if manager else "",
        "participation": selectors.participation_of(user=request.user, mission=mission),
        "days": list(mission.days.values_list("date", flat=True)),
        "guide": (guide := phase_guide(mission=mission, user=request.user)), "timeline": guide.timeline,
    })  # fmt: skip


@role_required(require_mission_creator)
def mission_create(request: HttpRequest) -> HttpResponse:
    return _mission_form(request, forms.MissionForm(request.POST or None), mission=None)


@login_required
def mission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    form = forms.MissionForm(request.POST or None, initial=forms.MissionForm.initial_for(mission))
    return _mission_form(request, form, mission=mission)


def _mission_form(request: HttpRequest, form: forms.MissionForm, *, mission: Mission | None) -> HttpResponse:
    """Create (mission=None) or edit: the services' rules, then the warnings the organiser confirms."""
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        warnings = _mission_checked(form, mission=mission)
        if form.is_valid() and (not warnings or form.warnings_confirmed(warnings)):
            try:
                if mission is None:
                    mission = services.mission_create(user=request.user, data=form.service_data())
                    done = _("Mission created.")
                else:
                    services.mission_update(mission=mission, user=request.user, data=form.service_data())
                    done = _("Mission saved.")
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("events:detail", pk=mission.pk)
    return _mission_form_page(request, form, warnings, mission=mission)


def _mission_checked(form: forms.MissionForm, *, mission: Mission | None) -> list[str]:
    """The services' rules first (errors go on the form, which is then invalid); then the warnings
    of a setup that passes them."""
    try:
        services.mission_validate(form.service_data())
    except ValidationError as exc:
        form_errors(form, exc)
        return []
    return _mission_warnings(form, mission=mission)


def _mission_warnings(form: forms.MissionForm, *, mission: Mission | None) -> list[str]:
    """Warnings of the typed setup (events.mission_checks): holidays of Japan, of the zone's
    country and of the delegations' countries once firms take part."""
    countries = selectors.mission_delegation_countries(mission) if mission else []
    return form.warnings(today=timezone.localdate(), countries=countries, language=_language_code())


def _mission_form_page(
    request: HttpRequest, form: forms.MissionForm, warnings: list[str], *, mission: Mission | None
) -> HttpResponse:
    from events.mission_checks import zone_names

    context = {
        "form": form, "mission": mission, "warnings": warnings, "zones": zone_names(),
        "warnings_fingerprint": form.warnings_fingerprint(warnings) if warnings else "",
    }  # fmt: skip
    return render(request, "events/mission_form.html", context)


def _language_code() -> str:
    return (get_language() or "en").split("-")[0]


@login_required
def slot_list(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    groups = selectors.slots_grouped(mission, include_removed=True)
    return render(request, "events/slot_list.html", {"mission": mission, "groups": groups})


@login_required
@require_POST
def slot_toggle(request: HttpRequest, pk: int, slot_pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    slot = get_object_or_404(mission.slots, pk=slot_pk)
    try:
        services.slot_set_removed(slot=slot, user=request.user, removed=not slot.removed)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("events:slots", pk=mission.pk)


@login_required
def participant_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The mission's firms; the delegation list upload posts to its preview (events.views_import)."""
    mission = _managed(request, pk)
    participants = selectors.participations_of_mission(mission)
    return render(request, "events/participant_list.html", {
        "mission": mission, "participants": participants, "form": forms.DelegationImportForm(),
    })  # fmt: skip


@login_required
def request_overview(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    return render(request, "events/request_overview.html", {
        "mission": mission, "requests": selectors.requests_of_mission(mission),
    })  # fmt: skip


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    form = forms.MeetingCreateForm(request.POST or None, mission=mission)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_create(mission=mission, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("events:schedule", pk=mission.pk)
    return render(request, "events/meeting_form.html", {
        "mission": mission, "form": form, "refusal": action_refusal(mission, MissionAction.ADD_MEETING),
    })  # fmt: skip


# Firms -------------------------------------------------------------------------------------------


@login_required
def join(request: HttpRequest, token: str) -> HttpResponse:
    mission = get_object_or_404(Mission, invitation_token=token)
    if request.method == "POST":
        try:
            services.participation_join(mission=mission, user=request.user, token=token)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Your firm takes part in %(mission)s.") % {"mission": mission.title})
            return redirect("events:my_participation", pk=mission.pk)
    return render(request, "events/join.html", {
        "mission": mission, "token": token, "refusal": action_refusal(mission, MissionAction.JOIN),
        "participation": selectors.participation_of(user=request.user, mission=mission),
    })  # fmt: skip


@login_required
def my_participation(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _mine(request, pk)
    mission = participation.mission
    section = request.POST.get("section") if request.method == "POST" else None
    delegates = [{"id": d.pk, "name": d.name, "email": d.email, "role": d.role} for d in participation.delegates.all()]
    formset = forms.DelegateFormSet(request.POST if section == "delegates" else None, initial=delegates, prefix="d")
    limit_form = forms.MaxMeetingsForm(
        request.POST if section == "limit" else None, initial={"max_meetings": participation.max_meetings}
    )
    availability = forms.AvailabilityForm(
        request.POST if section == "availability" else None, mission=mission,
        initial={"slots": list(selectors.available_slot_ids(participation))},
    )  # fmt: skip
    saved = _save_participation(request, participation, section, formset, limit_form, availability)
    if saved:
        messages.success(request, _("Saved."))
        return redirect("events:my_participation", pk=mission.pk)
    return render(request, "events/my_participation.html", {
        "mission": mission, "participation": participation, "formset": formset, "limit_form": limit_form,
        "availability": availability, "available": selectors.available_slot_ids(participation),
        "groups": selectors.slots_grouped(mission), "limits": selectors.participation_limits(participation),
        "refusal": action_refusal(mission, MissionAction.EDIT_PARTICIPATION),
    })  # fmt: skip


def _save_participation(request, participation, section, formset, limit_form, availability) -> bool:
    user = request.user
    try:
        if section == "delegates" and formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            services.delegates_set(participation=participation, user=user, delegates=rows)
            return True
        if section == "limit" and limit_form.is_valid():
            services.participation_update(participation=participation, user=user, data=limit_form.cleaned_data)
            return True
        if section == "availability" and availability.is_valid():
            ids = {s.pk for s in availability.cleaned_data["slots"]}
            services.availability_set(participation=participation, user=user, available_slot_ids=ids)
            return True
    except ValidationError as exc:
        flash_errors(request, exc)
    return False


@login_required
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _mine(request, pk)
    mission = participation.mission
    initial = {"recipient": request.GET.get("to")} if request.GET.get("to", "").isdecimal() else {}
    initial |= suggestion_request_initial(
        participation=participation,
        suggestion_id=request.GET.get("suggestion", ""),
        language=(get_language() or "en").split("-")[0],
    )
    form = forms.MeetingRequestForm(request.POST or None, requester=participation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request_create(
                mission=mission, requester=participation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Request sent."))
            return redirect("events:my_requests", pk=mission.pk)
    others = form.fields["recipient"].queryset
    return render(request, "events/request_form.html", {
        "mission": mission, "form": form, "others": others, "limits": selectors.participation_limits(participation),
        "refusal": action_refusal(mission, MissionAction.SEND_REQUEST),
    })  # fmt: skip


@login_required
def my_requests(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _mine(request, pk)
    return render(request, "events/my_requests.html", {
        "mission": participation.mission, "participation": participation,
        "incoming": selectors.request_rows(participation, incoming=True),
        "outgoing": selectors.request_rows(participation, incoming=False),
        "meetings": selectors.meeting_rows(participation),
        "limits": selectors.participation_limits(participation), "accept_form": forms.AcceptForm(),
    })  # fmt: skip


REQUEST_ACTIONS = {
    "accept": lambda r, u, p: services.meeting_request_accept(request=r, user=u, priority=p),
    "decline": lambda r, u, p: services.meeting_request_decline(request=r, user=u),
    "withdraw": lambda r, u, p: services.meeting_request_withdraw(request=r, user=u),
}
REQUEST_ACTION_STATUS = {
    "accept": RequestStatus.ACCEPTED, "decline": RequestStatus.DECLINED, "withdraw": RequestStatus.WITHDRAWN,
}  # fmt: skip


def _request_done(action: str, *, again: bool) -> str:
    if again:  # a double submit: the services return the state as it is and notify no one
        return {
            "accept": _("You had already accepted this request."),
            "decline": _("You had already declined this request."),
            "withdraw": _("You had already withdrawn this request."),
        }[action]
    return {
        "accept": _("Request accepted: the meeting waits for a slot."),
        "decline": _("Request declined; the other firm is told."),
        "withdraw": _("Request withdrawn; the other firm is told."),
    }[action]


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, request_pk: int, action: str) -> HttpResponse:
    """Accept, decline (the recipient) or withdraw (the requester); the wrong side gets the service's 403."""
    participation = _mine(request, pk)
    if action not in REQUEST_ACTIONS:
        raise Http404
    meeting_request = get_object_or_404(selectors.requests_visible_to(request.user), pk=request_pk, mission_id=pk)
    again = meeting_request.status == REQUEST_ACTION_STATUS[action]
    form = forms.AcceptForm(request.POST)
    priority = form.cleaned_data["priority"] if form.is_valid() else "medium"
    try:
        REQUEST_ACTIONS[action](meeting_request, request.user, priority)
    except ValidationError as exc:
        if request.htmx:
            return _request_row_swap(request, participation, meeting_request, error=" ".join(exc.messages))
        flash_errors(request, exc)
    else:
        if request.htmx:
            return _request_row_swap(request, participation, meeting_request, done=_request_done(action, again=again))
        (messages.info if again else messages.success)(request, _request_done(action, again=again))
    return redirect("events:my_requests", pk=participation.mission_id)


def _request_row_swap(
    request: HttpRequest, participation: Participation, meeting_request: MeetingRequest, *, done: str = "",
    error: str = "",
) -> HttpResponse:  # fmt: skip
    """The answered request's row for htmx to swap in place, with the limits and meetings out of band
    (an accepted request adds a meeting). Status 200 even on a refusal: htmx swaps no 4xx."""
    incoming = meeting_request.recipient_id == participation.pk
    (row,) = selectors.request_rows(participation, incoming=incoming, pk=meeting_request.pk)
    return render(request, "events/_request_swap.html", {
        "mission": participation.mission, "row": row, "incoming": incoming, "done": done, "error": error,
        "meetings": selectors.meeting_rows(participation), "limits": selectors.participation_limits(participation),
        "accept_form": forms.AcceptForm(),
    })  # fmt: skip


# Agendas ------------------------------------------------------------------------------------------


def _viewer_tz(request: HttpRequest) -> tuple[str | None, str]:
    """The `tz` parameter, or None and the reason when it is not a time zone (pages then show the mission's)."""
    try:
        return agenda.viewer_zone_clean(request.GET.get("tz")), ""
    except ValidationError as exc:
        return None, " ".join(exc.messages)


def _outcome_forms(participation: Participation) -> list[tuple[selectors.OutcomeQuestion, forms.MeetingOutcomeForm]]:
    """One form per meeting the firm held, filled with its current answer."""
    return [
        (q, forms.MeetingOutcomeForm(
            initial={"outcome": q.outcome or None, "note": q.note}, auto_id=f"id_outcome_{q.meeting.pk}_%s"
        ))
        for q in selectors.meeting_outcome_questions(participation=participation)
    ]  # fmt: skip


def _agenda_page(request: HttpRequest, participation: Participation, *, manager: bool) -> HttpResponse:
    viewer_tz, tz_error = _viewer_tz(request)
    mission = participation.mission
    return render(request, "events/agenda.html", {
        "mission": mission, "participation": participation, "manager": manager, "tz_error": tz_error,
        "agenda": agenda.agenda_for(participation=participation, viewer_tz=viewer_tz),
        "tz_query": "?" + urlencode({"tz": viewer_tz}) if viewer_tz else "",
        "outcome_forms": [] if manager else _outcome_forms(participation),
    })  # fmt: skip


@login_required
@require_GET
def my_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _mine(request, pk)
    return _agenda_page(request, participation, manager=False)


@login_required
@require_POST
def meeting_outcome(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """A firm says how one of its meetings went (events.services.meeting_outcome_record)."""
    participation = _mine(request, pk)
    meeting = get_object_or_404(
        selectors.meetings_of_mission(participation.mission).filter(Q(a=participation) | Q(b=participation)),
        pk=meeting_pk,
    )
    form = forms.MeetingOutcomeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            services.meeting_outcome_record(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Thank you: your answer on this meeting is saved."))
    return redirect(reverse("events:my_agenda", args=[pk]) + f"#outcome-{meeting.pk}")


@login_required
@require_GET
def participant_agenda(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    mission = _managed(request, pk)
    participation = get_object_or_404(mission.participations.select_related("company", "mission"), pk=participation_pk)
    return _agenda_page(request, participation, manager=True)


def _agenda_of(request: HttpRequest, pk: int, participation_pk: int) -> Participation:
    """A participation whose agenda the user may download: 404 outside visible missions, 403 for others' firms."""
    mission = _mission(request, pk)
    participation = get_object_or_404(mission.participations.select_related("company", "mission"), pk=participation_pk)
    if not agenda.agenda_can_view(user=request.user, participation=participation):
        raise PermissionDenied(_("Only the firm's members and the mission's organisers can see this agenda."))
    return participation


def _download(content: bytes, content_type: str, participation: Participation, extension: str) -> HttpResponse:
    name = slugify(f"{participation.mission.title} {participation.company.name}") or "agenda"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{name}.{extension}")
    return response


@login_required
@require_GET
def agenda_pdf_download(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    participation = _agenda_of(request, pk, participation_pk)
    viewer_tz, _error = _viewer_tz(request)  # a file cannot carry the message: it falls back to the mission's zone
    from events.agenda_pdf import agenda_pdf  # reportlab loads only when a PDF is asked for

    content = agenda_pdf(agenda.agenda_for(participation=participation, viewer_tz=viewer_tz))
    return _download(content, "application/pdf", participation, "pdf")


@login_required
@require_GET
def agenda_ics_download(request: HttpRequest, pk: int, participation_pk: int) -> HttpResponse:
    participation = _agenda_of(request, pk, participation_pk)
    from events.agenda_ics import agenda_ics  # icalendar takes ~70 ms to import: only when asked for

    content = agenda_ics(agenda.agenda_for(participation=participation, viewer_tz=None), stamp=timezone.now())
    return _download(content, "text/calendar; charset=utf-8", participation, "ics")
