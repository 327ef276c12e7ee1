"""Writes on missions: creation, sessions and days, slot generation, tables (phases: services.phases)."""

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config.text_input import name_refusal
from events.models import Meeting, Mission, MissionDay, Session, Slot, Table, Unavailability
from events.permissions import require_mission_creator
from events.services._common import require_manager, require_unlocked

MISSION_FIELDS = (
    "title", "description", "city", "venue", "time_zone", "meeting_minutes", "break_minutes",
    "max_requests_per_firm", "max_meetings_per_firm",
)  # fmt: skip
TIMING_FIELDS = ("time_zone", "meeting_minutes", "break_minutes", "days", "sessions")


@dataclass(frozen=True)
class SlotTime:
    session_start: time
    day: date
    index: int
    start: datetime
    end: datetime


def zone_validate(name: str) -> ZoneInfo:
    # ZoneInfo accepts some file names that are not zones (e.g. "zone.tab"); the list is the reference.
    if name not in available_timezones():
        raise ValidationError({"time_zone": [_("“%(name)s” is not an IANA time zone.") % {"name": name}]})
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError({"time_zone": [_("“%(name)s” is not an IANA time zone.") % {"name": name}]}) from exc


def sessions_validate(sessions: list[tuple[time, time]]) -> None:
    errors = []
    ordered = sorted(sessions)
    for start, end in ordered:
        if end <= start:
            errors.append(
                _("Session %(start)s–%(end)s ends before it starts.")
                % {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
            )
    for (s1, e1), (s2, e2) in zip(ordered, ordered[1:], strict=False):
        if s2 < e1:
            errors.append(
                _("Sessions %(a)s and %(b)s overlap.") % {"a": f"{s1:%H:%M}–{e1:%H:%M}", "b": f"{s2:%H:%M}–{e2:%H:%M}"}
            )
    if errors:
        raise ValidationError({"sessions": errors})


def mission_validate(data: dict[str, Any]) -> None:
    """Field-level checks the forms and the API share; raises ValidationError listing every problem."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: zone_validate(data["time_zone"]) if "time_zone" in data else None,
        lambda: sessions_validate(data["sessions"]) if "sessions" in data else None,
    ):
        try:
            check()
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if "meeting_minutes" in data and (data["meeting_minutes"] is None or data["meeting_minutes"] <= 0):
        errors.setdefault("meeting_minutes", []).append(_("A meeting must last at least one minute."))
    if "break_minutes" in data and (data["break_minutes"] is None or data["break_minutes"] < 0):
        errors.setdefault("break_minutes", []).append(_("The break cannot be negative."))
    if "title" in data and (refusal := name_refusal(str(data["title"]))):
        errors.setdefault("title", []).append(refusal)
    if "days" in data and not data["days"]:
        errors.setdefault("days", []).append(_("Give at least one day."))
    if "days" in data and len(set(data["days"])) != len(data["days"]):
        errors.setdefault("days", []).append(_("A day is listed twice."))
    if errors:
        raise ValidationError(errors)


def slot_times(
    *, days: list[date], sessions: list[tuple[time, time]], zone: ZoneInfo, meeting_minutes: int, break_minutes: int
) -> list[SlotTime]:
    """Every slot of the mission, in UTC.

    Session bounds are wall-clock times in the mission's zone; the slots inside a session are
    stepped in absolute time, so a meeting lasts `meeting_minutes` even across a DST change (a
    session shortened by a spring-forward night holds fewer slots).
    """
    length, step = timedelta(minutes=meeting_minutes), timedelta(minutes=meeting_minutes + break_minutes)
    result = []
    for day in sorted(days):
        for start_time, end_time in sorted(sessions):
            start = datetime.combine(day, start_time, tzinfo=zone).astimezone(UTC)
            end = datetime.combine(day, end_time, tzinfo=zone).astimezone(UTC)
            index, t = 0, start
            while t + length <= end:
                result.append(SlotTime(session_start=start_time, day=day, index=index, start=t, end=t + length))
                index, t = index + 1, t + step
    return result


def _has_placed_meetings(mission: Mission) -> bool:
    return Meeting.objects.filter(mission=mission, slot__isnull=False).exists()


def slots_generate(*, mission: Mission) -> list[Slot]:
    """(Re)create the slots from days × sessions. Removed flags and unavailabilities of slots that keep
    their times survive. Refused once meetings are placed, as their slots would vanish."""
    if _has_placed_meetings(mission):
        raise ValidationError(
            {"non_field_errors": [_("Slots cannot be regenerated once meetings are placed; unplace them first.")]}
        )
    old = list(Slot.objects.filter(mission=mission).values_list("id", "start", "end", "removed"))
    old_key = {pk: (start, end) for pk, start, end, _removed in old}
    removed = {(start, end) for _pk, start, end, was_removed in old if was_removed}
    absences = list(Unavailability.objects.filter(slot__mission=mission).values_list("participation_id", "slot_id"))
    Slot.objects.filter(mission=mission).delete()
    sessions = {s.start_time: s for s in Session.objects.filter(mission=mission)}
    times = slot_times(
        days=list(mission.days.values_list("date", flat=True)),
        sessions=[(s.start_time, s.end_time) for s in sessions.values()],
        zone=ZoneInfo(mission.time_zone),
        meeting_minutes=mission.meeting_minutes,
        break_minutes=mission.break_minutes,
    )
    slots = Slot.objects.bulk_create(
        Slot(
            mission=mission, session=sessions[t.session_start], day=t.day, index=t.index,
            start=t.start, end=t.end, removed=(t.start, t.end) in removed,
        )
        for t in times
    )  # fmt: skip
    new_by_key = {(s.start, s.end): s for s in slots}
    Unavailability.objects.bulk_create(
        Unavailability(participation_id=p, slot=new_by_key[old_key[s]]) for p, s in absences if old_key[s] in new_by_key
    )
    return slots


def _write_timing(mission: Mission, data: dict[str, Any]) -> None:
    if "days" in data:
        mission.days.all().delete()
        MissionDay.objects.bulk_create(MissionDay(mission=mission, date=d) for d in sorted(set(data["days"])))
    if "sessions" in data:
        Slot.objects.filter(mission=mission).delete()  # slots hang off sessions; regenerated below
        mission.sessions.all().delete()
        Session.objects.bulk_create(Session(mission=mission, start_time=s, end_time=e) for s, e in data["sessions"])


@transaction.atomic
def mission_create(*, user: User, data: dict[str, Any]) -> Mission:
    """Create a mission with its days, sessions, tables (names) and slots; `user` becomes an organiser."""
    require_mission_creator(user=user)
    mission_validate({**data, "days": data.get("days", []), "sessions": data.get("sessions", [])})
    mission = Mission(**{f: data[f] for f in MISSION_FIELDS if f in data}, invitation_token=secrets.token_urlsafe(24))
    mission.save()  # a new mission is a draft; phases move by events.services.phases.phase_move
    mission.organisers.add(user)
    _write_timing(mission, data)
    tables_replace(mission=mission, names=data.get("tables", []))
    slots_generate(mission=mission)
    return mission


@transaction.atomic
def mission_update(*, mission: Mission, user: User | None, data: dict[str, Any]) -> Mission:
    """Apply changed fields; a change of time zone, days, sessions or lengths regenerates the slots."""
    require_manager(user=user, mission=mission)
    mission = Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
    require_unlocked(mission)
    mission_validate(data)
    timing_changed = _timing_changed(mission, data)
    if timing_changed and _has_placed_meetings(mission):
        raise ValidationError(
            {"non_field_errors": [_("Times cannot change once meetings are placed; unplace them first.")]}
        )
    for f in MISSION_FIELDS:
        if f in data:
            setattr(mission, f, data[f])
    mission.save()
    _write_timing(mission, {k: data[k] for k in ("days", "sessions") if k in data and k in timing_changed})
    if "tables" in data:
        tables_replace(mission=mission, names=data["tables"])
    if timing_changed:
        slots_generate(mission=mission)
    return mission


def _timing_changed(mission: Mission, data: dict[str, Any]) -> set[str]:
    current = {
        "time_zone": mission.time_zone,
        "meeting_minutes": mission.meeting_minutes,
        "break_minutes": mission.break_minutes,
        "days": sorted(mission.days.values_list("date", flat=True)),
        "sessions": sorted(mission.sessions.values_list("start_time", "end_time")),
    }
    new = {k: sorted(data[k]) if k in ("days", "sessions") else data[k] for k in TIMING_FIELDS if k in data}
    new = {k: [tuple(v) for v in val] if k == "sessions" else val for k, val in new.items()}
    return {k for k, v in new.items() if current[k] != v}


def mission_scheduling_lock(*, mission: Mission, locked: bool) -> None:
    """Set by the scheduling task around its run (system call, no user)."""
    Mission.objects.filter(pk=mission.pk).update(scheduling_locked=locked)
    mission.scheduling_locked = locked


@transaction.atomic
def slot_set_removed(*, slot: Slot, user: User | None, removed: bool) -> Slot:
    """Remove a single slot from the schedule (or restore it). A slot holding meetings cannot be removed."""
    require_manager(user=user, mission=slot.mission)
    require_unlocked(slot.mission)
    slot = Slot.objects.select_for_update(no_key=True).get(pk=slot.pk)
    if removed and slot.meetings.exists():
        raise ValidationError({"removed": [_("Meetings are placed in this slot; move them first.")]})
    slot.removed = removed
    slot.save(update_fields=["removed"])
    return slot


def table_names_from_count(count: int) -> list[str]:
    return [_("Table %(n)d") % {"n": n} for n in range(1, count + 1)]


def tables_replace(*, mission: Mission, names: list[str]) -> list[Table]:
    """Make the mission's tables exactly `names`, keeping existing tables (and their hosts) by name."""
    names = [n.strip() for n in names if n.strip()]
    if len(set(names)) != len(names):
        raise ValidationError({"tables": [_("Each table needs its own name.")]})
    stale = Table.objects.filter(mission=mission).exclude(name__in=names)
    if Meeting.objects.filter(table__in=stale).exists():
        raise ValidationError({"tables": [_("A table that holds meetings cannot be removed.")]})
    stale.delete()
    existing = set(Table.objects.filter(mission=mission).values_list("name", flat=True))
    Table.objects.bulk_create(Table(mission=mission, name=n) for n in names if n not in existing)
    return list(Table.objects.filter(mission=mission))


@transaction.atomic
def table_create(*, mission: Mission, user: User | None, name: str, host_id: int | None = None) -> Table:
    require_manager(user=user, mission=mission)
    if refusal := name_refusal(name.strip()):
        raise ValidationError({"name": [refusal]})
    table = Table(mission=mission, name=name.strip())
    _set_host(table, host_id)
    try:
        with transaction.atomic():
            table.save()
    except IntegrityError as exc:
        raise ValidationError({"name": [_("Another table has this name.")]}) from exc
    return table


@transaction.atomic
def table_update(*, table: Table, user: User | None, data: dict[str, Any]) -> Table:
    """Rename a table or fix it to a host firm (`host_id`, None for none)."""
    require_manager(user=user, mission=table.mission)
    require_unlocked(table.mission)
    table = Table.objects.select_for_update(no_key=True).get(pk=table.pk)
    if "name" in data:
        table.name = data["name"].strip()
    if "host_id" in data:
        _set_host(table, data["host_id"])
        others = table.meetings.exclude(a_id=table.host_id).exclude(b_id=table.host_id)
        if table.host_id and others.exists():
            raise ValidationError(
                {"host_id": [_("Meetings of other firms are placed at this table; move them first.")]}
            )
    try:
        with transaction.atomic():
            table.save()
    except IntegrityError as exc:
        raise ValidationError({"name": [_("Another table has this name.")]}) from exc
    return table


def _set_host(table: Table, host_id: int | None) -> None:
    if host_id is not None and not table.mission.participations.filter(pk=host_id).exists():
        raise ValidationError({"host_id": [_("The host must take part in this mission.")]})
    table.host_id = host_id


@transaction.atomic
def table_delete(*, table: Table, user: User | None) -> None:
    require_manager(user=user, mission=table.mission)
    if table.meetings.exists():
        raise ValidationError({"non_field_errors": [_("A table that holds meetings cannot be removed.")]})
    table.delete()
