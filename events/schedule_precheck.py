"""The scheduler's pre-check (events/scheduler/precheck.py) on a mission, in the organiser's words.

The engine names meetings, participants and slots by database id; this module turns each finding
into a sentence in the active language with firm names and times in the mission's zone, and the
meetings it concerns, for the scheduling page. The API and the run statistics keep the engine's
plain findings (`precheck_findings`).
"""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from events.enums import MeetingStatus
from events.models import Meeting, Mission, Participation, Slot
from events.schedule_problem import MissionProblem, mission_schedule_problem


def precheck_findings(built: MissionProblem) -> list[dict[str, Any]]:
    """The engine's findings on a built mission problem, as plain dicts (docs/scheduling.md)."""
    from events.scheduler import io
    from events.scheduler.precheck import precheck

    return [f.as_dict() for f in precheck(io.problem_from_dict(built.problem))]


# A short title per kind of finding, for the badge in front of its sentence.
KIND_LABELS = {
    "no_common_slot": gettext_noop("No common time"),
    "pinned": gettext_noop("Fixed time impossible"),
    "table_conflict": gettext_noop("Table conflict"),
    "fixed_over_capacity": gettext_noop("Too few delegates"),
    "fixed_table_clash": gettext_noop("Same table"),
    "fixed_over_tables": gettext_noop("Too few tables"),
    "required_over_seats": gettext_noop("Must-meet over capacity"),
    "over_seats": gettext_noop("Over capacity"),
}


# Findings where a fixed meeting, as it stands in the schedule, breaks a hard rule (a firm without a
# delegate present, a table taken twice, too many meetings in a slot). A computation could neither
# keep nor honour it, so it is refused until the organisers move or unpin it
# (events.services.schedule_run_start); the other findings only announce meetings left out.
BLOCKING_KINDS = frozenset({"pinned", "fixed_over_capacity", "fixed_table_clash", "fixed_over_tables"})


@dataclass(frozen=True)
class PrecheckRow:
    """One finding: its kind, a sentence, and its meetings as (id, "Firm A – Firm B", fixed reason)."""

    kind: str
    sentence: str
    meetings: list[tuple[int, str, str]]

    @property
    def label(self) -> str:
        return _(KIND_LABELS[self.kind])

    @property
    def is_blocking(self) -> bool:
        return self.kind in BLOCKING_KINDS

    def describe(self) -> str:
        """The sentence and its meetings, for a message."""
        return f"{self.sentence} ({', '.join(f'#{m} {label}' for m, label, _why in self.meetings)})"


def schedule_precheck(*, mission: Mission) -> list[PrecheckRow]:
    built = mission_schedule_problem(mission=mission)
    findings = precheck_findings(built)
    if not findings:
        return []
    # A firm unavailable at every time explains its meetings better than "never both available".
    n_slots = len(built.problem["slots"])
    never = {p["id"] for p in built.problem["participants"] if len(p["unavailable"]) >= n_slots}
    parties = {m["id"]: m["participants"] for m in built.problem["meetings"]}
    meeting_ids = {m for f in findings for m in f["meetings"]}
    meetings = Meeting.objects.filter(mission=mission, pk__in=meeting_ids, status=MeetingStatus.CONFIRMED)
    labels = {m.pk: (f"{m.a.company.name} – {m.b.company.name}", m.pinned_reason)
              for m in meetings.select_related("a__company", "b__company")}  # fmt: skip
    firms = dict(Participation.objects.filter(mission=mission).values_list("pk", "company__name"))
    zone = ZoneInfo(mission.time_zone)
    slot_ids = {f["slot"] for f in findings if f["slot"] is not None}
    times = {s.pk: date_format(s.start.astimezone(zone), "DAY_MONTH_TIME_FORMAT")
             for s in Slot.objects.filter(pk__in=slot_ids)}  # fmt: skip
    rows = []
    for f in findings:
        words = {"firm": firms.get(f["participant"], ""), "time": times.get(f["slot"], ""), "n": f["count"],
                 "limit": f["limit"], "out": f["count"] - f["limit"]}  # fmt: skip
        if f["kind"] == "no_common_slot":
            away = [p for p in parties.get(f["meetings"][0], []) if p in never]
            words["firm"] = firms.get(away[0], "") if away else ""
        listed = [(m, *labels[m]) for m in f["meetings"] if m in labels]
        rows.append(PrecheckRow(f["kind"], _sentence(f["kind"], words), listed))
    return rows


def _sentence(kind: str, w: dict[str, Any]) -> str:
    if kind == "no_common_slot" and w["firm"]:
        return _("%(firm)s is unavailable at every time of the mission.") % w
    if kind == "no_common_slot":
        return _("Its two firms are never both available in a slot this meeting may use.")
    if kind == "pinned" and w["firm"]:
        return _("Fixed at %(time)s, when %(firm)s is unavailable (no delegate present).") % w
    if kind == "pinned":
        return _("Fixed at %(time)s, outside the times allowed for it or without its table.") % w
    if kind == "table_conflict":
        return _("Its firms host at different tables (or it is fixed at another table).")
    if kind == "fixed_over_capacity":
        return (
            ngettext(
                "%(n)d meetings of %(firm)s are fixed at %(time)s, when it has %(limit)d delegate present.",
                "%(n)d meetings of %(firm)s are fixed at %(time)s, when it has %(limit)d delegates present.",
                w["limit"],
            )
            % w
        )
    if kind == "fixed_table_clash":
        return _("%(n)d meetings are fixed at the same table at %(time)s.") % w
    if kind == "fixed_over_tables":
        return (
            ngettext(
                "%(n)d meetings are fixed at %(time)s, which has %(limit)d table.",
                "%(n)d meetings are fixed at %(time)s, which has %(limit)d tables.",
                w["limit"],
            )
            % w
        )
    if kind == "required_over_seats":
        return _("%(firm)s has %(n)d must-meet meetings but room for only %(limit)d in the times they may use "
                 "(delegates present × slots): at least %(out)d will be left out.") % w  # fmt: skip
    return _("%(firm)s has %(n)d meetings but room for only %(limit)d in the times they may use "
             "(delegates present × slots): at least %(out)d will be left out.") % w  # fmt: skip
