"""Who hears about what happens to a firm in a mission, and which page the notification opens.

The recipients are the members of the firm (companies.selectors.company_member_users); the notification is
written in the caller's transaction and e-mailed after commit (accounts.services.notification_send).
"""

from collections import defaultdict
from typing import Any

from django.urls import reverse

from accounts.enums import NotificationKind
from accounts.services import notification_send
from companies.models import Company
from companies.selectors import company_member_users
from events.models import Meeting, MeetingRequest, Mission, Participation
from events.schedule_diff import ScheduleDiff
from events.selectors import meeting_state, meetings_of_mission


def _requests_link(mission: Mission) -> str:
    return reverse("events:my_requests", args=[mission.pk])


def agenda_link(mission: Mission) -> str:
    return reverse("events:my_agenda", args=[mission.pk])


def firm_notify(*, party: Participation, kind: str, params: dict[str, Any], link: str, key: str = "") -> None:
    notification_send(
        recipients=company_member_users(company_ids=[party.company_id]), kind=kind, params=params, link=link, key=key
    )


def request_notify(*, request: MeetingRequest, kind: str, to_recipient: bool, **extra: Any) -> None:
    """Tell one side of a request what the other side did: the recipient firm (a new request, a withdrawal
    by the requester) or the requester (an answer, a withdrawal by the recipient)."""
    party, actor = (request.recipient, request.requester) if to_recipient else (request.requester, request.recipient)
    params = {"mission": request.mission.title, "firm": actor.company.name, **extra}
    firm_notify(party=party, kind=kind, params=params, link=_requests_link(request.mission))


def _state(state: dict[str, Any]) -> dict[str, Any]:
    """The part of events.selectors.meeting_state a message shows."""
    return {key: state.get(key) for key in ("status", "local_start", "table")}


def _members(parties: list[Participation]) -> dict[int, list]:
    """The member users of each party's firm, by company id, in one query."""
    members: dict[int, list] = defaultdict(list)
    for user in company_member_users(company_ids=[p.company_id for p in parties]).select_related("membership"):
        members[user.membership.company_id].append(user)
    return members


def meeting_cancelled_notify(*, meeting: Meeting, before: dict[str, Any], parties: list[Participation]) -> None:
    """Tell `parties` that their meeting is off: who called it off (the other firm, or the organisers
    when `meeting.cancelled_by_party` is empty), why, and when it was planned."""
    mission = meeting.mission
    for own in parties:
        other = meeting.b if own.pk == meeting.a_id else meeting.a
        params = {
            "mission": mission.title, "firm": other.company.name, "zone": mission.time_zone, "before": _state(before),
            "by_firm": meeting.cancelled_by_party_id is not None, "reason": meeting.cancelled_reason,
        }  # fmt: skip
        firm_notify(party=own, kind=NotificationKind.MEETING_CANCELLED, params=params, link=_requests_link(mission))


def schedule_published_notify(*, mission: Mission, number: int) -> None:
    """Tell every participating firm that version `number` is published, listing its own meetings."""
    own: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for m in meetings_of_mission(mission).order_by("slot__start", "table_id", "id"):
        state = _state(meeting_state(m))
        own[m.a_id].append({**state, "firm": m.b.company.name})
        own[m.b_id].append({**state, "firm": m.a.company.name})
    parties = list(mission.participations.all())
    members = _members(parties)
    for party in parties:
        params = {"mission": mission.title, "n": number, "zone": mission.time_zone, "meetings": own[party.pk]}
        notification_send(
            recipients=members[party.company_id], kind=NotificationKind.SCHEDULE_PUBLISHED, params=params,
            link=agenda_link(mission),
        )  # fmt: skip


def phase_changed_notify(*, mission: Mission, old: str, new: str) -> None:
    """Tell every participating firm that the mission moved to phase `new`, with what that opens
    and closes for firms (the titles and labels are rendered in each reader's language)."""
    from events import phases

    firm_actions = set(phases.FIRM_ACTIONS)
    params = {
        "mission": mission.title,
        "phase": new,
        "opened": [a for a in phases.opened_by(old, new) if a in firm_actions],
        "closed": [a for a in phases.closed_by(old, new) if a in firm_actions],
    }
    parties = list(mission.participations.all())
    notification_send(
        recipients=company_member_users(company_ids=[p.company_id for p in parties]),
        kind=NotificationKind.PHASE_CHANGED, params=params, link=reverse("events:detail", args=[mission.pk]),
    )  # fmt: skip


def _changes_params(diff: ScheduleDiff, firm_id: int) -> dict[str, list[dict[str, Any]]]:
    """One firm's moved, added and removed meetings, as a message shows them (partner, time, table)."""
    mine = diff.for_firm(firm_id)
    return {
        "moved": [{"firm": c.partner(firm_id), "before": _state(c.before or {}), "after": _state(c.after or {})}
                  for c in mine.moved],
        "added": [{**_state(c.after or {}), "firm": c.partner(firm_id)} for c in mine.added],
        "removed": [{**_state(c.before or {}), "firm": c.partner(firm_id)} for c in mine.removed],
    }  # fmt: skip


def schedule_changed_notify(*, mission: Mission, number: int, diff: ScheduleDiff) -> None:
    """Tell only the firms whose meetings version `number` changes, each of its own changes."""
    parties = list(Participation.objects.filter(mission=mission, pk__in=diff.firm_ids).order_by("pk"))
    members = _members(parties)
    for party in parties:
        params = {"mission": mission.title, "n": number, "zone": mission.time_zone, **_changes_params(diff, party.pk)}
        notification_send(
            recipients=members[party.company_id], kind=NotificationKind.SCHEDULE_CHANGED, params=params,
            link=agenda_link(mission),
        )  # fmt: skip


def mutual_interest_notify(
    *, mission: Mission, companies: tuple[Company, Company], outcome: str, limit_firm: str = ""
) -> None:
    """Tell both firms of a suggestion that they are both interested, and what came of it: `outcome`
    is "meeting" (arranged), "pending" (a request waits: `limit_firm` is at its meeting limit) or
    "organisers" (the organisers will decide)."""
    link = _requests_link(mission) if outcome != "organisers" else reverse("matchmaking:my_suggestions")
    for own, other in (companies, companies[::-1]):
        params = {"mission": mission.title, "firm": other.name, "outcome": outcome, "limit_firm": limit_firm}
        notification_send(
            recipients=company_member_users(company_ids=[own.pk]), kind=NotificationKind.MUTUAL_INTEREST,
            params=params, link=link,
        )  # fmt: skip


def mutual_interest_referred_notify(*, mission: Mission, eu: Company, jp: Company) -> None:
    """Tell the mission's organisers that a pair is both interested and waits for their decision."""
    link = reverse("events:convert_suggestions", args=[mission.pk]) + "?source=mutual"
    notification_send(
        recipients=mission.organisers.all(), kind=NotificationKind.MUTUAL_INTEREST_REFERRED,
        params={"mission": mission.title, "eu": eu.name, "jp": jp.name}, link=link,
    )  # fmt: skip


def organisers_converted_notify(*, mission: Mission, counts: dict[int, dict[str, int]]) -> None:
    """One notification per firm for one bulk conversion: `counts` maps company ids to
    {"arranged": n, "sent": n, "received": n} (zeros may be left out)."""
    members: dict[int, list] = defaultdict(list)
    for user in company_member_users(company_ids=list(counts)).select_related("membership"):
        members[user.membership.company_id].append(user)
    for company_id in sorted(counts):
        params = {"mission": mission.title, "arranged": 0, "sent": 0, "received": 0, **counts[company_id]}
        notification_send(
            recipients=members[company_id], kind=NotificationKind.ORGANISERS_CONVERTED, params=params,
            link=_requests_link(mission),
        )  # fmt: skip
