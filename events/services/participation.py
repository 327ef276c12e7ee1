"""Writes on participation: joining, delegates, availability, the firm's own meeting limit."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from accounts.models import User
from companies.enums import CompanyStatus
from companies.models import Company
from companies.selectors import user_company
from events.enums import JoinedVia, MissionAction
from events.models import Delegate, DelegateUnavailability, MeetingSeat, Mission, Participation, Slot, Unavailability
from events.selectors import mission_can_manage
from events.services._common import require_manager, require_member_or_manager, require_unlocked
from events.services.phases import require_phase


def _require_open_for(user: User | None, participation: Participation) -> None:
    """Firms edit their participation in the phases that allow it; organisers (and the system) at any time."""
    require_member_or_manager(user=user, participation=participation)
    if user is not None and not mission_can_manage(user=user, mission=participation.mission):
        require_phase(participation.mission, MissionAction.EDIT_PARTICIPATION)


def _lock(participation: Participation) -> Participation:
    return (
        Participation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("mission")
        .get(pk=participation.pk)
    )


@transaction.atomic
def participation_join(*, mission: Mission, user: User, token: str) -> Participation:
    """Join with the mission's invitation link. Idempotent: joining twice returns the same participation."""
    if not constant_time_compare(token, mission.invitation_token):
        raise PermissionDenied(_("This invitation link is not valid."))
    company = user_company(user)
    if company is None:
        raise ValidationError({"non_field_errors": [_("Create your company profile before joining a mission.")]})
    return participation_add(mission=mission, company=company, via=JoinedVia.INVITATION)


def participation_add(
    *, mission: Mission, company: Company, via: str = JoinedVia.ORGANISER, user: User | None = None
) -> Participation:
    """Add an approved company: by invitation while the mission takes registrations, by the organisers
    (directory, import) until the schedule is published."""
    if user is not None:
        require_manager(user=user, mission=mission)
    if company.status != CompanyStatus.APPROVED:
        raise ValidationError({"non_field_errors": [_("Only approved company profiles can join a mission.")]})
    existing = Participation.objects.filter(mission=mission, company=company).first()
    if existing is not None:  # joining twice, or a double click: the same participation
        return existing
    require_phase(mission, MissionAction.JOIN if via == JoinedVia.INVITATION else MissionAction.ENROL)
    try:
        with transaction.atomic():
            participation, _created = Participation.objects.get_or_create(
                mission=mission, company=company, defaults={"joined_via": via}
            )
    except IntegrityError:  # joined at the same moment in another request
        participation = Participation.objects.get(mission=mission, company=company)
    return participation


@transaction.atomic
def participation_update(*, participation: Participation, user: User | None, data: dict[str, Any]) -> Participation:
    _require_open_for(user, participation)
    participation = _lock(participation)
    if "max_meetings" in data:
        value = data["max_meetings"]
        if value is not None and value < 0:
            raise ValidationError({"max_meetings": [_("Give a positive number or leave it empty.")]})
        participation.max_meetings = value
    participation.save()
    return participation


def _seats_in_use(participation: Participation) -> int:
    """The most meetings the firm holds at once in any slot."""
    counts = MeetingSeat.objects.filter(participation=participation).values("slot").annotate(n=Count("id"))
    return max((row["n"] for row in counts), default=0)


@transaction.atomic
def delegates_set(
    *, participation: Participation, user: User | None, delegates: list[dict[str, str]]
) -> list[Delegate]:
    """Replace the delegate list ({name, email, role} each). Fewer delegates than meetings already
    placed at one time is refused: the firm could not attend them."""
    _require_open_for(user, participation)
    participation = _lock(participation)
    require_unlocked(participation.mission)
    errors = [
        _("Row %(n)d: a delegate needs a name.") % {"n": i}
        for i, d in enumerate(delegates, 1)
        if not d.get("name", "").strip()
    ]
    if errors:
        raise ValidationError({"delegates": errors})
    in_use = _seats_in_use(participation)
    if max(1, len(delegates)) < in_use:
        raise ValidationError(
            {
                "delegates": [
                    _("%(n)d meetings are placed at the same time; keep at least %(n)d delegates.") % {"n": in_use}
                ]
            }
        )
    kept, new = delegates_match(participation, delegates)
    _require_present_for_meetings(participation, kept, len(delegates))
    return delegates_replace(participation, kept, new)


def delegates_replace(participation: Participation, kept: list[Delegate], new: list[Delegate]) -> list[Delegate]:
    """Write a matched list (delegates_match): the kept rows keep their unavailability."""
    participation.delegates.exclude(pk__in=[d.pk for d in kept]).delete()
    Delegate.objects.bulk_update(kept, ["name", "email", "role"])
    return sorted(kept + Delegate.objects.bulk_create(new), key=lambda d: d.pk)


def delegates_match(participation: Participation, rows: list[dict[str, Any]]) -> tuple[list[Delegate], list[Delegate]]:
    """Rows matched to the firm's delegates (kept with their unavailability), and new ones. A row
    with an `id` keeps that delegate, whatever its new name (a rename); the others keep the
    delegate of the same name not claimed yet, or add one."""
    by_pk = {d.pk: d for d in participation.delegates.order_by("id")}
    claimed = _claimed_by_id(rows, by_pk)
    existing: dict[str, list[Delegate]] = {}
    for d in by_pk.values():
        if d.pk not in claimed.values():
            existing.setdefault(d.name.strip().casefold(), []).append(d)
    kept: list[Delegate] = []
    new: list[Delegate] = []
    for i, row in enumerate(rows):
        name = row["name"].strip()
        if i in claimed:
            delegate = by_pk[claimed[i]]
        else:
            same = existing.get(name.casefold())
            delegate = same.pop(0) if same else Delegate(participation=participation)
        delegate.name, delegate.email, delegate.role = name, row.get("email") or "", row.get("role") or ""
        (kept if delegate.pk else new).append(delegate)
    return kept, new


def _claimed_by_id(rows: list[dict[str, Any]], by_pk: dict[int, Delegate]) -> dict[int, int]:
    """Row index -> the id of the firm's delegate it names; an id that is not one of them, or named
    twice, is a field error."""
    claimed: dict[int, int] = {}
    errors = []
    for i, row in enumerate(rows):
        pk = row.get("id")
        if pk is None:
            continue
        if pk not in by_pk:
            errors.append(_("Row %(n)d: %(id)s is not one of this firm's delegates.") % {"n": i + 1, "id": pk})
        elif pk in claimed.values():
            errors.append(_("Row %(n)d: delegate %(id)s is in the list twice.") % {"n": i + 1, "id": pk})
        else:
            claimed[i] = pk
    if errors:
        raise ValidationError({"delegates": errors})
    return claimed


def _require_present_for_meetings(participation: Participation, kept: list[Delegate], total: int) -> None:
    """Refuse a list that leaves fewer delegates present in a slot than meetings placed there."""
    from events.services.availability import capacity_conflicts  # it builds on this module

    away: dict[int, int] = {}
    for slot_id in DelegateUnavailability.objects.filter(delegate__in=kept).values_list("slot_id", flat=True):
        away[slot_id] = away.get(slot_id, 0) + 1
    conflicts = capacity_conflicts(participation, {s: total - n for s, n in away.items()})
    if conflicts:
        raise ValidationError(
            {"delegates": [_("Too few of these delegates are present when meetings are placed:")]
             + [c.describe(participation) for c in conflicts]}
        )  # fmt: skip


@transaction.atomic
def availability_set(*, participation: Participation, user: User | None, available_slot_ids: set[int]) -> set[int]:
    """Mark the firm available in exactly these slots of the mission (unavailable in the others)."""
    _require_open_for(user, participation)
    participation = _lock(participation)
    require_unlocked(participation.mission)
    slots = set(Slot.objects.filter(mission_id=participation.mission_id).values_list("id", flat=True))
    unknown = set(available_slot_ids) - slots
    if unknown:
        raise ValidationError({"slots": [_("Unknown slots: %(ids)s.") % {"ids": ", ".join(map(str, sorted(unknown)))}]})
    unavailable = slots - set(available_slot_ids)
    busy = set(
        MeetingSeat.objects.filter(participation=participation, slot_id__in=unavailable).values_list(
            "slot_id", flat=True
        )
    )
    if busy:
        raise ValidationError(
            {
                "slots": [
                    _("Meetings are placed in slots you marked unavailable; ask the organisers to move them first.")
                ]
            }
        )
    participation.unavailabilities.all().delete()
    Unavailability.objects.bulk_create(
        Unavailability(participation=participation, slot_id=s) for s in sorted(unavailable)
    )
    return slots - unavailable
