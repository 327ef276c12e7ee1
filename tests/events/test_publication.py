"""Reads for publishing (events.publication): the pending difference, its summary, old snapshots."""

import pytest
from django.utils import translation

from events import services
from events.models import ScheduleVersion
from events.publication import schedule_diff_summary, schedule_pending
from tests.events.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(mission, organiser, part_a, part_b, slots, tables):
    meeting = MeetingFactory(mission=mission, a=part_a, b=part_b)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=meeting, slot=slots[1], table=tables[0], user=organiser)
    return meeting


def test_schedule_pending_after_a_move_is_a_draft(mission, moved, part_a, part_b):
    pending = schedule_pending(mission)

    assert (pending.base.number, pending.next_number, pending.has_draft, pending.can_publish) == (1, 2, True, True)
    assert ([c.id for c in pending.diff.moved], pending.diff.firm_ids) == ([moved.pk], [part_a.pk, part_b.pk])


def test_schedule_pending_reads_a_snapshot_published_without_firm_ids(mission, moved, part_a, part_b):
    version = ScheduleVersion.objects.get(mission=mission)
    version.snapshot = {
        **version.snapshot,
        "meetings": [{k: v for k, v in e.items() if k not in ("a_id", "b_id")} for e in version.snapshot["meetings"]],
    }
    version.save()

    assert schedule_pending(mission).diff.firm_ids == [part_a.pk, part_b.pk]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1 meeting moved; 2 firms affected"), ("ja", "面談の移動 1 件（対象企業 2 社）")],
)
def test_schedule_diff_summary_in_both_languages(mission, moved, language, expected):
    with translation.override(language):
        assert schedule_pending(mission).draft_summary == expected


def test_schedule_diff_summary_lists_every_kind(mission, moved, organiser, part_a, part_c, slots, tables):
    services.meeting_cancel(meeting=moved, user=organiser, reason="The venue closes early.")
    added = services.meeting_create(mission=mission, a=part_a, b=part_c, user=organiser)
    services.meeting_move(meeting=added, slot=slots[2], table=tables[0], user=organiser)
    other = MeetingFactory(mission=mission, a=part_c, b=moved.b)
    services.meeting_move(meeting=other, slot=slots[3], table=tables[0], user=organiser)

    assert schedule_diff_summary(schedule_pending(mission).diff) == "2 added, 1 removed; 3 firms affected"
