from django.db import models
from django.utils.translation import gettext_lazy as _


class MissionPhase(models.TextChoices):
    """The steps a mission goes through, in order (events.phases says what each allows)."""

    DRAFT = "draft", _("Draft")
    REGISTRATION = "registration", _("Registration")
    MATCHING = "matching", _("Matching")
    REQUESTS = "requests", _("Meeting requests")
    SCHEDULING = "scheduling", _("Scheduling")
    PUBLISHED = "published", _("Schedule published")
    LIVE = "live", _("Mission under way")
    CLOSED = "closed", _("Closed")


class MissionAction(models.TextChoices):
    """What people do in a mission; each is open in some phases only (events.phases.ALLOWED)."""

    JOIN = "join", _("Join the mission")
    EDIT_PARTICIPATION = "edit_participation", _("Update delegates and availability")
    SHOW_INTEREST = "show_interest", _("Say which suggested partners interest you")
    SEND_REQUEST = "send_request", _("Send meeting requests")
    ANSWER_REQUEST = "answer_request", _("Answer meeting requests")
    CANCEL_MEETING = "cancel_meeting", _("Cancel a meeting")
    SEE_AGENDA = "see_agenda", _("See the published agenda")
    RECORD_OUTCOME = "record_outcome", _("Say how meetings went")
    ENROL = "enrol", _("Enrol firms")
    RUN_MATCHING = "run_matching", _("Run matching and review suggestions")
    CONVERT_SUGGESTIONS = "convert_suggestions", _("Turn suggestions into requests or meetings")
    ADD_MEETING = "add_meeting", _("Add meetings by hand")
    COMPUTE_SCHEDULE = "compute_schedule", _("Compute the schedule")
    EDIT_SCHEDULE = "edit_schedule", _("Adjust the schedule by hand")
    PUBLISH = "publish", _("Publish the schedule")


class JoinedVia(models.TextChoices):
    INVITATION = "invitation", _("Invitation link")
    IMPORT = "import", _("Delegation list import")
    ORGANISER = "organiser", _("Added by an organiser")


class Priority(models.TextChoices):
    """How much a firm wants a meeting; PRIORITY_WEIGHT turns it into a scheduling weight."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


PRIORITY_WEIGHT = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}
# Weight of a meeting an organiser creates or marks must-meet: above any pair of priorities (3 + 3).
ORGANISER_WEIGHT = 10


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired unanswered")


OPEN_REQUEST_STATUSES = (RequestStatus.PENDING, RequestStatus.ACCEPTED)


class RequestSource(models.TextChoices):
    PARTICIPANT = "participant", _("Sent by a participant")
    SUGGESTION = "suggestion", _("Accepted match suggestion")


class MeetingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    MOVED = "moved", _("Moved")
    SWAPPED = "swapped", _("Swapped")
    CANCELLED = "cancelled", _("Cancelled")
    PINNED = "pinned", _("Pinned")
    UNPINNED = "unpinned", _("Unpinned")


class RunStatus(models.TextChoices):
    """The lifecycle of every background run, match runs and schedule runs alike (events.models.RunLifecycle)."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)
# Names kept for the schedule runs' callers.
ScheduleRunStatus = RunStatus
ACTIVE_SCHEDULE_RUN_STATUSES = ACTIVE_RUN_STATUSES


class MeetingOutcomeChoice(models.TextChoices):
    """How a firm judges a meeting it held; matchmaking.feedback turns it into a labelled pair."""

    FOLLOW_UP = "follow_up", _("Promising: we will follow up")
    USEFUL = "useful", _("Useful, but no follow-up")
    NOT_RELEVANT = "not_relevant", _("Not a relevant partner")
