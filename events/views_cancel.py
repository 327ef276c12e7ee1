"""Calling a meeting off: a confirmation page that says what happens and asks why, for the organisers
(both firms are told) and for either firm of the meeting (the other firm is told)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from config.web import form_errors, posted
from events import forms, selectors, services
from events.enums import MeetingStatus
from events.models import Meeting, Participation
from events.views import _managed, _mine


@login_required
def schedule_meeting_cancel(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """GET: what cancelling does (both firms are told, the slot frees) and a reason to give; POST: cancel."""
    mission = _managed(request, pk)
    meeting = get_object_or_404(selectors.meetings_of_mission(mission, include_cancelled=True), pk=meeting_pk)
    back = reverse("events:schedule", args=[mission.pk])
    return _meeting_cancel_page(
        request, meeting, back=back, other=None,
        cancel=lambda reason: services.meeting_cancel(meeting=meeting, user=request.user, reason=reason),
        done=_("Meeting cancelled; both firms are told."),
    )  # fmt: skip


def _own(meeting: Meeting, other: Participation | None) -> Participation | None:
    if other is None:
        return None
    return meeting.a if other.pk == meeting.b_id else meeting.b


def _meeting_cancel_page(
    request: HttpRequest, meeting: Meeting, *, back: str, other: Participation | None,
    cancel: Callable[[str], Meeting], done: str,
) -> HttpResponse:  # fmt: skip
    """The confirmation page both sides share; `other` is the firm told (None: the organisers cancel, both
    are told). A second POST (a double submit) finds the meeting cancelled: it says so and sends the user
    back, and no one is notified again."""
    if meeting.status == MeetingStatus.CANCELLED:
        messages.info(request, _("This meeting is already cancelled."))
        return redirect(back)
    # An empty POST is still a POST: it must show "reason required", not the blank page again.
    form = forms.MeetingCancelForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            cancel(form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(request, "events/meeting_cancel.html", {
        "mission": meeting.mission, "meeting": meeting, "form": form, "back": back, "other": other,
        "manager": other is None, "participation": _own(meeting, other),
    })  # fmt: skip


@login_required
def my_meeting_cancel(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """A firm calls off one of its meetings: GET explains and asks why, POST cancels and tells the other firm."""
    participation = _mine(request, pk)
    meeting = get_object_or_404(
        selectors.meetings_of_participation(participation, include_cancelled=True), pk=meeting_pk
    )
    back = reverse("events:my_requests", args=[pk])
    other = meeting.b if meeting.a_id == participation.pk else meeting.a
    if meeting.status != MeetingStatus.CANCELLED and not selectors.meeting_can_cancel(
        meeting=meeting, participation=participation
    ):
        messages.error(request, _("The organisers pinned this meeting; ask them to cancel it."))
        return redirect(back)
    return _meeting_cancel_page(
        request, meeting, back=back, other=other,
        cancel=lambda reason: services.meeting_cancel_by_firm(meeting=meeting, user=request.user, reason=reason),
        done=_("Meeting cancelled; %(firm)s is told.") % {"firm": other.company.name},
    )  # fmt: skip
