"""How a notification reads: its title (the e-mail subject and the line in the notification centre) and its
e-mail, rendered from `params` in the reader's language. Nothing here writes.

Every kind has a title below and an e-mail body in templates/accounts/email/<kind>.txt (extending
`_notification.txt`: greeting, body, link, footer). A test checks that both exist for every kind.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.enums import NotificationKind
from accounts.models import Notification, User

if TYPE_CHECKING:
    # A type of django-stubs only (lazy translations); the stubs are a dev requirement.
    from django_stubs_ext import StrOrPromise

TITLES: "dict[str, StrOrPromise]" = {
    NotificationKind.REQUEST_RECEIVED: gettext_lazy("%(mission)s: %(firm)s asks to meet you"),
    NotificationKind.REQUEST_ACCEPTED: gettext_lazy("%(mission)s: %(firm)s accepted your meeting request"),
    NotificationKind.REQUEST_DECLINED: gettext_lazy("%(mission)s: %(firm)s declined your meeting request"),
    NotificationKind.REQUEST_WITHDRAWN: gettext_lazy("%(mission)s: %(firm)s withdrew the meeting request"),
    NotificationKind.REQUEST_EXPIRED: gettext_lazy("%(mission)s: your meeting request to %(firm)s expired unanswered"),
    NotificationKind.PHASE_CHANGED: gettext_lazy("%(mission)s: now in the “%(phase_label)s” phase"),
    NotificationKind.MEETING_CANCELLED: gettext_lazy("%(mission)s: your meeting with %(firm)s is cancelled"),
    NotificationKind.MEETING_MOVED: gettext_lazy("%(mission)s: your meeting with %(firm)s changed"),
    NotificationKind.MEETING_REMINDER: gettext_lazy("%(mission)s: your first meeting is at %(time)s (%(zone)s)"),
    NotificationKind.SCHEDULE_PUBLISHED: gettext_lazy("%(mission)s: the schedule is published (version %(n)d)"),
    NotificationKind.SCHEDULE_CHANGED: gettext_lazy("%(mission)s: your meetings changed (schedule version %(n)d)"),
    NotificationKind.PROFILE_APPROVED: gettext_lazy("Your profile is approved"),
    NotificationKind.PROFILE_REJECTED: gettext_lazy("Your profile needs changes"),
    NotificationKind.REVISION_APPROVED: gettext_lazy("Your changes to the profile are approved and public"),
    NotificationKind.REVISION_REJECTED: gettext_lazy("Your changes to the profile were not approved"),
    NotificationKind.ORGANISER_ADDED: gettext_lazy("%(mission)s: you are now a co-organiser"),
    NotificationKind.MISSION_ENROLLED: gettext_lazy("%(mission)s: the organisers added your firm"),
    NotificationKind.MUTUAL_INTEREST: gettext_lazy("%(mission)s: you and %(firm)s are both interested"),
    NotificationKind.MUTUAL_INTEREST_REFERRED: gettext_lazy("%(mission)s: %(eu)s and %(jp)s are both interested"),
}


def notification_title(notification: Notification) -> str:
    """The one-line title in the active language. Parameters missing from an old row read as empty."""
    params = _Params(notification.params, **_labels(notification.params))
    if notification.kind == NotificationKind.SUGGESTIONS_APPROVED:
        count = int(notification.params.get("count", 1))
        return ngettext(
            "%(count)d new suggested partner is waiting for your answer",
            "%(count)d new suggested partners are waiting for your answer",
            count,
        ) % {"count": count}
    if notification.kind == NotificationKind.ORGANISERS_CONVERTED:
        return _converted_title(notification.params)
    title = TITLES.get(notification.kind)
    return str(title) % params if title is not None else notification.get_kind_display()


def _converted_title(params: dict[str, Any]) -> str:
    """The organisers turned suggestions into meetings or requests: one line per firm and conversion."""
    names = {"mission": params.get("mission", "")}
    meetings, requests = int(params.get("arranged", 0)), int(params.get("sent", 0)) + int(params.get("received", 0))
    if meetings:
        text = ngettext(
            "%(mission)s: the organisers arranged %(n)d meeting for your firm",
            "%(mission)s: the organisers arranged %(n)d meetings for your firm",
            meetings,
        )
        return text % {**names, "n": meetings}
    text = ngettext(
        "%(mission)s: the organisers made %(n)d meeting request for your firm",
        "%(mission)s: the organisers made %(n)d meeting requests for your firm",
        requests,
    )
    return text % {**names, "n": requests}


class _Params(dict):
    """`%`-formatting reads missing keys as "" (or 0), so a renamed parameter never breaks a page."""

    def __missing__(self, key: str) -> Any:
        return 0 if key == "n" else ""


def _labels(params: dict[str, Any]) -> dict[str, Any]:
    """Labels, in the active language, of the codes a notification stores (a mission's phase, actions)."""
    from events.enums import MissionAction, MissionPhase  # accounts is below events; only labels are read

    labels: dict[str, Any] = {}
    if params.get("phase") in MissionPhase.values:
        labels["phase_label"] = str(MissionPhase(params["phase"]).label)
    for key in ("opened", "closed"):
        if key in params:
            labels[f"{key}_labels"] = [str(MissionAction(a).label) for a in params[key] if a in MissionAction.values]
    return labels


def meeting_place(state: dict[str, Any] | None, zone: str) -> str:
    """A meeting's time and table as a firm reads it: "2025-10-06 09:00 (Asia/Tokyo) at T1"."""
    state = state or {}
    if state.get("status") == "cancelled":
        return _("cancelled")
    if not state.get("local_start"):
        return _("not scheduled yet")
    if not state.get("table"):
        return _("%(time)s (%(zone)s)") % {"time": state["local_start"], "zone": zone}
    # The table's own name is shown as it is ("T1", "Table 6"): never prefixed with the word "table".
    return _("%(time)s (%(zone)s) at %(table)s") % {"time": state["local_start"], "zone": zone, "table": state["table"]}


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


def _body_context(notification: Notification) -> dict[str, Any]:
    params = notification.params
    zone = params.get("zone", "")
    context: dict[str, Any] = {"p": params, **_labels(params)}
    if "before" in params:
        context["before"] = meeting_place(params["before"], zone)
    if "after" in params:
        context["after"] = meeting_place(params["after"], zone)
    for key in ("meetings", "added", "removed"):
        context[key] = [{"place": meeting_place(m, zone), "firm": m.get("firm", "")} for m in params.get(key, [])]
    context["moved"] = [
        {
            "firm": m.get("firm", ""),
            "before": meeting_place(m.get("before"), zone),
            "after": meeting_place(m.get("after"), zone),
        }
        for m in params.get("moved", [])
    ]
    return context


def _greeting_context(user: User) -> dict[str, Any]:
    return {
        "name": user.full_name or user.email,
        "settings_url": absolute_url(reverse("accounts:settings")),
        "notifications_url": absolute_url(reverse("accounts:notifications")),
    }


def notification_email_render(notification: Notification) -> tuple[str, str]:
    """(subject, body) of one notification's e-mail, in its recipient's language."""
    user = notification.recipient
    with translation.override(user.language):
        subject = notification_title(notification)
        context = {
            **_greeting_context(user),
            **_body_context(notification),
            "title": subject,
            "link": absolute_url(notification.link) if notification.link else "",
        }
        body = render_to_string(f"accounts/email/{notification.kind}.txt", context)
    return " ".join(subject.split()), body


def digest_email_render(user: User, notifications: list[Notification]) -> tuple[str, str]:
    """(subject, body) of the daily digest listing `notifications`, in the user's language."""
    with translation.override(user.language):
        count = len(notifications)
        subject = ngettext("Kizuna: %(count)d new notification", "Kizuna: %(count)d new notifications", count) % {
            "count": count
        }
        items = [
            {"title": notification_title(n), "link": absolute_url(n.link) if n.link else ""} for n in notifications
        ]
        body = render_to_string("accounts/email/digest.txt", {**_greeting_context(user), "items": items})
    return subject, body
