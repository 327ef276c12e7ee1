import time

from accounts.throttle import throttle_check, throttle_fail, throttle_reset


def _fail(times: int, *, email: str = "a@example.com", ip: str | None = "10.0.0.1") -> None:
    for _ in range(times):
        throttle_fail(email=email, ip=ip)


def test_throttle_check_below_limit_allows():
    _fail(2)

    assert throttle_check(email="a@example.com", ip="10.0.0.1") == 0


def test_throttle_check_at_limit_waits_for_window(monkeypatch):
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    _fail(3)

    assert throttle_check(email="a@example.com", ip="10.0.0.9") == 600


def test_throttle_check_wait_counts_from_first_failure(monkeypatch):
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    _fail(2)
    monkeypatch.setattr(time, "time", lambda: start + 100)
    _fail(1)

    assert throttle_check(email="a@example.com", ip="10.0.0.9") == 500


def test_throttle_check_account_matches_case_insensitively():
    _fail(3, email="A@Example.com")

    assert throttle_check(email="a@example.com", ip=None) == 600


def test_throttle_check_ip_shared_across_accounts():
    for n in range(3):
        throttle_fail(email=f"user{n}@example.com", ip="10.0.0.1")

    assert throttle_check(email="other@example.com", ip="10.0.0.1") == 600
    assert throttle_check(email="other@example.com", ip="10.0.0.2") == 0


def test_throttle_check_after_window_allows(monkeypatch):
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    _fail(3)
    monkeypatch.setattr(time, "time", lambda: start + 601)

    assert throttle_check(email="a@example.com", ip="10.0.0.1") == 0


def test_throttle_reset_clears_account_but_not_ip():
    _fail(3)

    throttle_reset(email="a@example.com")

    assert throttle_check(email="a@example.com", ip=None) == 0
    assert throttle_check(email="b@example.com", ip="10.0.0.1") == 600
