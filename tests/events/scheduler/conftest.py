import pytest


def _problem(slots=4, tables=2, participants="abcd", meetings=(), **extra):
    """A problem dict: `slots` slot ids 1..n in one session, participants by id (str) or as dicts."""
    data = {
        "slots": [{"id": i, "session": "am"} for i in range(1, slots + 1)],
        "tables": tables,
        "participants": [p if isinstance(p, dict) else {"id": p} for p in participants],
        "meetings": [dict(m) for m in meetings],
    }
    data.update(extra)
    return data


@pytest.fixture
def make_problem():
    return _problem
