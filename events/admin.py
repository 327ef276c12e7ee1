"""Django admin for missions: a place to look, not to edit.

Missions, slots, participants and meetings change only through the organiser pages and the API,
which call the services: those regenerate slots when timings change, keep each firm's meeting
seats, refuse edits while the scheduler runs and record (and e-mail) changes after publishing.
Editing rows here would bypass all of that, so every model is read-only.
"""

from django.contrib import admin
from django.http import HttpRequest

from events.models import (
    Delegate,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    Mission,
    MissionDay,
    Participation,
    ScheduleChange,
    ScheduleVersion,
    Session,
    Slot,
    Table,
)


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0


class MissionDayInline(ReadOnlyInline):
    model = MissionDay


class SessionInline(ReadOnlyInline):
    model = Session


class TableInline(ReadOnlyInline):
    model = Table
    fk_name = "mission"


@admin.register(Mission)
class MissionAdmin(ReadOnlyAdmin):
    list_display = ["title", "city", "time_zone", "phase", "meeting_minutes", "scheduling_locked", "created_at"]
    list_filter = ["phase", "time_zone"]
    search_fields = ["title", "city", "venue"]
    exclude = ["invitation_token"]
    inlines = [MissionDayInline, SessionInline, TableInline]


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ["start", "end", "mission", "day", "index", "removed"]
    list_filter = ["mission", "removed"]
    list_select_related = ["mission"]


class DelegateInline(ReadOnlyInline):
    model = Delegate


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["company", "mission", "max_meetings", "joined_via", "created_at"]
    list_filter = ["mission", "joined_via"]
    list_select_related = ["company", "mission"]
    search_fields = ["company__name", "company__name_ja"]
    inlines = [DelegateInline]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "requester", "recipient", "priority", "status", "source", "created_at"]
    list_filter = ["status", "source", "mission"]
    list_select_related = ["requester__company", "requester__mission", "recipient__company", "recipient__mission"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["id", "a", "b", "slot", "table", "status", "pinned", "required", "weight"]
    list_filter = ["status", "mission", "pinned", "required"]
    list_select_related = ["a__company", "a__mission", "b__company", "b__mission", "slot", "table"]


@admin.register(ScheduleVersion)
class ScheduleVersionAdmin(ReadOnlyAdmin):
    list_display = ["mission", "number", "created_at", "created_by", "notified"]
    list_filter = ["mission"]
    list_select_related = ["mission", "created_by"]


@admin.register(ScheduleChange)
class ScheduleChangeAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "kind", "mission", "user", "at", "notified"]
    list_filter = ["kind", "mission"]
    list_select_related = [
        "meeting__a__company", "meeting__a__mission", "meeting__b__company", "meeting__b__mission", "mission", "user",
    ]  # fmt: skip


@admin.register(MeetingOutcome)
class MeetingOutcomeAdmin(ReadOnlyAdmin):
    """The firms' answers on their meetings, with the notes only organisers and admins read."""

    list_display = ["meeting", "participation", "outcome", "note", "answered_by", "answered_at"]
    list_filter = ["outcome", "meeting__mission"]
    list_select_related = [
        "meeting__a__company", "meeting__a__mission", "meeting__b__company", "meeting__b__mission",
        "participation__company", "participation__mission", "answered_by",
    ]  # fmt: skip
