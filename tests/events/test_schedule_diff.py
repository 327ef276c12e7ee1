"""The pure difference between two schedule snapshots (events.schedule_diff): no database."""

from events.schedule_diff import ScheduleDiff, schedule_diff


def _entry(pk, start=None, table=None, a_id=1, b_id=2, a="Alpha", b="Beta", pinned=False):
    end = start.replace(":00+", ":25+") if start else None
    slot = 10 if start else None
    return {"id": pk, "a": a, "b": b, "a_id": a_id, "b_id": b_id, "status": "confirmed", "slot": slot,
            "start": start, "end": end, "local_start": None, "table": table, "pinned": pinned}  # fmt: skip


NINE = "2025-10-06T00:00:00+00:00"
HALF_PAST = "2025-10-06T00:30:00+00:00"


def _snap(*entries):
    return {"time_zone": "Asia/Tokyo", "meetings": list(entries)}


def _ids(diff: ScheduleDiff):
    return ([c.id for c in diff.moved], [c.id for c in diff.added], [c.id for c in diff.removed])


def test_diff_same_snapshot_is_empty():
    snap = _snap(_entry(1, NINE, "T1"), _entry(2))

    diff = schedule_diff(snap, snap)

    assert (diff.is_empty, _ids(diff), diff.firm_ids) == (True, ([], [], []), [])


def test_diff_first_publication_adds_every_meeting():
    diff = schedule_diff(None, _snap(_entry(2, HALF_PAST, "T1", a_id=3, b_id=4), _entry(1, NINE, "T2"), _entry(5)))

    assert (_ids(diff), diff.firm_ids) == (([], [1, 2, 5], []), [1, 2, 3, 4])


def test_diff_move_add_remove_and_firms():
    kept = _entry(2, NINE, "T2", a_id=3, b_id=4)
    old = _snap(_entry(1, NINE, "T1"), kept, _entry(3, HALF_PAST, "T1", a_id=5, b_id=6))
    new = _snap(_entry(1, HALF_PAST, "T1"), kept, _entry(4, None, a_id=7, b_id=1))

    diff = schedule_diff(old, new)

    assert _ids(diff) == ([1], [4], [3])
    assert (diff.moved[0].before["start"], diff.moved[0].after["start"]) == (NINE, HALF_PAST)
    assert (diff.removed[0].after, diff.added[0].before) == (None, None)
    assert diff.firm_ids == [1, 2, 5, 6, 7]


def test_diff_table_change_and_unplacing_are_moves():
    old = _snap(_entry(1, NINE, "T1"), _entry(2, NINE, "T2"))
    new = _snap(_entry(1, NINE, "T3"), _entry(2))

    assert _ids(schedule_diff(old, new)) == ([1, 2], [], [])  # the unplaced one last: no time


def test_diff_ignores_pins_and_slot_rows_at_the_same_time():
    old = _snap(_entry(1, NINE, "T1"))
    new = _snap({**_entry(1, NINE, "T1", pinned=True), "slot": 99, "local_start": "2025-10-06 09:00"})

    assert schedule_diff(old, new).is_empty


def test_diff_told_removal_is_listed_but_tells_nobody():
    old = _snap(_entry(1, NINE, "T1"), _entry(2, HALF_PAST, "T1", a_id=3, b_id=4))

    diff = schedule_diff(old, _snap(_entry(2, HALF_PAST, "T1", a_id=3, b_id=4)), told=frozenset({1}))

    assert (_ids(diff), diff.removed[0].told, diff.firm_ids, diff.is_empty) == (([], [], [1]), True, [], False)


def test_diff_old_entry_without_firm_ids_takes_them_from_the_new_one():
    old = _snap({k: v for k, v in _entry(1, NINE, "T1").items() if k not in ("a_id", "b_id")})

    diff = schedule_diff(old, _snap(_entry(1, HALF_PAST, "T1")))

    assert diff.firm_ids == [1, 2]


def test_diff_for_firm_keeps_its_own_changes_seen_from_it():
    old = _snap(_entry(1, NINE, "T1"), _entry(2, NINE, "T2", a_id=3, b_id=1, a="Gamma", b="Alpha"))
    new = _snap(_entry(1, HALF_PAST, "T1"), _entry(2, HALF_PAST, "T2", a_id=3, b_id=1, a="Gamma", b="Alpha"))

    diff = schedule_diff(old, new)

    assert [(c.id, c.partner(1)) for c in diff.for_firm(1).moved] == [(1, "Beta"), (2, "Gamma")]
    assert [c.id for c in diff.for_firm(2).moved] == [1]
    assert diff.for_firm(9).is_empty


def test_fingerprint_changes_with_content_and_base_only():
    old = _snap(_entry(1, NINE, "T1"))
    moved = schedule_diff(old, _snap(_entry(1, HALF_PAST, "T1")))
    same = schedule_diff(old, _snap(_entry(1, HALF_PAST, "T1", pinned=True)))
    elsewhere = schedule_diff(old, _snap(_entry(1, HALF_PAST, "T2")))

    assert moved.fingerprint(base=1) == same.fingerprint(base=1)
    assert len({moved.fingerprint(base=1), moved.fingerprint(base=2), elsewhere.fingerprint(base=1)}) == 3


def test_schedule_diff_imports_no_django():
    import ast
    import inspect

    from events import schedule_diff as module

    tree = ast.parse(inspect.getsource(module))
    names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    names += [alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names]
    assert [name for name in names if name.startswith(("django", "events"))] == []
