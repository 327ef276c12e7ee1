"""Template filters of missions: `{% if mission|allows:"send_request" %}` asks events.phases, so a page
offers an action only in the phases whose services accept it."""

from django import template

from events import phases
from events.models import Mission

register = template.Library()


@register.filter
def allows(mission: Mission, action: str) -> bool:
    return phases.allows(mission.phase, action)
