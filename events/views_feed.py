"""The subscribed calendar feed: /calendar/<token>.ics, fetched by calendar apps without a login.

The token in the path is the only credential (accounts.CalendarFeed); the request log redacts it
(config.log_filters.RedactCalendarTokens).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.selectors import calendar_feed_user
from companies.selectors import user_company
from events.calendar_feed import calendar_feed_agendas


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_feed_user(token=token)
    if user is None:  # unknown, replaced, or of a deactivated account: as if it never existed
        raise Http404
    from events.agenda_ics import agendas_ics  # icalendar takes ~70 ms to import: only when asked for

    company = user_company(user)
    with translation.override(user.language):  # the calendar app's Accept-Language is not the reader's
        name = _("Kizuna meetings · %(firm)s") % {"firm": company.name} if company else _("Kizuna meetings")
        content = agendas_ics(calendar_feed_agendas(user=user), name=name, stamp=timezone.now())
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=0"  # a personal feed: no shared cache keeps a copy
    response["X-Robots-Tag"] = "noindex"
    return response
