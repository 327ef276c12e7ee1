from django.utils import translation

from events.selectors import UNSCHEDULED_REASONS, unscheduled_reason

CAPACITY = {
    "id": 18,
    "kind": "capacity",
    "reason": "capacity: in each of its 3 common free slots a participant is already in as many meetings "
    "as it has delegates ('EU0001' in 3)",
}


def test_unscheduled_reason_ja_translated_by_kind():
    with translation.override("ja"):
        reason = unscheduled_reason(CAPACITY)
    assert reason == "共通の空き時間枠のいずれでも、参加者の面談数がすでに出席者数に達しています。"


def test_unscheduled_reason_en_is_the_sentence_of_the_kind():
    assert unscheduled_reason(CAPACITY) == (
        "In each of its common free slots, a participant already has as many meetings as it has delegates."
    )


def test_unscheduled_reason_unknown_kind_falls_back_to_stored_reason():
    with translation.override("ja"):
        assert unscheduled_reason({"id": 3, "kind": "", "reason": "left out by hand"}) == "left out by hand"


def test_unscheduled_reasons_cover_every_scheduler_kind_and_late():
    kinds = {"no_common_slot", "table_conflict", "pinned", "capacity", "tables", "mixed", "late"}
    assert set(UNSCHEDULED_REASONS) == kinds
