"""Reads for a user's subscribed calendar feed (/calendar/<token>.ics): their firm's agenda in every
mission it takes part in, built by events.agenda exactly as the firm's agenda pages show it.

The feed has no state of its own: what the agenda shows is what the calendar shows. A meeting that
leaves the agenda (cancelled, unplaced) leaves the feed, and calendar apps drop it at their next
refresh; a moved one keeps its UID with a higher SEQUENCE. See docs/notifications.md.
"""

from accounts.models import User
from companies.selectors import user_company
from events.agenda import Agenda, agenda_for
from events.models import Participation
from events.selectors import missions_visible_to


def calendar_feed_agendas(*, user: User) -> list[Agenda]:
    """The agendas of the user's firm, mission by mission (oldest mission first).

    Queries: one for the participations, then agenda_for's fixed number per mission; never per meeting.
    """
    company = user_company(user)
    if company is None:
        return []
    participations = (
        Participation.objects.filter(company=company, mission__in=missions_visible_to(user))
        .select_related("company", "mission")
        .order_by("mission__created_at", "mission_id")
    )
    return [agenda_for(participation=p, viewer_tz=None) for p in participations]
