"""Page forms: they parse what people type; the rules live in events.services."""

import datetime as dt
import hashlib
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from companies.forms import DirectoryFilterForm
from companies.import_files import ENCODING_CHOICES
from companies.labels import label
from companies.selectors import company_public_list
from config.limits import INT_MAX, SMALLINT_MAX
from events import mission_checks
from events.agenda import viewer_zone_clean
from events.enums import MeetingOutcomeChoice, MissionPhase, Priority
from events.models import (
    CANCEL_REASON_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PIN_REASON_MAX_LENGTH,
    Meeting,
    Mission,
    Participation,
    Slot,
    Table,
)

DAY_ROWS = 5  # date inputs shown for a new mission; one more than the mission has when editing
SESSION_ROWS = 3


def _rows(data: Any, prefix: str, have: int, minimum: int) -> int:
    """How many numbered inputs to show: at least `minimum`, one more than the mission has, and as
    many as were posted (a form re-shown with errors keeps every row typed)."""
    posted = [int(m.group(1)) for key in (data or {}) if (m := re.match(rf"^{prefix}_(\d+)", key))]
    return min(max(minimum, have + 1, *posted, 0), 60)


class MissionForm(forms.Form):
    """A mission's setup with real widgets: date inputs per day, start and end time inputs per
    session, a time zone with the list of IANA zones to pick from. Typed text is read leniently
    (events.mission_checks): dates day first (12/04/2027) or ISO, "9:00-12:00" in a start field,
    "JST", "Tokyo" or "UTC+9" as Asia/Tokyo. `warnings()` lists what deserves a second look before
    saving; the page saves only once "Save anyway" is ticked for exactly those warnings."""

    ERROR_FIELDS = {"days": "day_1", "sessions": "session_1_start"}
    """The services name the lists; the page shows their errors at the first row."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    time_zone = forms.CharField(
        label=_("Time zone"), max_length=64,
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Type to search: Asia/Tokyo, Europe/Berlin; “Tokyo”, “JST” or “UTC+9” also work."),
    )  # fmt: skip
    meeting_minutes = forms.IntegerField(label=_("Meeting length (minutes)"), min_value=1, max_value=600)
    break_minutes = forms.IntegerField(
        label=_("Break between meetings (minutes)"), min_value=0, max_value=600, initial=0
    )
    tables = forms.CharField(
        label=_("Tables or rooms"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("One name per line, or leave empty and give a number below."),
    )  # fmt: skip
    table_count = forms.IntegerField(label=_("Number of tables"), min_value=0, max_value=500, required=False)
    max_requests_per_firm = forms.IntegerField(
        label=_("Requests a firm may send"), min_value=0, max_value=SMALLINT_MAX, required=False
    )
    max_meetings_per_firm = forms.IntegerField(
        label=_("Meetings a firm may have"), min_value=0, max_value=SMALLINT_MAX, required=False
    )
    confirm_warnings = forms.BooleanField(label=_("Save anyway"), required=False)
    warnings_seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        have_days = len(self.initial.get("day_list", []))
        have_sessions = len(self.initial.get("session_list", []))
        self.day_rows = _rows(self.data, "day", have_days, DAY_ROWS)
        self.session_rows = _rows(self.data, "session", have_sessions, SESSION_ROWS)
        for i in range(1, self.day_rows + 1):
            self.fields[f"day_{i}"] = forms.CharField(
                label=_("Day %(n)s") % {"n": i}, required=False, max_length=20,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )  # fmt: skip
        for i in range(1, self.session_rows + 1):
            self.fields[f"session_{i}_start"] = forms.CharField(
                label=_("Session %(n)s starts") % {"n": i}, required=False, max_length=20,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )  # fmt: skip
            self.fields[f"session_{i}_end"] = forms.CharField(
                label=_("Session %(n)s ends") % {"n": i}, required=False, max_length=20,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )  # fmt: skip
        for i, day in enumerate(self.initial.get("day_list", []), start=1):
            self.initial[f"day_{i}"] = day
        for i, (start, end) in enumerate(self.initial.get("session_list", []), start=1):
            self.initial[f"session_{i}_start"], self.initial[f"session_{i}_end"] = start, end

    @property
    def day_fields(self) -> list[forms.BoundField]:
        return [self[f"day_{i}"] for i in range(1, self.day_rows + 1)]

    @property
    def session_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"session_{i}_start"], self[f"session_{i}_end"]) for i in range(1, self.session_rows + 1)]

    def clean_time_zone(self) -> str:
        typed = self.cleaned_data["time_zone"]
        zone = mission_checks.zone_from_text(typed)
        if zone is None:
            raise ValidationError(
                _("“%(value)s” is not a time zone: pick one from the list, or type a city (Tokyo) or JST.")
                % {"value": typed}
            )
        return zone

    @property
    def time_zone_read(self) -> str:
        """The zone a typed alias was read as ("JST" -> Asia/Tokyo), to show beside the field."""
        typed = (self.data.get("time_zone") or "").strip() if self.is_bound else ""
        zone = getattr(self, "cleaned_data", {}).get("time_zone", "")
        return zone if typed and zone and zone != typed else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["days"] = self._clean_days(data)
        data["sessions"] = self._clean_sessions(data)
        return data

    def _clean_days(self, data: dict[str, Any]) -> list[dt.date]:
        days = []
        for i in range(1, self.day_rows + 1):
            typed = (data.get(f"day_{i}") or "").strip()
            if not typed:
                continue
            day = mission_checks.date_from_text(typed)
            if day is None:
                self.add_error(
                    f"day_{i}", _("“%(value)s” is not a date: 2027-04-12 or 12/04/2027 (day first).") % {"value": typed}
                )
            else:
                days.append(day)
        if not days and not any(f"day_{i}" in self.errors for i in range(1, self.day_rows + 1)):
            self.add_error("day_1", _("Give at least one day."))
        return days

    def _clean_sessions(self, data: dict[str, Any]) -> list[tuple[dt.time, dt.time]]:
        sessions = []
        for i in range(1, self.session_rows + 1):
            typed_start = (data.get(f"session_{i}_start") or "").strip()
            typed_end = (data.get(f"session_{i}_end") or "").strip()
            if not typed_start and not typed_end:
                continue
            both = mission_checks.session_from_text(typed_start) if not typed_end else None
            start = both[0] if both else mission_checks.time_from_text(typed_start)
            end = both[1] if both else mission_checks.time_from_text(typed_end)
            if start is None:
                self.add_error(f"session_{i}_start", _time_error(typed_start, _("Give the start time.")))
            if end is None:
                self.add_error(f"session_{i}_end", _time_error(typed_end, _("Give the end time.")))
            if start is not None and end is not None:
                sessions.append((start, end))
        if not sessions and not any(key.startswith("session_") for key in self.errors):
            self.add_error("session_1_start", _("Give at least one session."))
        return sessions

    def warnings(self, *, today: dt.date, countries: Any = (), language: str = "en") -> list[str]:
        """What deserves a second look (events.mission_checks), in the page's words; call after is_valid()."""
        data = self.cleaned_data
        plan = mission_checks.MissionPlan(
            days=data["days"], sessions=data["sessions"], meeting_minutes=data["meeting_minutes"],
            break_minutes=data.get("break_minutes") or 0, zone=data["time_zone"], countries=countries,
        )  # fmt: skip
        return [warning_text(w) for w in mission_checks.mission_warnings(plan, today=today, language=language)]

    @staticmethod
    def warnings_fingerprint(warnings: list[str]) -> str:
        return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16]

    def warnings_confirmed(self, warnings: list[str]) -> bool:
        """ "Save anyway" was ticked on the page that showed exactly these warnings."""
        seen = self.cleaned_data.get("warnings_seen", "")
        return bool(self.cleaned_data.get("confirm_warnings")) and seen == self.warnings_fingerprint(warnings)

    def service_data(self) -> dict:
        from events.services import table_names_from_count

        data = {key: value for key, value in self.cleaned_data.items() if not _FORM_ONLY.match(key)}
        count = data.pop("table_count")
        if not data["tables"] and count:
            data["tables"] = table_names_from_count(count)
        return data

    def clean_tables(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["tables"].splitlines() if line.strip()]

    @classmethod
    def initial_for(cls, mission: Mission) -> dict:
        return {
            **{f: getattr(mission, f) for f in EDITABLE},
            "day_list": [d.date.isoformat() for d in mission.days.all()],
            "session_list": [(f"{s.start_time:%H:%M}", f"{s.end_time:%H:%M}") for s in mission.sessions.all()],
            "tables": "\n".join(t.name for t in mission.tables.all()),
        }  # fmt: skip


def _time_error(typed: str, missing: str) -> str:
    return _("“%(value)s” is not a time like 09:00.") % {"value": typed} if typed else missing


_FORM_ONLY = re.compile(r"^(day_\d+|session_\d+_(start|end)|confirm_warnings|warnings_seen)$")


def warning_text(warning: mission_checks.MissionWarning) -> str:
    """A warning of events.mission_checks in the page's language, dates in its format."""
    values = dict(warning.values)
    day = values.get("day")
    if isinstance(day, dt.date):
        values["day"] = f"{date_format(day, 'DATE_FORMAT')} ({date_format(day, 'l')})"
    for key in ("start", "end"):
        if isinstance(values.get(key), dt.time):
            values[key] = f"{values[key]:%H:%M}"
    if "country" in values:
        values["country"] = label("country", str(values["country"]))
    return str(MISSION_WARNING_TEXTS[warning.code]) % values


MISSION_WARNING_TEXTS = {
    "session_no_slot": _(
        "Session %(start)s–%(end)s is shorter than one meeting (%(minutes)s minutes): it holds no slot."
    ),
    "no_slots": _("No meeting fits in any session: the mission would have no slot at all."),
    "past_day": _("%(day)s is in the past."),
    "weekend": _("%(day)s is a weekend day."),
    "holiday": _("%(day)s is a public holiday in %(country)s: %(name)s."),
}


EDITABLE = (
    "title", "description", "city", "venue", "time_zone", "meeting_minutes", "break_minutes",
    "max_requests_per_firm", "max_meetings_per_firm",
)  # fmt: skip


class PhaseMoveForm(forms.Form):
    to = forms.ChoiceField(choices=MissionPhase.choices, widget=forms.HiddenInput)
    expected = forms.ChoiceField(choices=MissionPhase.choices, widget=forms.HiddenInput)


class PhasePlanForm(forms.Form):
    """One optional date per phase the organisers can plan; firms see these dates."""

    def __init__(self, *args, **kwargs):
        from events.services.phases import PLANNABLE

        super().__init__(*args, **kwargs)
        for phase in PLANNABLE:
            self.fields[phase] = forms.DateField(
                label=MissionPhase(phase).label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    @classmethod
    def initial_for(cls, mission: Mission) -> dict:
        return dict(mission.phase_plans.values_list("phase", "starts_on"))


class DelegationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Delegation list (CSV or Excel .xlsx)"),
        help_text=_("Comma, semicolon or tab separated; headers in English or Japanese."),
    )
    encoding = forms.ChoiceField(label=_("Encoding of a CSV file"), choices=ENCODING_CHOICES, required=False)


class DelegateForm(forms.Form):
    # The delegate this row edits: renaming keeps the delegate and its unavailability.
    id = forms.IntegerField(required=False, min_value=1, max_value=INT_MAX, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.CharField(label=_("Role"), max_length=200, required=False)


DelegateFormSet = forms.formset_factory(DelegateForm, extra=2, can_delete=True)


class MaxMeetingsForm(forms.Form):
    max_meetings = forms.IntegerField(
        label=_("Most meetings wanted"), min_value=0, max_value=SMALLINT_MAX, required=False
    )


class AvailabilityForm(forms.Form):
    slots = forms.ModelMultipleChoiceField(
        queryset=Slot.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].queryset = Slot.objects.filter(mission=mission, removed=False)


class DelegateAvailabilityForm(forms.Form):
    """A box per delegate and slot, named `present-<delegate id>`, valued the slot id, ticked when the
    delegate attends then. `cleaned_data["unavailable"]`: delegate id -> the slot ids left unticked."""

    def __init__(self, *args, participation: Participation, **kwargs):
        super().__init__(*args, **kwargs)
        self.delegates = list(participation.delegates.values_list("pk", flat=True))
        self.slots = set(Slot.objects.filter(mission_id=participation.mission_id, removed=False)
                         .values_list("pk", flat=True))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unavailable = {}
        for delegate in self.delegates:
            values = self.data.getlist(f"present-{delegate}") if hasattr(self.data, "getlist") else []
            if not all(v.isascii() and v.isdecimal() for v in values):
                raise ValidationError(_("The form was changed: reload the page and try again."))
            present = {int(v) for v in values}
            if present - self.slots:
                raise ValidationError(_("Some times are no longer part of the mission: reload the page."))
            unavailable[delegate] = self.slots - present
        data["unavailable"] = unavailable
        return data


class MeetingRequestForm(forms.Form):
    recipient = forms.ModelChoiceField(label=_("Firm"), queryset=Participation.objects.none())
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=2000
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM)

    def __init__(self, *args, requester: Participation, **kwargs):
        super().__init__(*args, **kwargs)
        others = Participation.objects.filter(mission_id=requester.mission_id).exclude(pk=requester.pk)
        self.fields["recipient"].queryset = others.select_related("company")
        self.fields["recipient"].label_from_instance = lambda p: p.company.name


class AcceptForm(forms.Form):
    priority = forms.ChoiceField(label=_("Your priority"), choices=Priority.choices, initial=Priority.MEDIUM)


def _participants(mission: Mission) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=Participation.objects.filter(mission=mission).select_related("company"))
    field.label_from_instance = lambda p: p.company.name
    return field


class MeetingCreateForm(forms.Form):
    required = forms.BooleanField(label=_("Must meet"), required=False)

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"a": _participants(mission), "b": _participants(mission), **self.fields}
        self.fields["a"].label, self.fields["b"].label = _("Firm"), _("Meets firm")


STALE_MEETING = _("This meeting is not in this mission any more; reload the page.")


class _MeetingForm(forms.Form):
    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = forms.ModelChoiceField(
            queryset=Meeting.objects.filter(mission=mission), widget=forms.HiddenInput,
            error_messages={"invalid_choice": STALE_MEETING},
        )  # fmt: skip


class MoveForm(_MeetingForm):
    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, mission=mission, **kwargs)
        # A Move needs a slot; taking a meeting out of the schedule is the separate "unplace" action.
        self.fields["slot"] = forms.ModelChoiceField(
            label=_("Slot"), queryset=Slot.objects.filter(mission=mission),
            error_messages={"required": _("Choose a slot to move the meeting to."),
                            "invalid_choice": _("This slot is not part of this mission; reload the page.")},
        )  # fmt: skip
        self.fields["table"] = forms.ModelChoiceField(
            label=_("Table"), queryset=Table.objects.filter(mission=mission), required=False,
            error_messages={"invalid_choice": _("This table is not part of this mission; reload the page.")},
        )  # fmt: skip


class SwapForm(_MeetingForm):
    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, mission=mission, **kwargs)
        self.fields["other"] = forms.ModelChoiceField(
            label=_("Swap with meeting"), queryset=Meeting.objects.filter(mission=mission),
            error_messages={"invalid_choice": STALE_MEETING},
        )  # fmt: skip


class MeetingActionForm(_MeetingForm):
    """Unplace or unpin: only the meeting."""


class PinForm(_MeetingForm):
    """Pin (fix) a meeting where it is, saying why; pinning a pinned meeting again changes the reason."""

    reason = forms.CharField(
        label=_("Reason for fixing it"), max_length=PIN_REASON_MAX_LENGTH, required=False,
        help_text=_("E.g. ministry slot, site visit. Both firms read it on their agenda."),
    )  # fmt: skip


class GridFilterForm(forms.Form):
    """What the schedule grid shows (GET): a firm highlighted, one table, one day, a display zone."""

    firm = forms.IntegerField(required=False, min_value=1, max_value=INT_MAX)
    table = forms.IntegerField(required=False, min_value=1, max_value=INT_MAX)
    day = forms.DateField(required=False)
    tz = forms.CharField(required=False, max_length=64)
    meeting = forms.IntegerField(required=False, min_value=1, max_value=INT_MAX)

    def clean_tz(self) -> str | None:
        try:
            return viewer_zone_clean(self.cleaned_data["tz"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["tz"]) from exc


class MeetingCancelForm(forms.Form):
    """Why a meeting is called off: the firms read it in their notification."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=CANCEL_REASON_MAX_LENGTH,
        help_text=_("Short and polite: it is sent as you write it."),
    )  # fmt: skip


class RestrictForm(_MeetingForm):
    """Limit a meeting to some days and sessions; nothing chosen lifts the limit."""

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, mission=mission, **kwargs)
        self.mission = mission
        self.fields["days"] = forms.MultipleChoiceField(
            label=_("Only on these days"), required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(d.date.isoformat(), d.date.isoformat()) for d in mission.days.all()],
        )  # fmt: skip
        self.fields["sessions"] = forms.MultipleChoiceField(
            label=_("Only in these sessions"), required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(str(s.pk), str(s)) for s in mission.sessions.all()],
        )  # fmt: skip

    def clean(self):
        data = super().clean()
        days, sessions = data.get("days") or [], data.get("sessions") or []
        slots = Slot.objects.filter(mission=self.mission, removed=False)
        if days:
            slots = slots.filter(day__in=days)
        if sessions:
            slots = slots.filter(session_id__in=[int(s) for s in sessions])
        data["slots"] = list(slots) if (days or sessions) else []
        return data


class PublishForm(forms.Form):
    """The fingerprint of the changes the organiser reviewed (events.publication.schedule_pending)."""

    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)


class ScheduleRunForm(forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=600, initial=30,
        help_text=_("The scheduler stops at this limit with the best schedule found; it stops sooner when it proves "
                    "the schedule optimal."),
    )  # fmt: skip
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=INT_MAX,
        initial=0,
        help_text=_("The same data and seed give the same schedule."),
    )


class SolutionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Solution file (JSON)"),
        help_text=_("The JSON file an external solver wrote for this mission's scheduling problem."),
    )


class MeetingOutcomeForm(forms.Form):
    """A firm's answer on a meeting it held; one form per meeting on the agenda page."""

    outcome = forms.ChoiceField(
        label=_("How did the meeting go?"), choices=MeetingOutcomeChoice.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note for the Kizuna team (optional)"),
        help_text=_("Only the Kizuna administrators read it, never the other firm."),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OrganiserAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail of the organiser to add"),
        help_text=_("They need a Kizuna account with the organiser role; they are notified when added."),
    )


class EnrolSearchForm(DirectoryFilterForm):
    """The directory search of the "Add firms" page: names in either script or any profile text,
    country and sector (GET); an invalid value is ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("side", "stage", "material", "partnership_type"):
            del self.fields[name]


class EnrolForm(forms.Form):
    companies = forms.ModelMultipleChoiceField(
        queryset=company_public_list(),
        error_messages={
            "required": _("Select at least one firm."),
            "invalid_choice": _("%(value)s is not an approved firm of the directory."),
        },
    )
