"""Data rights of a firm (docs/privacy.md): see and download everything held about it and its members,
and delete the company with its members' accounts.

`company_data` gathers the sections as lists of flat rows (JSON-ready values), so one structure gives the
page, the JSON file and the zip of CSV files. `company_erase` deletes in a fixed order under the company's
row lock, the same lock every profile edit and moderation decision takes first (companies.moderation).
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notification_title
from accounts.permissions import is_organiser
from companies import selectors
from companies.directory import directory_changed
from companies.models import Company
from companies.permissions import require_company_owner_or_admin
from config.spreadsheet import cell_safe

# The sections, in the order of the page and of the files in the zip.
SECTIONS = ("profile", "dependencies", "contacts", "members", "invitations", "history", "revisions",
            "participations", "delegates", "suggestions", "requests", "meetings", "notifications")  # fmt: skip


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def company_data(*, company: Company) -> dict[str, Any]:
    """Everything Kizuna holds about the company and its members, section by section."""
    base = selectors.company_export(company=company)
    members = list(selectors.company_members(company=company))
    return {
        "profile": base["profile"],
        "dependencies": base["dependencies"],
        "contacts": base["contacts"],
        "members": [_member_row(m) for m in members],
        "invitations": base["invitations"],
        "history": base["changes"],
        "revisions": _revisions(company),
        **_mission_data(company),
        "notifications": _notifications([m.user for m in members]),
    }


def _member_row(membership: Any) -> dict[str, Any]:
    user = membership.user
    return {
        "email": user.email, "full_name": user.full_name, "role": membership.role, "language": user.language,
        "email_frequency": user.email_frequency, "joined_company_at": _iso(membership.created_at),
        "account_created_at": _iso(user.date_joined), "last_login": _iso(user.last_login),
    }  # fmt: skip


def _revisions(company: Company) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "status": r.status,
            "proposed": r.proposed,
            "created_by": r.created_by and r.created_by.email,
            "created_at": _iso(r.created_at),
            "decided_at": _iso(r.decided_at),
            "note": r.note,
        }  # fmt: skip
        for r in company.revisions.select_related("created_by").order_by("created_at", "id")
    ]


def _mission_data(company: Company) -> dict[str, list[dict[str, Any]]]:
    from events.models import Delegate, Meeting, MeetingRequest, Participation  # events builds on companies
    from matchmaking.models import Suggestion

    own = list(Participation.objects.filter(company=company).select_related("mission").order_by("created_at", "id"))
    ids = [p.pk for p in own]
    requests = MeetingRequest.objects.filter(Q(requester_id__in=ids) | Q(recipient_id__in=ids)).select_related(
        "mission", "requester__company", "recipient__company"
    )
    meetings = Meeting.objects.filter(Q(a_id__in=ids) | Q(b_id__in=ids)).select_related(
        "mission", "a__company", "b__company", "slot", "table"
    )
    suggestions = Suggestion.objects.filter(Q(eu_company=company) | Q(jp_company=company)).select_related(
        "mission", "eu_company", "jp_company"
    )
    return {
        "participations": [
            {
                "mission": p.mission.title,
                "joined_via": p.joined_via,
                "max_meetings": p.max_meetings,
                "created_at": _iso(p.created_at),
            }  # fmt: skip
            for p in own
        ],
        "delegates": [
            {"mission": d.participation.mission.title, "name": d.name, "email": d.email, "role": d.role}
            for d in Delegate.objects.filter(participation_id__in=ids).select_related("participation__mission")
        ],
        "suggestions": [_suggestion_row(s, company) for s in suggestions.order_by("created_at", "id")],
        "requests": [_request_row(r, ids) for r in requests.order_by("created_at", "id")],
        "meetings": [_meeting_row(m, ids) for m in meetings.order_by("created_at", "id")],
    }


def _suggestion_row(suggestion: Any, company: Company) -> dict[str, Any]:
    side = "eu" if suggestion.eu_company_id == company.pk else "jp"
    other = suggestion.jp_company if side == "eu" else suggestion.eu_company
    return {
        "mission": suggestion.mission.title if suggestion.mission else None, "other_firm": other.name,
        "score": suggestion.score, "rank": getattr(suggestion, f"rank_{side}"), "status": suggestion.status,
        "your_answer": getattr(suggestion, f"{side}_response"),
        "your_reason": getattr(suggestion, f"{side}_response_reason"), "created_at": _iso(suggestion.created_at),
    }  # fmt: skip


def _request_row(request: Any, own_ids: list[int]) -> dict[str, Any]:
    sent = request.requester_id in own_ids
    other = request.recipient if sent else request.requester
    return {
        "mission": request.mission.title, "direction": "sent" if sent else "received",
        "other_firm": other.company.name, "message": request.message, "priority": request.priority,
        "status": request.status, "created_at": _iso(request.created_at), "answered_at": _iso(request.responded_at),
    }  # fmt: skip


def _meeting_row(meeting: Any, own_ids: list[int]) -> dict[str, Any]:
    other = meeting.b if meeting.a_id in own_ids else meeting.a
    return {
        "mission": meeting.mission.title, "other_firm": other.company.name, "status": meeting.status,
        "start": _iso(meeting.slot.start) if meeting.slot else None,
        "table": meeting.table.name if meeting.table else None, "cancelled_reason": meeting.cancelled_reason,
    }  # fmt: skip


def _notifications(users: list[User]) -> list[dict[str, Any]]:
    rows = Notification.objects.filter(recipient__in=users).select_related("recipient").order_by("created_at", "id")
    return [
        {
            "recipient": n.recipient.email,
            "kind": n.kind,
            "title": notification_title(n),
            "link": n.link,
            "created_at": _iso(n.created_at),
            "read_at": _iso(n.read_at),
            "emailed_at": _iso(n.emailed_at),
        }  # fmt: skip
        for n in rows
    ]


# --- Files -----------------------------------------------------------------------------------------


def company_data_json(*, company: Company) -> bytes:
    data = company_data(company=company)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _cell(value: Any) -> str:
    """A CSV cell: lists and objects as JSON text; never a formula (config.spreadsheet)."""
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
    return cell_safe(text)


def _csv(rows: list[dict[str, Any]]) -> bytes:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([[_cell(row.get(column)) for column in columns] for row in rows])
    return ("\ufeff" + out.getvalue()).encode()  # the BOM: Excel then reads UTF-8 (Japanese names)


def company_data_zip(*, company: Company) -> bytes:
    """One CSV file per section (an empty section gives an empty file with no columns)."""
    data = company_data(company=company)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for section in SECTIONS:
            rows = data[section] if isinstance(data[section], list) else [data[section]]
            archive.writestr(f"{section}.csv", _csv(rows))
    return buffer.getvalue()


# --- Deletion --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    """What a deletion removed, for the confirmation message."""

    company: str
    accounts: list[str]
    meetings_cancelled: int


def erasure_preview(*, company: Company) -> dict[str, Any]:
    """What deleting would erase and keep, for the confirmation page."""
    return {
        "accounts": [m.user.email for m in selectors.company_members(company=company) if _erasable(m.user)],
        "kept_accounts": [m.user.email for m in selectors.company_members(company=company) if not _erasable(m.user)],
        "upcoming_meetings": _upcoming(_meetings_of(company)).count(),
    }


def _erasable(user: User) -> bool:
    # An admin or organiser account has duties beyond the firm: it loses the membership, not the account.
    return not is_organiser(user)  # organisers and admins keep their accounts


def _upcoming(meetings: Any) -> Any:
    from events.enums import MeetingStatus

    confirmed = meetings.filter(status=MeetingStatus.CONFIRMED)
    return confirmed.filter(Q(slot__isnull=True) | Q(slot__start__gte=timezone.now()))


@transaction.atomic
def company_erase(*, company: Company, user: User, confirm_name: str) -> Erasure:
    """Delete the company, everything it holds and its members' accounts (docs/privacy.md). The owner (or an
    admin) types the company's name to confirm. The other firms of its upcoming meetings are told first."""
    locked = Company.objects.select_for_update().filter(pk=company.pk).first()  # waits for an edit in progress
    if locked is None:
        raise ValidationError({"confirm_name": [_("This company no longer exists.")]})
    require_company_owner_or_admin(user=user, company=locked)
    if confirm_name.strip() != locked.name:
        raise ValidationError({"confirm_name": [_("Type the company's name exactly as shown to confirm.")]})
    cancelled = _tell_meeting_partners(locked, user)
    accounts = [m.user for m in selectors.company_members(company=locked) if _erasable(m.user)]
    _delete_in_order(locked)
    directory_changed()
    emails = [account.email for account in accounts]
    User.objects.filter(pk__in=[account.pk for account in accounts]).delete()
    return Erasure(company=locked.name, accounts=emails, meetings_cancelled=cancelled)


def _tell_meeting_partners(company: Company, user: User) -> int:
    """Each upcoming meeting is called off for the other firm (a notification naming the reason)."""
    from events.enums import MeetingStatus
    from events.selectors import meeting_state
    from events.services.notify import meeting_cancelled_notify

    meetings = _upcoming(_meetings_of(company)).select_related("mission", "a__company", "b__company", "slot", "table")
    count = 0
    for meeting in meetings:
        own, other = (meeting.a, meeting.b) if meeting.a.company_id == company.pk else (meeting.b, meeting.a)
        before = meeting_state(meeting)
        meeting.status, meeting.cancelled_by_party = MeetingStatus.CANCELLED, own
        meeting.cancelled_reason = _("%(firm)s has left Kizuna.") % {"firm": company.name}
        meeting_cancelled_notify(meeting=meeting, before=before, parties=[other])
        count += 1
    return count


def _meetings_of(company: Company) -> Any:
    from events.models import Meeting

    return Meeting.objects.filter(Q(a__company=company) | Q(b__company=company))


def _delete_in_order(company: Company) -> None:
    """Children before parents, in one fixed order, so that two deletions never wait on each other's rows."""
    from events.models import MeetingRequest, Participation
    from matchmaking.models import Suggestion

    own = Participation.objects.filter(company=company)
    _meetings_of(company).delete()  # seats and schedule changes go with them
    MeetingRequest.objects.filter(Q(requester__in=own) | Q(recipient__in=own)).delete()
    Suggestion.objects.filter(Q(eu_company=company) | Q(jp_company=company)).delete()
    own.delete()  # delegates and unavailabilities go with them
    for related in (company.revisions, company.changes, company.invitations, company.contacts,
                    company.dependencies, company.memberships):  # fmt: skip
        related.all().delete()
    company.delete()


def text_cell(value: Any) -> str:
    """A value as the data page shows it: lists and objects as JSON text, empty as "—"."""
    if value in (None, "", [], {}):
        return "—"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else str(value)
