"""The schedule editor: drag a meeting to an empty cell, have a drop refused with the service's own
reason (a firm busy at that time), and undo the last change."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from events import services
from events.models import Meeting
from tests.e2e.world import world_scheduled


def _cell(page, slot, table):
    return page.locator(f'#schedule-grid td.cell[data-cell="{slot.pk}:{table.pk}"]')


def _meeting(page, meeting):
    return page.locator(f'#schedule-grid .mtg[data-meeting="{meeting.pk}"]')


def _refusal(meeting, slot, table, lang: str) -> str:
    """What the service says to this move, in `lang` (rolled back: only its message is wanted)."""
    with translation.override(lang):
        try:
            with transaction.atomic():
                services.meeting_move(meeting=meeting, slot=slot, table=table, user=None)
        except ValidationError as error:
            return str(error.messages[0])
    raise AssertionError("the move was expected to be refused")


def test_drag_move_refuse_and_undo(page, lang, log_in):
    w = world_scheduled()  # slot 1: pair at T1, Gamma–Delta at T2; slot 2: Alpha–Delta at T1
    slots, (t1, t2) = list(w.mission.slots.order_by("start")), list(w.mission.tables.order_by("id"))
    pair = Meeting.objects.get(a=w.firm, b=w.partner)
    gamma_delta = Meeting.objects.get(slot=slots[0], table=t2)
    log_in(w.organiser)
    page.goto(reverse("events:schedule", args=[w.mission.pk]))

    # Drag the pair to an empty cell: it moves there.
    _meeting(page, pair).drag_to(_cell(page, slots[2], t2))
    expect(_cell(page, slots[2], t2).locator(f'.mtg[data-meeting="{pair.pk}"]')).to_be_visible()
    pair.refresh_from_db()
    assert (pair.slot, pair.table) == (slots[2], t2)

    # Drag Gamma–Delta to slot 2, where Delta already meets Alpha: refused with the service's reason.
    reason = _refusal(gamma_delta, slots[1], t2, lang)
    _meeting(page, gamma_delta).drag_to(_cell(page, slots[1], t2))
    expect(page.locator("#schedule-status")).to_contain_text(reason)
    expect(_cell(page, slots[0], t2).locator(f'.mtg[data-meeting="{gamma_delta.pk}"]')).to_be_visible()
    gamma_delta.refresh_from_db()
    assert (gamma_delta.slot, gamma_delta.table) == (slots[0], t2)

    # Undo the move of the pair: it is back in its first cell.
    page.locator("#schedule-undo button").click()
    expect(_cell(page, slots[0], t1).locator(f'.mtg[data-meeting="{pair.pk}"]')).to_be_visible()
    pair.refresh_from_db()
    assert (pair.slot, pair.table) == (slots[0], t1)
