from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailFrequency(models.TextChoices):
    """How a user's notifications reach their inbox (they are always listed in the notification centre)."""

    IMMEDIATE = "immediate", _("At once: one e-mail per notification")
    DAILY = "daily", _("Once a day: one digest e-mail")


class NotificationKind(models.TextChoices):
    """What happened; accounts.notifications holds each kind's title and its e-mail template's name."""

    REQUEST_RECEIVED = "request_received", _("Meeting request received")
    REQUEST_ACCEPTED = "request_accepted", _("Meeting request accepted")
    REQUEST_DECLINED = "request_declined", _("Meeting request declined")
    REQUEST_WITHDRAWN = "request_withdrawn", _("Meeting request withdrawn")
    REQUEST_EXPIRED = "request_expired", _("Meeting request expired")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    MEETING_MOVED = "meeting_moved", _("Meeting moved")
    MEETING_REMINDER = "meeting_reminder", _("First meeting reminder")
    SCHEDULE_PUBLISHED = "schedule_published", _("Schedule published")
    PHASE_CHANGED = "phase_changed", _("Mission phase changed")
    SCHEDULE_CHANGED = "schedule_changed", _("Schedule changed")
    SUGGESTIONS_APPROVED = "suggestions_approved", _("New suggested partners")
    PROFILE_APPROVED = "profile_approved", _("Profile approved")
    PROFILE_REJECTED = "profile_rejected", _("Profile needs changes")
    ORGANISER_ADDED = "organiser_added", _("Made co-organiser of a mission")
    MISSION_ENROLLED = "mission_enrolled", _("Firm added to a mission by its organisers")
    MUTUAL_INTEREST = "mutual_interest", _("Both firms interested in a suggestion")
    MUTUAL_INTEREST_REFERRED = "mutual_referred", _("Mutual interest for the organisers to decide")
    ORGANISERS_CONVERTED = "organisers_converted", _("Meetings or requests arranged by the organisers")
    REVISION_APPROVED = "revision_approved", _("Profile changes approved")
    REVISION_REJECTED = "revision_rejected", _("Profile changes rejected")
