"""Publishing the schedule, the change log after publishing, and the e-mails about both."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from events.enums import MissionStatus
from events.models import Meeting, Mission, Participation, ScheduleChange, ScheduleVersion
from events.selectors import meeting_state, meetings_of_participation, schedule_snapshot
from events.services._common import require_manager, require_unlocked


def mission_is_published(mission: Mission) -> bool:
    return ScheduleVersion.objects.filter(mission=mission).exists()


def participation_recipients(participation: Participation) -> list[str]:
    """Who hears about a firm's meetings: its members' and its delegates' addresses."""
    emails = {m.user.email for m in participation.company.memberships.select_related("user")}
    emails |= {d.email for d in participation.delegates.all() if d.email}
    return sorted(e.lower() for e in emails if e)


@transaction.atomic
def schedule_publish(*, mission: Mission, user: User | None) -> ScheduleVersion:
    """Freeze the current schedule as the next version; firms are e-mailed once it is committed."""
    require_manager(user=user, mission=mission)
    mission = Mission.objects.select_for_update(no_key=True).get(pk=mission.pk)
    require_unlocked(mission)
    number = (ScheduleVersion.objects.filter(mission=mission).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ScheduleVersion.objects.create(
        mission=mission, number=number, created_by=user, snapshot=schedule_snapshot(mission)
    )
    Mission.objects.filter(pk=mission.pk).update(status=MissionStatus.PUBLISHED)
    transaction.on_commit(lambda: _enqueue("schedule_published_notify_task", version.pk))
    return version


def schedule_change_record(*, meeting: Meeting, kind: str, before: dict, user: User | None) -> ScheduleChange | None:
    """Log a change made after publishing and e-mail both firms after commit; before publishing nothing is logged."""
    if not mission_is_published(meeting.mission):
        return None
    change = ScheduleChange.objects.create(
        mission=meeting.mission, meeting=meeting, kind=kind, before=before, after=meeting_state(meeting), user=user
    )
    transaction.on_commit(lambda: _enqueue("schedule_change_notify_task", change.pk))
    return change


def _enqueue(task_name: str, pk: int) -> None:
    from events import tasks  # tasks import the services; imported here to keep the modules acyclic

    getattr(tasks, task_name).delay(pk)


def _describe(state: dict, zone: str) -> str:
    if state.get("status") == "cancelled":
        return _("cancelled")
    if not state.get("start"):
        return _("not scheduled")
    table = state.get("table") or "-"
    return _("%(time)s (%(zone)s), table %(table)s") % {"time": state["local_start"], "zone": zone, "table": table}


@transaction.atomic
def schedule_change_notify(*, change_id: int) -> int:
    """E-mail both firms about one change. Safe to run twice: a notified change is not sent again."""
    change = ScheduleChange.objects.select_for_update(no_key=True).filter(pk=change_id, notified=False).first()
    if change is None:
        return 0
    meeting = Meeting.objects.select_related("mission", "a__company", "b__company").get(pk=change.meeting_id)
    zone = meeting.mission.time_zone
    messages = []
    for own, other in ((meeting.a, meeting.b), (meeting.b, meeting.a)):
        subject = _("%(mission)s: your meeting with %(firm)s changed") % {
            "mission": meeting.mission.title, "firm": other.company.name,
        }  # fmt: skip
        body = _("Before: %(before)s\nNow: %(after)s\n") % {
            "before": _describe(change.before, zone), "after": _describe(change.after, zone),
        }  # fmt: skip
        recipients = participation_recipients(own)
        if recipients:
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    send_mass_mail(messages)
    change.notified = True
    change.save(update_fields=["notified"])
    return len(messages)


@transaction.atomic
def schedule_published_notify(*, version_id: int) -> int:
    """E-mail every participating firm its own meetings in a newly published version (once)."""
    version = ScheduleVersion.objects.select_for_update(no_key=True).filter(pk=version_id, notified=False).first()
    if version is None:
        return 0
    mission = version.mission
    messages = []
    for participation in mission.participations.select_related("company"):
        lines = []
        for m in meetings_of_participation(participation).order_by("slot__start"):
            other = m.b if m.a_id == participation.pk else m.a
            lines.append(f"{_describe(meeting_state(m), mission.time_zone)}: {other.company.name}")
        subject = _("%(mission)s: the schedule is published (version %(n)d)") % {
            "mission": mission.title,
            "n": version.number,
        }
        body = "\n".join(lines) or _("No meetings are scheduled for you.")
        recipients = participation_recipients(participation)
        if recipients:
            messages.append((subject, body + "\n", settings.DEFAULT_FROM_EMAIL, recipients))
    send_mass_mail(messages)
    version.notified = True
    version.save(update_fields=["notified"])
    return len(messages)
