"""Input serializers validate shapes; output serializers show what each role may see."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies.api.serializers import CompanyImportPlanOutput, FieldChangeOutput, PlannedRowOutput
from companies.import_files import ENCODING_CHOICES
from companies.selectors import company_public_list
from config.limits import INT_MAX, SMALLINT_MAX
from config.schema import HourMinuteField, WebsiteField
from events.enums import MeetingOutcomeChoice, MissionPhase, Priority
from events.models import (
    CANCEL_REASON_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PIN_REASON_MAX_LENGTH,
    Delegate,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    Mission,
    Participation,
    Slot,
    Table,
)
from events.selectors import request_can_answer, request_can_withdraw, request_side
from events.services.delegation_import import change_label, change_text

# Inputs ------------------------------------------------------------------------------------------


class SessionInput(serializers.Serializer):
    start = serializers.TimeField()
    end = serializers.TimeField()


class MissionInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    time_zone = serializers.CharField(max_length=64)
    days = serializers.ListField(child=serializers.DateField(), allow_empty=False)
    sessions = SessionInput(many=True, allow_empty=False)
    meeting_minutes = serializers.IntegerField(min_value=1, max_value=600)
    break_minutes = serializers.IntegerField(min_value=0, max_value=600, default=0)
    tables = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    table_count = serializers.IntegerField(min_value=0, max_value=500, required=False)
    max_requests_per_firm = serializers.IntegerField(
        min_value=0, max_value=SMALLINT_MAX, allow_null=True, required=False
    )
    max_meetings_per_firm = serializers.IntegerField(
        min_value=0, max_value=SMALLINT_MAX, allow_null=True, required=False
    )

    def to_service_data(self) -> dict:
        """The shape events.services expects: sessions as (start, end) pairs, tables as names."""
        from events.services import table_names_from_count

        data = dict(self.validated_data)
        if "sessions" in data:
            data["sessions"] = [(s["start"], s["end"]) for s in data["sessions"]]
        count = data.pop("table_count", None)
        if count is not None and "tables" not in data:
            data["tables"] = table_names_from_count(count)
        return data


class JoinInput(serializers.Serializer):
    token = serializers.CharField(max_length=64)


class DelegationImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="A .csv or .xlsx file (docs/import-format.md).")
    encoding = serializers.ChoiceField(
        choices=[code for code, _label in ENCODING_CHOICES if code], required=False,
        help_text="The encoding of a CSV file; detected (UTF-8, Shift-JIS or Windows-1252) when left out.",
    )  # fmt: skip
    fingerprint = serializers.CharField(
        required=False, allow_blank=True, max_length=64,
        help_text="Left out: preview only, nothing is written. The `fingerprint` of a preview: write exactly "
        "that plan, or answer 409 if the file or the mission's participants changed since.",
    )  # fmt: skip
    confirm_committed = serializers.BooleanField(
        required=False, default=False,
        help_text="Confirm changing the delegations the preview lists in `committed` (firms with meetings).",
    )  # fmt: skip


class DelegationChangeOutput(FieldChangeOutput):
    """A change of a participation: `delegates` (a list of {name, email, role}) or `max_meetings`."""

    def get_label(self, change: Any) -> str:
        return change_label(change.field)

    def get_old_text(self, change: Any) -> str:
        return change_text(change.field, change.old)

    def get_new_text(self, change: Any) -> str:
        return change_text(change.field, change.new)


class DelegationPlannedRowOutput(PlannedRowOutput):
    committed = serializers.BooleanField(
        help_text="The firm has confirmed meetings or accepted requests in this mission."
    )
    changes = DelegationChangeOutput(many=True)


class DelegationImportPlanOutput(CompanyImportPlanOutput):
    created = DelegationPlannedRowOutput(many=True, help_text="Firms that join the mission (the row: their first).")
    updated = DelegationPlannedRowOutput(many=True, help_text="Participations whose delegation changes.")
    unchanged = DelegationPlannedRowOutput(many=True)
    committed = DelegationPlannedRowOutput(many=True, help_text="Changes that need `confirm_committed`.")


class DelegationImportOutput(serializers.Serializer):
    participations_created = serializers.IntegerField()
    participations_updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    delegates = serializers.IntegerField()


class SlotInput(serializers.Serializer):
    removed = serializers.BooleanField()


class TableInput(serializers.Serializer):
    mission = serializers.PrimaryKeyRelatedField(queryset=Mission.objects.all(), required=False)
    name = serializers.CharField(max_length=100, required=False)
    host = serializers.PrimaryKeyRelatedField(queryset=Participation.objects.all(), allow_null=True, required=False)


class ParticipationInput(serializers.Serializer):
    max_meetings = serializers.IntegerField(min_value=0, max_value=SMALLINT_MAX, allow_null=True)


class DelegateInput(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, min_value=1, max_value=INT_MAX,
        help_text="One of the firm's delegates: it is kept under this row's name, with its unavailability. "
        "Without it a row keeps the delegate of the same name, or adds one.",
    )  # fmt: skip
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    role = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DelegatesInput(serializers.Serializer):
    delegates = DelegateInput(many=True)


class AvailabilityInput(serializers.Serializer):
    available_slots = serializers.ListField(child=serializers.IntegerField(min_value=1))


class DelegateSlotsInput(serializers.Serializer):
    delegate = serializers.IntegerField(min_value=1, max_value=INT_MAX)
    unavailable_slots = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=INT_MAX), help_text="Slots this delegate cannot attend."
    )


class DelegateAvailabilityInput(serializers.Serializer):
    delegates = DelegateSlotsInput(
        many=True, help_text="Per delegate, the slots it cannot attend; a delegate left out attends every slot."
    )

    def validate_delegates(self, value: list[dict]) -> list[dict]:
        ids = [row["delegate"] for row in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Each delegate once."))
        return value


class MeetingRequestInput(serializers.Serializer):
    mission = serializers.PrimaryKeyRelatedField(queryset=Mission.objects.all())
    recipient = serializers.PrimaryKeyRelatedField(queryset=Participation.objects.all())
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)


class AcceptInput(serializers.Serializer):
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)


class MeetingInput(serializers.Serializer):
    mission = serializers.PrimaryKeyRelatedField(queryset=Mission.objects.all())
    a = serializers.PrimaryKeyRelatedField(queryset=Participation.objects.all())
    b = serializers.PrimaryKeyRelatedField(queryset=Participation.objects.all())
    required = serializers.BooleanField(default=False)


class MoveInput(serializers.Serializer):
    # A move needs a slot: taking a meeting out of the schedule is the `unplace` action.
    slot = serializers.PrimaryKeyRelatedField(
        queryset=Slot.objects.all(),
        error_messages={
            "required": _("Choose a slot to move the meeting to."),
            "null": _("Choose a slot to move the meeting to; to take the meeting out of the schedule, unplace it."),
        },
    )
    table = serializers.PrimaryKeyRelatedField(
        queryset=Table.objects.all(), allow_null=True, required=False, default=None
    )


class MeetingCancelInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=CANCEL_REASON_MAX_LENGTH, help_text=_("Why the meeting is called off; the firms told read it.")
    )


class MeetingOutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=MeetingOutcomeChoice.choices)
    note = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, allow_blank=True, required=False, default="",
        help_text=_("For the mission's organisers only, never shown to the other firm."),
    )  # fmt: skip


class MeetingOutcomeOutput(serializers.ModelSerializer):
    firm = serializers.IntegerField(source="participation.company_id", read_only=True)

    class Meta:
        model = MeetingOutcome
        fields = ["meeting", "participation", "firm", "outcome", "note", "answered_at"]


class SwapInput(serializers.Serializer):
    other = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all(), help_text=_("The meeting to swap with."))


class PinInput(serializers.Serializer):
    pinned = serializers.BooleanField(default=True)
    reason = serializers.CharField(
        max_length=PIN_REASON_MAX_LENGTH, allow_blank=True, required=False, default=None, allow_null=True,
        help_text=_("Why it is fixed there (e.g. ministry slot); both firms read it. Omitted: kept as it is."),
    )  # fmt: skip
    slot = serializers.PrimaryKeyRelatedField(
        queryset=Slot.objects.all(), allow_null=True, required=False, default=None
    )
    table = serializers.PrimaryKeyRelatedField(
        queryset=Table.objects.all(), allow_null=True, required=False, default=None
    )


class RestrictInput(serializers.Serializer):
    slots = serializers.PrimaryKeyRelatedField(
        queryset=Slot.objects.all(), many=True, help_text=_("The only slots allowed; [] lifts the restriction.")
    )


# Outputs -----------------------------------------------------------------------------------------


class SessionOutput(serializers.Serializer):
    start = HourMinuteField(source="start_time")
    end = HourMinuteField(source="end_time")


class MissionOutput(serializers.ModelSerializer):
    sessions = SessionOutput(many=True, read_only=True)
    days = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = [
            "id", "title", "description", "city", "venue", "time_zone", "days", "sessions", "meeting_minutes",
            "break_minutes", "phase", "max_requests_per_firm", "max_meetings_per_firm", "scheduling_locked",
        ]  # fmt: skip

    def get_days(self, mission: Mission) -> list[str]:
        return [d.date.isoformat() for d in mission.days.all()]


class MissionManagerOutput(MissionOutput):
    """What organisers see in addition: the invitation token."""

    class Meta(MissionOutput.Meta):
        fields = [*MissionOutput.Meta.fields, "invitation_token"]


class SlotOutput(serializers.ModelSerializer):
    session = serializers.CharField(source="session.__str__", read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "mission", "day", "session", "index", "start", "end", "removed"]


class TableOutput(serializers.ModelSerializer):
    class Meta:
        model = Table
        fields = ["id", "mission", "name", "host"]


class CompanyPublicOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_ja = serializers.CharField()
    country = serializers.CharField()
    city = serializers.CharField()
    website = WebsiteField()
    description = serializers.CharField()


class ParticipationOutput(serializers.ModelSerializer):
    """Public view of another participant: the company's public profile only."""

    company = CompanyPublicOutput(read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "mission", "company"]


class DelegateOutput(serializers.ModelSerializer):
    class Meta:
        model = Delegate
        fields = ["id", "name", "email", "role"]


class ParticipationDetailOutput(ParticipationOutput):
    """The firm's own participation, or any for the mission's organisers."""

    delegates = DelegateOutput(many=True, read_only=True)

    class Meta(ParticipationOutput.Meta):
        fields = [*ParticipationOutput.Meta.fields, "max_meetings", "joined_via", "delegates"]


class LimitsOutput(serializers.Serializer):
    requests_sent = serializers.IntegerField()
    requests_limit = serializers.IntegerField(allow_null=True)
    requests_left = serializers.IntegerField(allow_null=True)
    meetings = serializers.IntegerField()
    meetings_limit = serializers.IntegerField(allow_null=True)
    meetings_left = serializers.IntegerField(allow_null=True)


class AvailabilityOutput(serializers.Serializer):
    available_slots = serializers.ListField(child=serializers.IntegerField())


class DelegateSlotsOutput(serializers.Serializer):
    delegate = serializers.IntegerField()
    name = serializers.CharField()
    unavailable_slots = serializers.ListField(child=serializers.IntegerField())


class CapacityConflictOutput(serializers.Serializer):
    slot = serializers.IntegerField(source="slot.pk")
    meetings = serializers.SerializerMethodField()
    present = serializers.IntegerField(help_text="Delegates present in the slot.")

    def get_meetings(self, conflict) -> list[int]:
        return [m.pk for m in conflict.meetings]


class DelegateAvailabilityOutput(serializers.Serializer):
    delegates = DelegateSlotsOutput(many=True)
    conflicts = CapacityConflictOutput(
        many=True,
        help_text="Slots holding more of the firm's placed meetings than delegates present (after an "
        "organiser's change; a firm's change that would cause one is refused).",
    )


class MeetingRequestOutput(serializers.ModelSerializer):
    """`can_withdraw` / `can_answer`: what the caller's firm may do with the request now (both false for
    organisers and once answered): events.selectors.request_can_withdraw / request_can_answer."""

    requester = ParticipationOutput(read_only=True)
    recipient = ParticipationOutput(read_only=True)
    can_withdraw = serializers.SerializerMethodField()
    can_answer = serializers.SerializerMethodField()

    class Meta:
        model = MeetingRequest
        fields = [
            "id", "mission", "requester", "recipient", "message", "priority", "response_priority", "status",
            "source", "created_at", "responded_at", "can_withdraw", "can_answer",
        ]  # fmt: skip

    def _side(self, obj: MeetingRequest) -> Participation | None:
        request = self.context.get("request")
        return None if request is None else request_side(user=request.user, request=obj)

    def get_can_withdraw(self, obj: MeetingRequest) -> bool:
        return request_can_withdraw(request=obj, participation=self._side(obj))

    def get_can_answer(self, obj: MeetingRequest) -> bool:
        return request_can_answer(request=obj, participation=self._side(obj))


class MeetingOutput(serializers.ModelSerializer):
    a = ParticipationOutput(read_only=True)
    b = ParticipationOutput(read_only=True)
    start = serializers.DateTimeField(source="slot.start", read_only=True, allow_null=True)
    end = serializers.DateTimeField(source="slot.end", read_only=True, allow_null=True)
    table_name = serializers.CharField(source="table.name", read_only=True, allow_null=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "mission", "a", "b", "weight", "required", "slot", "start", "end", "table", "table_name",
            "pinned", "pinned_reason", "status", "cancelled_at", "cancelled_by_party", "cancelled_reason",
        ]  # fmt: skip

    def to_representation(self, instance: Meeting) -> dict:
        """Firms read a meeting where they see it (context "seen", events.publication), not the draft."""
        data = super().to_representation(instance)
        seen = self.context.get("seen", {}).get(instance.pk)
        if seen is not None:
            data.update(seen)
            for key in ("start", "end"):
                data[key] = self.fields[key].to_representation(seen[key]) if seen[key] else None
        return data


# Agendas -----------------------------------------------------------------------------------------


class AgendaInput(serializers.Serializer):
    """Query parameters of the agenda: the viewer's zone and, for organisers, whose agenda."""

    tz = serializers.CharField(required=False, allow_blank=True, max_length=64)
    participation = serializers.IntegerField(required=False, min_value=1)


@extend_schema_field(OpenApiTypes.DATETIME)
class ZonedDateTimeField(serializers.Field):
    """An aware datetime in its own zone, e.g. 2025-10-06T09:00:00+09:00 (DateTimeField would turn it into UTC)."""

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


class AgendaTimingOutput(serializers.Serializer):
    start = ZonedDateTimeField(source="local.start", read_only=True)
    end = ZonedDateTimeField(source="local.end", read_only=True)
    viewer_start = ZonedDateTimeField(source="viewer.start", read_only=True, allow_null=True)
    viewer_end = ZonedDateTimeField(source="viewer.end", read_only=True, allow_null=True)
    label = serializers.CharField(read_only=True)


class AgendaDelegateOutput(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()


class AgendaFirmOutput(serializers.Serializer):
    participation = serializers.IntegerField(source="participation_id")
    company = serializers.IntegerField(source="company_id")
    name = serializers.CharField()
    name_ja = serializers.CharField()
    url = serializers.URLField()
    delegates = AgendaDelegateOutput(many=True)


class AgendaEntryOutput(serializers.Serializer):
    meeting = serializers.IntegerField(source="meeting_id")
    slot = serializers.IntegerField(source="slot_id")
    timing = AgendaTimingOutput()
    partner = AgendaFirmOutput()
    table = serializers.CharField(allow_null=True)
    fixed_reason = serializers.CharField(help_text="Why the organisers fixed it at this time; empty if not said.")


class AgendaFreeSlotOutput(serializers.Serializer):
    slot = serializers.IntegerField(source="slot_id")
    timing = AgendaTimingOutput()
    available = serializers.BooleanField()


class AgendaDayOutput(serializers.Serializer):
    date = serializers.DateField()
    meetings = AgendaEntryOutput(source="entries", many=True)
    free_slots = AgendaFreeSlotOutput(source="free", many=True)


class AgendaMissionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    city = serializers.CharField()
    venue = serializers.CharField()
    time_zone = serializers.CharField()


class AgendaOutput(serializers.Serializer):
    mission = AgendaMissionOutput()
    firm = AgendaFirmOutput()
    viewer_time_zone = serializers.CharField(source="viewer_tz", allow_null=True)
    days = AgendaDayOutput(many=True)
    unscheduled = AgendaFirmOutput(many=True)


class ScheduleRunInput(serializers.Serializer):
    time_limit = serializers.IntegerField(min_value=1, max_value=600, default=30)
    seed = serializers.IntegerField(min_value=0, max_value=INT_MAX, default=0)


class ScheduleRunOutput(serializers.Serializer):
    id = serializers.IntegerField()
    mission = serializers.IntegerField(source="mission_id")
    status = serializers.CharField()
    progress = serializers.IntegerField()
    time_limit = serializers.IntegerField()
    seed = serializers.IntegerField()
    stats = serializers.JSONField()
    unscheduled = serializers.JSONField(help_text="[{id: meeting id, reason}]")
    error = serializers.CharField()
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    heartbeat_at = serializers.DateTimeField(allow_null=True, help_text="The last sign of life of the worker.")
    finished_at = serializers.DateTimeField(allow_null=True)


class PrecheckFindingOutput(serializers.Serializer):
    """One finding of the pre-check (events/scheduler/precheck.py); ids are database ids."""

    kind = serializers.ChoiceField(choices=[
        "no_common_slot", "pinned", "table_conflict", "fixed_over_capacity", "fixed_table_clash",
        "fixed_over_tables", "required_over_seats", "over_seats",
    ])  # fmt: skip
    meetings = serializers.ListField(child=serializers.IntegerField(), help_text="The meetings it concerns.")
    participant = serializers.IntegerField(allow_null=True, help_text="The participation concerned, if one.")
    slot = serializers.IntegerField(allow_null=True, help_text="The slot concerned, if one.")
    count = serializers.IntegerField(help_text="Meetings competing (0 for a finding about one meeting).")
    limit = serializers.IntegerField(help_text="Room for them: delegates present, tables or seats.")
    message = serializers.CharField(help_text="The finding in English, for logs.")


class ScheduleSolutionInput(serializers.Serializer):
    meetings = serializers.ListField(child=serializers.DictField(), help_text="[{id, slot, table}]")
    unscheduled = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    stats = serializers.DictField(required=False, default=dict)


class PhaseMoveInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=MissionPhase.choices)
    expected = serializers.ChoiceField(
        choices=MissionPhase.choices, required=False,
        help_text="The phase the client saw; if the mission moved meanwhile, nothing happens (400).",
    )  # fmt: skip


class PhaseStepOutput(serializers.Serializer):
    phase = serializers.ChoiceField(choices=MissionPhase.choices)
    label = serializers.CharField()
    state = serializers.ChoiceField(choices=["done", "current", "later"])
    day = serializers.DateField(allow_null=True)
    planned = serializers.BooleanField()


class PhaseActionOutput(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    allowed = serializers.BooleanField()
    refusal = serializers.CharField(allow_null=True, help_text="Why the action is refused now, and when it opens.")


class PhaseMoveOptionOutput(serializers.Serializer):
    to = serializers.ChoiceField(choices=MissionPhase.choices)
    label = serializers.CharField()
    effects = serializers.ListField(child=serializers.CharField())


class MissionPhaseOutput(serializers.Serializer):
    """The mission's phase, its timeline, every action of the viewer's role with why it is refused, and
    for organisers the moves they can make with what each does."""

    phase = serializers.ChoiceField(choices=MissionPhase.choices)
    role = serializers.ChoiceField(choices=["organiser", "participant", "visitor"])
    timeline = PhaseStepOutput(many=True)
    actions = PhaseActionOutput(many=True)
    moves = PhaseMoveOptionOutput(many=True)


# Organisers and enrolment from the directory ------------------------------------------------------


class OrganiserInput(serializers.Serializer):
    email = serializers.EmailField()


class OrganiserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()


class EnrolSearchInput(serializers.Serializer):
    """Query parameters of the directory search; unknown country or sector codes simply match nothing."""

    q = serializers.CharField(required=False, default="", allow_blank=True, help_text="Names in either script or "
                              "any profile text; every word must match.")  # fmt: skip
    country = serializers.CharField(required=False, default="", allow_blank=True, help_text="ISO code, e.g. JP.")
    sector = serializers.CharField(required=False, default="", allow_blank=True, help_text="Sector code.")


class EnrolCandidateOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_ja = serializers.CharField()
    country = serializers.CharField()
    city = serializers.CharField()
    sectors = serializers.ListField(child=serializers.CharField())
    enrolled = serializers.BooleanField(help_text="Takes part in the mission already.")


class EnrolInput(serializers.Serializer):
    companies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=company_public_list(), allow_empty=False,
        help_text="Ids of approved firms of the directory.",
    )  # fmt: skip


class EnrolOutput(serializers.Serializer):
    enrolled = serializers.SerializerMethodField(help_text="Ids of the firms enrolled now.")
    already_enrolled = serializers.SerializerMethodField(help_text="Ids of the firms that took part already.")
    not_notified = serializers.SerializerMethodField(
        help_text="Ids of the enrolled firms without a member account on Kizuna (nobody was notified)."
    )

    def get_enrolled(self, result) -> list[int]:
        return [c.pk for c in result.enrolled]

    def get_already_enrolled(self, result) -> list[int]:
        return [c.pk for c in result.already]

    def get_not_notified(self, result) -> list[int]:
        return [c.pk for c in result.unreachable]


class PublishInput(serializers.Serializer):
    fingerprint = serializers.CharField(
        required=False, max_length=64,
        help_text="The fingerprint of the pending changes you reviewed (GET publish); when the schedule changed "
        "since, nothing is published (400). Without it, the live schedule is published as it is.",
    )  # fmt: skip


class PlacementOutput(serializers.Serializer):
    """A meeting's place in one snapshot: UTC times, the mission's local start, the table's name."""

    slot = serializers.IntegerField(allow_null=True)
    start = serializers.CharField(allow_null=True)
    end = serializers.CharField(allow_null=True)
    local_start = serializers.CharField(allow_null=True)
    table = serializers.CharField(allow_null=True)


class MeetingChangeOutput(serializers.Serializer):
    meeting = serializers.IntegerField(source="id")
    a = serializers.IntegerField(source="a_id", allow_null=True, help_text="Participation id.")
    b = serializers.IntegerField(source="b_id", allow_null=True, help_text="Participation id.")
    a_name = serializers.CharField(source="a")
    b_name = serializers.CharField(source="b")
    before = PlacementOutput(allow_null=True, help_text="In the published version; null when added.")
    after = PlacementOutput(allow_null=True, help_text="In the live schedule; null when removed (cancelled).")
    told = serializers.BooleanField(help_text="A removal both firms were already told of (a firm cancelled).")


class ScheduleDiffOutput(serializers.Serializer):
    moved = MeetingChangeOutput(many=True)
    added = MeetingChangeOutput(many=True)
    removed = MeetingChangeOutput(many=True)
    firms = serializers.ListField(
        source="firm_ids", child=serializers.IntegerField(), help_text="Participations told when it is published."
    )


class PendingPublicationOutput(serializers.Serializer):
    base_version = serializers.IntegerField(source="base.number", allow_null=True, default=None)
    next_version = serializers.IntegerField(source="next_number")
    can_publish = serializers.BooleanField()
    fingerprint = serializers.CharField()
    diff = ScheduleDiffOutput()


class PublicationOutput(serializers.Serializer):
    version = serializers.IntegerField(source="version.number")
    created = serializers.BooleanField(help_text="False when nothing changed since the last version.")
    diff = ScheduleDiffOutput(help_text="What this publication changed (empty when nothing was created).")


class DashboardDayOutput(serializers.Serializer):
    day = serializers.DateField(help_text="The mission's local date.")
    joined = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Registered by the end of the day.")


class DashboardCountOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the language of the request.")
    count = serializers.IntegerField()


class DashboardDistributionOutput(serializers.Serializer):
    meetings = serializers.IntegerField()
    firms = serializers.IntegerField()


class DashboardSlotOutput(serializers.Serializer):
    slot = serializers.IntegerField(source="slot_id")
    start = ZonedDateTimeField(help_text="In the mission's zone.")
    at_table = serializers.IntegerField()
    without_table = serializers.IntegerField()


class DashboardOutput(serializers.Serializer):
    """The figures of events.selectors_dashboard (definitions in docs/missions.md)."""

    mission = serializers.IntegerField(source="mission_id")
    time_zone = serializers.CharField()
    participants = serializers.IntegerField()
    registrations = DashboardDayOutput(many=True)
    requests = DashboardCountOutput(many=True, help_text="Every status, zeros included.")
    requests_total = serializers.IntegerField()
    acceptance_rate = serializers.FloatField(
        allow_null=True, help_text="accepted / (accepted + declined); null while none was answered."
    )
    meetings_confirmed = serializers.IntegerField()
    meetings_placed = serializers.IntegerField()
    meetings_cancelled = serializers.IntegerField()
    meetings_per_firm = serializers.SerializerMethodField()
    tables = serializers.IntegerField()
    table_use = DashboardSlotOutput(many=True)
    countries = DashboardCountOutput(many=True)
    sectors = DashboardCountOutput(many=True)

    @extend_schema_field(DashboardDistributionOutput(many=True))
    def get_meetings_per_firm(self, dashboard) -> list[dict]:
        return [{"meetings": k, "firms": n} for k, n in dashboard.meetings_per_firm]
