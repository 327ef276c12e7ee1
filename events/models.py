"""Trade missions: sessions and slots, tables, participating firms, meeting requests and meetings.

Datetimes are stored in UTC; a mission's `time_zone` says how to show them. The invariants that
must never break (a firm in more meetings at once than it has delegates, two meetings at one
table in one slot) are database constraints; see docs/missions.md.
"""

from datetime import timedelta
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from events.enums import (
    ChangeKind,
    JoinedVia,
    MeetingOutcomeChoice,
    MeetingStatus,
    MissionPhase,
    Priority,
    RequestSource,
    RequestStatus,
    RunStatus,
)

if TYPE_CHECKING:
    # A type of django-stubs only (lazy translations); the stubs are a dev requirement.
    from django_stubs_ext import StrOrPromise

# Badge tones of the run statuses (docs/interface.md): ok, warn, danger, info, muted.
RUN_STATUS_TONES: dict[str, str] = {
    RunStatus.QUEUED: "info",
    RunStatus.RUNNING: "info",
    RunStatus.SUCCEEDED: "ok",
    RunStatus.FAILED: "danger",
}


class Mission(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    city = models.CharField(_("city"), max_length=100)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, help_text=_("IANA name, e.g. Asia/Tokyo"))
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=30)
    break_minutes = models.PositiveSmallIntegerField(_("break between meetings (minutes)"), default=0)
    phase = models.CharField(_("phase"), max_length=12, choices=MissionPhase.choices, default=MissionPhase.DRAFT)
    max_requests_per_firm = models.PositiveSmallIntegerField(
        _("requests a firm may send"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    max_meetings_per_firm = models.PositiveSmallIntegerField(
        _("meetings a firm may have"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    invitation_token = models.CharField(_("invitation token"), max_length=64, unique=True)
    # Set by the scheduling task while it runs; services refuse manual edits meanwhile.
    scheduling_locked = models.BooleanField(_("scheduling in progress"), default=False)
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="organised_missions", blank=True, verbose_name=_("organisers")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(meeting_minutes__gt=0), name="mission_meeting_minutes_positive"),
            models.CheckConstraint(condition=Q(phase__in=MissionPhase.values), name="mission_phase_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class PhasePlan(models.Model):
    """The date on which the organisers plan to start a phase; shown to firms, never acted on by itself."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="phase_plans", verbose_name=_("mission")
    )
    phase = models.CharField(_("phase"), max_length=12, choices=MissionPhase.choices)
    starts_on = models.DateField(_("planned start"))

    class Meta:
        verbose_name = _("planned phase date")
        verbose_name_plural = _("planned phase dates")
        ordering = ["starts_on", "id"]
        constraints = [models.UniqueConstraint(fields=["mission", "phase"], name="phase_plan_unique")]

    def __str__(self) -> str:
        return f"{self.phase} {self.starts_on.isoformat()}"


class PhaseChange(models.Model):
    """A move from one phase to another: who moved the mission, and when."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="phase_changes", verbose_name=_("mission")
    )
    from_phase = models.CharField(_("from"), max_length=12, choices=MissionPhase.choices)
    to_phase = models.CharField(_("to"), max_length=12, choices=MissionPhase.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_phase} → {self.to_phase}"


class MissionDay(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="days", verbose_name=_("mission"))
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("mission day")
        verbose_name_plural = _("mission days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["mission", "date"], name="mission_day_unique")]

    def __str__(self) -> str:
        return self.date.isoformat()


class Session(models.Model):
    """A block of meetings held on every day of the mission, in the mission's local time."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("mission"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start_time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="session_end_after_start"),
            models.UniqueConstraint(fields=["mission", "start_time"], name="session_start_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"


class Slot(models.Model):
    """One meeting time: generated from days × sessions × (meeting length + break)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="slots", verbose_name=_("mission"))
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots", verbose_name=_("session"))
    day = models.DateField(_("day"))
    index = models.PositiveSmallIntegerField(_("position in the session"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    removed = models.BooleanField(_("removed"), default=False)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_end_after_start"),
            models.UniqueConstraint(fields=["session", "day", "index"], name="slot_position_unique"),
            models.UniqueConstraint(fields=["mission", "start"], name="slot_start_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} UTC"


class Participation(models.Model):
    """A company taking part in a mission. It can hold as many meetings at once as it has delegates (min 1)."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="participations", verbose_name=_("mission")
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="participations", verbose_name=_("company")
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("most meetings wanted"), null=True, blank=True, help_text=_("Empty: as many as the mission allows.")
    )
    joined_via = models.CharField(
        _("joined via"), max_length=12, choices=JoinedVia.choices, default=JoinedVia.INVITATION
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["company__name", "id"]
        constraints = [models.UniqueConstraint(fields=["mission", "company"], name="participation_unique")]

    def __str__(self) -> str:
        return f"{self.company} @ {self.mission}"


class Delegate(models.Model):
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("participation")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DelegateUnavailability(models.Model):
    """A slot one delegate cannot attend; the firm then holds one meeting fewer at once in it, and none
    when all its delegates are away (events.selectors.participation_slot_capacities)."""

    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("delegate")
    )
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="delegate_unavailabilities", verbose_name=_("slot")
    )

    class Meta:
        verbose_name = _("delegate unavailability")
        verbose_name_plural = _("delegate unavailabilities")
        constraints = [
            models.UniqueConstraint(fields=["delegate", "slot"], name="delegate_unavailability_unique"),
        ]

    def __str__(self) -> str:
        return f"delegate {self.delegate_id} not at {self.slot_id}"


class Unavailability(models.Model):
    """A slot a participant cannot attend. Without rows a participant is available in every slot."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("participation")
    )
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="unavailabilities", verbose_name=_("slot"))

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [models.UniqueConstraint(fields=["participation", "slot"], name="unavailability_unique")]

    def __str__(self) -> str:
        return f"{self.participation_id} not at {self.slot_id}"


class Table(models.Model):
    """A table or room; `host` reserves it for the meetings of one firm."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="tables", verbose_name=_("mission"))
    name = models.CharField(_("name"), max_length=100)
    host = models.ForeignKey(
        Participation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_tables",
        verbose_name=_("host"),
    )

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["mission", "name"], name="table_name_unique")]

    def __str__(self) -> str:
        return self.name


class MeetingRequest(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="requests", verbose_name=_("mission"))
    requester = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="requests_sent", verbose_name=_("requester")
    )
    recipient = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="requests_received", verbose_name=_("recipient")
    )
    message = models.TextField(_("message"), blank=True)
    priority = models.CharField(_("priority"), max_length=6, choices=Priority.choices, default=Priority.MEDIUM)
    response_priority = models.CharField(
        _("priority of the answer"), max_length=6, choices=Priority.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    source = models.CharField(
        _("source"), max_length=12, choices=RequestSource.choices, default=RequestSource.PARTICIPANT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=F("recipient")), name="request_not_self"),
            # One open request per pair of firms, whichever of the two sent it.
            models.UniqueConstraint(
                Least("requester", "recipient"),
                Greatest("requester", "recipient"),
                condition=Q(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED]),
                name="request_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} → {self.recipient_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING

    @property
    def status_tone(self) -> str:
        """Badge tone of the status (ok, info, danger, muted)."""
        tones: dict[str, str] = {
            RequestStatus.ACCEPTED: "ok", RequestStatus.PENDING: "info", RequestStatus.DECLINED: "danger"
        }  # fmt: skip
        return tones.get(self.status, "muted")


CANCEL_REASON_MAX_LENGTH = 500
PIN_REASON_MAX_LENGTH = 200


class Meeting(models.Model):
    """A meeting between two participants; unscheduled while `slot` is empty."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("mission"))
    a = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="meetings_as_a", verbose_name=_("firm A")
    )
    b = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="meetings_as_b", verbose_name=_("firm B")
    )
    request = models.OneToOneField(
        MeetingRequest,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting",
        verbose_name=_("meeting request"),
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    required = models.BooleanField(_("must meet"), default=False)
    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("slot")
    )
    table = models.ForeignKey(
        Table, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("table")
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    # Why the organisers fixed it there ("ministry slot"); both firms read it on their agenda.
    pinned_reason = models.CharField(_("reason for fixing it"), max_length=PIN_REASON_MAX_LENGTH, blank=True)
    # Empty: any slot. Otherwise the meeting may only be placed in these ("mornings only", "day 2").
    allowed_slots = models.ManyToManyField(Slot, blank=True, related_name="+", verbose_name=_("allowed slots"))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.CONFIRMED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Who called a meeting off and why: a firm (cancelled_by_party set) or the organisers (it is empty).
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_by_party = models.ForeignKey(
        Participation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by firm"),
    )
    cancelled_reason = models.TextField(_("reason for cancelling"), max_length=CANCEL_REASON_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(a=F("b")), name="meeting_not_self"),
            models.CheckConstraint(
                condition=Q(table__isnull=True) | Q(slot__isnull=False), name="meeting_table_needs_slot"
            ),
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.CONFIRMED) | Q(slot__isnull=True), name="meeting_cancelled_unplaced"
            ),
            models.CheckConstraint(condition=Q(pinned=False) | Q(slot__isnull=False), name="meeting_pinned_placed"),
            models.CheckConstraint(condition=Q(pinned=True) | Q(pinned_reason=""), name="meeting_pin_reason_pinned"),
            models.UniqueConstraint(
                Least("a", "b"),
                Greatest("a", "b"),
                condition=Q(status=MeetingStatus.CONFIRMED),
                name="meeting_one_per_pair",
            ),
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=Q(slot__isnull=False, table__isnull=False),
                name="meeting_one_per_table_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.a} / {self.b}"

    @property
    def participations(self) -> tuple[Participation, Participation]:
        return (self.a, self.b)


class MeetingSeat(models.Model):
    """One of a participant's delegates taken by a placed meeting.

    Seats are numbered 1..capacity (the participant's delegate count) by the placing service; the
    unique constraint makes a firm's seat in a slot impossible to give twice.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats", verbose_name=_("meeting"))
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="seats", verbose_name=_("participation")
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="seats", verbose_name=_("slot"))
    seat = models.PositiveSmallIntegerField(_("seat"))

    class Meta:
        verbose_name = _("meeting seat")
        verbose_name_plural = _("meeting seats")
        constraints = [
            models.UniqueConstraint(fields=["participation", "slot", "seat"], name="seat_one_meeting_per_delegate"),
            models.UniqueConstraint(fields=["meeting", "participation"], name="seat_one_per_meeting_side"),
            models.CheckConstraint(condition=Q(seat__gte=1), name="seat_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.participation_id}#{self.seat} @ {self.slot_id}"


class ScheduleVersion(models.Model):
    """A published schedule; `snapshot` lists every placed meeting (see services.schedule)."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="versions", verbose_name=_("mission"))
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    snapshot = models.JSONField(_("snapshot"), default=dict)
    notified = models.BooleanField(_("notified"), default=False)

    class Meta:
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        ordering = ["mission", "-number"]
        constraints = [models.UniqueConstraint(fields=["mission", "number"], name="schedule_version_unique")]

    def __str__(self) -> str:
        return f"{self.mission} v{self.number}"


class ScheduleChange(models.Model):
    """A change to a meeting after the schedule was published; the firms concerned are e-mailed."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="schedule_changes", verbose_name=_("mission")
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes", verbose_name=_("meeting"))
    kind = models.CharField(_("kind"), max_length=10, choices=ChangeKind.choices)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("user")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    notified = models.BooleanField(_("notified"), default=False)

    class Meta:
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.kind}"


class RunLifecycle(models.Model):
    """What every background run shares (schedule runs here, match runs in matchmaking).

    queued -> running -> succeeded | failed; a failed run can be queued again for a new attempt.
    `heartbeat_at` is the last sign of life: when it was queued again, began, made progress or
    beat (a running run beats every RUN_HEARTBEAT_SECONDS). A running run silent for longer than
    RUN_STALE_SECONDS lost its worker; the sweep (events.services.runs) fails it. The writes are
    in events.services.runs; see docs/operations.md.
    """

    # Dotted path of a function(run_id=...) called in the transaction that ends a run (succeeded
    # or failed), e.g. to release what the run holds.
    on_end: ClassVar[str] = ""

    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def can_retry(self) -> bool:
        return self.status == RunStatus.FAILED

    @property
    def has_succeeded(self) -> bool:
        return self.status == RunStatus.SUCCEEDED

    @property
    def status_tone(self) -> str:
        """The badge tone of the status (docs/interface.md)."""
        return RUN_STATUS_TONES[self.status]

    @property
    def duration(self) -> timedelta | None:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ScheduleRun(RunLifecycle):
    """One computation of a mission's schedule by the scheduler (events/scheduler), run in Celery.

    `stats` and `unscheduled` are the solution's (docs/scheduling-format.md); `unscheduled` lists
    each meeting left out with the reason a person understands. While it is active the mission is
    locked for manual edits; ending it (succeeded or failed) releases the lock.
    """

    on_end = "events.services.scheduling.schedule_run_ended"

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="schedule_runs", verbose_name=_("mission")
    )
    time_limit = models.PositiveIntegerField(_("time limit (seconds)"), default=30)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    unscheduled = models.JSONField(_("left out"), default=list, blank=True)

    class Meta:
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="schedule_run_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="schedule_run_progress_max_100"),
            # One computation at a time per mission.
            models.UniqueConstraint(
                fields=["mission"],
                condition=Q(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]),
                name="schedule_run_one_active_per_mission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mission} schedule run {self.pk} ({self.status})"

    # What ended the computation (`stats["stopped_on"]`, docs/scheduling.md "Time limit").
    STOPPED_ON_LABELS: ClassVar[dict[str, "StrOrPromise"]] = {
        "optimal": _("proven optimal"),
        "deterministic budget": _("its planned work (a rerun gives the same schedule)"),
        "wall clock": _("the time limit (the machine was busy: a rerun may differ)"),
    }

    @property
    def stopped_on_label(self) -> str:
        """Why the run stopped, in words; empty for runs that did not record it."""
        return str(self.STOPPED_ON_LABELS.get(str(self.stats.get("stopped_on", "")), ""))


NOTE_MAX_LENGTH = 1000


class MeetingOutcome(models.Model):
    """How one firm of a meeting judged it, once the meeting's slot had started (events.services.outcomes).

    One answer per firm and meeting; answering again replaces it. The note is for the mission's
    organisers and admins, never shown to the other firm.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("meeting"))
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="meeting_outcomes", verbose_name=_("answering firm")
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=MeetingOutcomeChoice.choices)
    note = models.TextField(_("note for the organisers"), max_length=NOTE_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participation"], name="meeting_outcome_one_per_firm"),
            models.CheckConstraint(condition=Q(outcome__in=MeetingOutcomeChoice.values), name="meeting_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.participation_id}: {self.outcome}"
