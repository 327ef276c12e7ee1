"""Organisers enrol firms from the company directory into a mission (besides the invitation link and
the delegation CSV import), and each enrolled firm's members are told to complete their participation."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import NotificationKind
from accounts.models import User
from accounts.services import notification_send
from companies.enums import CompanyStatus
from companies.models import Company
from companies.selectors import company_member_users
from events.enums import JoinedVia, MissionAction
from events.models import Mission, Participation
from events.services._common import require_manager, require_unlocked
from events.services.phases import require_phase

# One page of directory results is enrolled at a time; this bounds a hand-made API call too.
ENROL_MAX = 100


@dataclass(frozen=True)
class EnrolResult:
    """What one enrolment did: `enrolled` are new participants, `already` took part before, and
    `unreachable` (a part of `enrolled`) have no member account on Kizuna, so nobody was notified."""

    enrolled: list[Company] = field(default_factory=list)
    already: list[Company] = field(default_factory=list)
    unreachable: list[Company] = field(default_factory=list)


def _validate(mission: Mission, companies: list[Company]) -> None:
    require_phase(mission, MissionAction.ENROL)
    if not companies:
        raise ValidationError({"companies": [_("Select at least one firm.")]})
    if len(companies) > ENROL_MAX:
        raise ValidationError({"companies": [_("Enrol at most %(n)d firms at a time.") % {"n": ENROL_MAX}]})
    hidden = sorted(c.name for c in companies if c.status != CompanyStatus.APPROVED)
    if hidden:
        raise ValidationError({"companies": [
            _("Only approved profiles can join a mission: %(names)s") % {"names": ", ".join(hidden)}
        ]})  # fmt: skip


@transaction.atomic
def participations_enrol(*, mission: Mission, user: User | None, companies: list[Company]) -> EnrolResult:
    """Enrol the firms (joined via ORGANISER) in one transaction; firms taking part already are left
    as they are (enrolling twice does nothing). Every member of each new firm is notified."""
    require_manager(user=user, mission=mission)
    # The lock orders this enrolment after any other write on the mission (and a running schedule).
    mission = Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
    require_unlocked(mission)
    companies = list({c.pk: c for c in companies}.values())
    _validate(mission, companies)
    taken = set(mission.participations.filter(company__in=companies).values_list("company_id", flat=True))
    new = [c for c in companies if c.pk not in taken]
    # ignore_conflicts: a firm joining by its invitation link at this moment keeps its own row.
    Participation.objects.bulk_create(
        [Participation(mission=mission, company=c, joined_via=JoinedVia.ORGANISER) for c in new], ignore_conflicts=True
    )
    reachable = _notify(mission, new)
    by_name = sorted(new, key=lambda c: (c.name, c.pk))
    return EnrolResult(
        enrolled=by_name,
        already=sorted((c for c in companies if c.pk in taken), key=lambda c: (c.name, c.pk)),
        unreachable=[c for c in by_name if c.pk not in reachable],
    )


def _notify(mission: Mission, companies: list[Company]) -> set[int]:
    """Tell each firm's members, in one query for all the members; returns the ids of firms reached."""
    members: dict[int, list[User]] = defaultdict(list)
    users = company_member_users(company_ids=[c.pk for c in companies]).select_related("membership")
    for member in users:
        members[member.membership.company_id].append(member)
    link = reverse("events:my_participation", args=[mission.pk])
    for company in companies:
        if members[company.pk]:
            notification_send(
                recipients=members[company.pk], kind=NotificationKind.MISSION_ENROLLED,
                params={"mission": mission.title, "firm": company.name}, link=link,
            )  # fmt: skip
    return {pk for pk, users_ in members.items() if users_}
