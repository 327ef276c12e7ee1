"""Meeting requests between participants: send, accept (creates the meeting), decline, withdraw.

The requester sends and withdraws; the recipient accepts or declines (events.selectors.request_can_*).
Each answer is idempotent: repeating it returns the current state and tells no one again.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import NotificationKind
from accounts.models import User
from events.enums import (
    PRIORITY_WEIGHT,
    ChangeKind,
    MeetingStatus,
    MissionAction,
    Priority,
    RequestSource,
    RequestStatus,
)
from events.models import Meeting, MeetingRequest, Mission, Participation
from events.selectors import (
    SENDING_ACTION,
    meeting_limit,
    meetings_count,
    participation_is_member,
    request_open_between,
    requests_sent_count,
)
from events.services.notify import request_notify
from events.services.phases import require_phase
from events.services.schedule import schedule_change_record


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _lock_parties(*parties: Participation) -> None:
    ids = sorted({p.pk for p in parties})
    list(Participation.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def meeting_request_create(
    *,
    mission: Mission,
    requester: Participation,
    recipient: Participation,
    message: str = "",
    priority: str = Priority.MEDIUM,
    source: str = RequestSource.PARTICIPANT,
    user: User | None = None,
) -> MeetingRequest:
    """Ask `recipient` for a meeting. Idempotent per pair: while a request between the two firms is
    pending or accepted (whoever sent it), that request is returned and nothing is created.

    `user=None` is a system call (an accepted match suggestion); a user must belong to the requester.
    Refused: outside the request phase, to oneself or another mission's firm, past the mission's
    limit of requests per firm, or when the two firms already have a meeting.
    """
    if user is not None and not participation_is_member(user=user, participation=requester):
        raise PermissionDenied(_("You can only send requests for your own firm."))
    if requester.pk == recipient.pk:
        raise _error("recipient", _("A firm cannot request a meeting with itself."))
    if mission.pk not in (requester.mission_id,) or recipient.mission_id != mission.pk:
        raise _error("recipient", _("Both firms must take part in this mission."))
    if priority not in Priority.values:
        raise _error("priority", _("Unknown priority."))
    existing = request_open_between(requester, recipient)
    if existing is not None and _meeting_called_off(existing):
        raise _error(
            "recipient",
            _("Your meeting with %(firm)s was cancelled; ask the organisers if you want to meet after all.")
            % {"firm": recipient.company.name},
        )
    if existing is not None:
        return existing
    require_phase(mission, SENDING_ACTION[source])
    _lock_parties(requester)
    if Meeting.objects.filter(
        Q(a=requester, b=recipient) | Q(a=recipient, b=requester), status=MeetingStatus.CONFIRMED
    ).exists():
        raise _error("recipient", _("You already have a meeting with %(firm)s.") % {"firm": recipient.company.name})
    limit = mission.max_requests_per_firm
    if limit is not None and requests_sent_count(requester) >= limit:
        raise _error("non_field_errors", _("You have sent all %(n)d requests this mission allows.") % {"n": limit})
    try:
        with transaction.atomic():
            request = MeetingRequest.objects.create(
                mission=mission, requester=requester, recipient=recipient, message=message,
                priority=priority, source=source, created_by=user,
            )  # fmt: skip
    except IntegrityError:  # the other firm asked at the same moment
        existing = request_open_between(requester, recipient)
        if existing is None:
            raise
        return existing
    request_notify(request=request, kind=NotificationKind.REQUEST_RECEIVED, to_recipient=True, message=message)
    return request


def _meeting_called_off(request: MeetingRequest) -> bool:
    """An accepted request whose meeting was cancelled stays accepted (one request per pair): it is not
    sent again, and returning it as if it were would pretend a new request went out."""
    return (
        request.status == RequestStatus.ACCEPTED
        and Meeting.objects.filter(request=request, status=MeetingStatus.CANCELLED).exists()
    )


def _lock_request(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(no_key=True, of=("self",))
        .select_related("mission", "requester__company", "recipient__company")
        .get(pk=request.pk)
    )


def _check_limit(party: Participation, mission: Mission, *, own: bool) -> None:
    limit = meeting_limit(party, mission)
    if limit is not None and meetings_count(party) >= limit:
        if own:
            raise _error("non_field_errors", _("You have reached your limit of %(n)d meetings.") % {"n": limit})
        raise _error(
            "non_field_errors",
            _("%(firm)s has reached its limit of %(n)d meetings.") % {"firm": party.company.name, "n": limit},
        )


def _status_error(request: MeetingRequest) -> ValidationError:
    return _error(
        "non_field_errors", _("This request is %(status)s.") % {"status": request.get_status_display().lower()}
    )


@transaction.atomic
def meeting_request_accept(*, request: MeetingRequest, user: User | None, priority: str = Priority.MEDIUM) -> Meeting:
    """The recipient accepts: an unscheduled meeting is created, weighted by both priorities.

    Accepting again (a double submit) returns the meeting already made and tells no one twice."""
    request = _lock_request(request)
    if user is not None and not participation_is_member(user=user, participation=request.recipient):
        raise PermissionDenied(_("Only the firm asked can accept this request."))
    if request.status == RequestStatus.ACCEPTED:
        existing = Meeting.objects.filter(request=request).first()
        if existing is not None:
            return existing
    if request.status != RequestStatus.PENDING:
        raise _status_error(request)
    if priority not in Priority.values:
        raise _error("priority", _("Unknown priority."))
    require_phase(request.mission, MissionAction.ANSWER_REQUEST)
    _lock_parties(request.requester, request.recipient)
    _check_limit(request.recipient, request.mission, own=True)
    _check_limit(request.requester, request.mission, own=False)
    request.status, request.response_priority, request.responded_at = RequestStatus.ACCEPTED, priority, timezone.now()
    request.save(update_fields=["status", "response_priority", "responded_at"])
    meeting = Meeting.objects.create(
        mission=request.mission, a=request.requester, b=request.recipient, request=request,
        weight=PRIORITY_WEIGHT[Priority(request.priority)] + PRIORITY_WEIGHT[Priority(priority)], created_by=user,
    )  # fmt: skip
    schedule_change_record(meeting=meeting, kind=ChangeKind.CREATED, before={}, user=user)
    request_notify(request=request, kind=NotificationKind.REQUEST_ACCEPTED, to_recipient=False)
    return meeting


@transaction.atomic
def meeting_request_decline(*, request: MeetingRequest, user: User | None) -> MeetingRequest:
    """The recipient declines; declining again returns the request and tells no one twice."""
    request = _lock_request(request)
    if user is not None and not participation_is_member(user=user, participation=request.recipient):
        raise PermissionDenied(_("Only the firm asked can decline this request."))
    if request.status == RequestStatus.DECLINED:
        return request
    if request.status != RequestStatus.PENDING:
        raise _status_error(request)
    require_phase(request.mission, MissionAction.ANSWER_REQUEST)
    request.status, request.responded_at = RequestStatus.DECLINED, timezone.now()
    request.save(update_fields=["status", "responded_at"])
    request_notify(request=request, kind=NotificationKind.REQUEST_DECLINED, to_recipient=False)
    return request


@transaction.atomic
def meeting_request_withdraw(*, request: MeetingRequest, user: User | None) -> MeetingRequest:
    """The firm that sent a request takes it back while it is unanswered; the recipient is told.

    Withdrawing again returns the request and tells no one twice. An accepted request has a meeting:
    calling that off is meeting_cancel_by_firm, open to either firm."""
    request = _lock_request(request)
    if user is not None and not participation_is_member(user=user, participation=request.requester):
        raise PermissionDenied(_("Only the firm that sent this request can withdraw it."))
    if request.status == RequestStatus.WITHDRAWN:
        return request
    if request.status == RequestStatus.ACCEPTED:
        raise _error("non_field_errors", _("This request is accepted: to call the meeting off, cancel the meeting."))
    if request.status != RequestStatus.PENDING:
        raise _status_error(request)
    require_phase(request.mission, MissionAction.ANSWER_REQUEST)
    request.status, request.responded_at = RequestStatus.WITHDRAWN, timezone.now()
    request.save(update_fields=["status", "responded_at"])
    request_notify(request=request, kind=NotificationKind.REQUEST_WITHDRAWN, to_recipient=True)
    return request


def _within_limits(*parties: Participation, mission: Mission) -> bool:
    for party in parties:
        limit = meeting_limit(party, mission)
        if limit is not None and meetings_count(party) >= limit:
            return False
    return True


@transaction.atomic
def meeting_request_mutual(
    *, mission: Mission, requester: Participation, recipient: Participation, priority: str, message: str = ""
) -> tuple[MeetingRequest | None, Meeting | None]:
    """Both firms said yes to a suggestion: the meeting is agreed at once, as an accepted request
    (source "suggestion") with its meeting, weighted by both priorities (each `priority`).

    A pending request between the two is accepted rather than doubled. When a firm is at its meeting
    limit the request stays pending (returned with no meeting), for the recipient to accept once
    there is room. A meeting the pair has already (an organiser's, or an accepted request's) is
    returned as it is, cancelled or not: the caller decides what to tell. Nobody is notified here
    (matchmaking.services.review tells both firms in one message). Phase rules are the caller's.
    """
    _lock_parties(requester, recipient)
    existing = request_open_between(requester, recipient)
    if existing is not None and existing.status == RequestStatus.ACCEPTED:
        return existing, Meeting.objects.filter(request=existing).first()
    meeting = Meeting.objects.filter(
        Q(a=requester, b=recipient) | Q(a=recipient, b=requester), status=MeetingStatus.CONFIRMED
    ).first()
    if meeting is not None:
        return existing, meeting
    request = existing or MeetingRequest.objects.create(
        mission=mission, requester=requester, recipient=recipient, message=message,
        priority=priority, source=RequestSource.SUGGESTION,
    )  # fmt: skip
    if not _within_limits(requester, recipient, mission=mission):
        return request, None
    request.status, request.response_priority, request.responded_at = RequestStatus.ACCEPTED, priority, timezone.now()
    request.save(update_fields=["status", "response_priority", "responded_at"])
    meeting = Meeting.objects.create(
        mission=mission, a=request.requester, b=request.recipient, request=request,
        weight=PRIORITY_WEIGHT[Priority(request.priority)] + PRIORITY_WEIGHT[Priority(priority)],
    )  # fmt: skip
    schedule_change_record(meeting=meeting, kind=ChangeKind.CREATED, before={}, user=None)
    return request, meeting
