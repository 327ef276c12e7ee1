import time

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from accounts.throttle import (
    mail_address_take,
    mail_ip_take,
    pair_delay_seconds,
    throttle_check,
    throttle_fail,
    throttle_reset,
)
from tests.accounts.conftest import PASSWORD

# conftest: 3 free failures, then 60 s doubling up to 600 s; 10 failures per IP per 600 s.


@pytest.fixture
def frozen(monkeypatch):
    start = time.time()
    monkeypatch.setattr(time, "time", lambda: start)
    return start


def _fail(times: int, *, email: str = "a@example.com", ip: str | None = "10.0.0.1") -> None:
    for _ in range(times):
        throttle_fail(email=email, ip=ip)


def test_pair_delay_seconds_free_then_doubling_then_capped():
    assert [pair_delay_seconds(n) for n in range(1, 10)] == [0, 0, 60, 120, 240, 480, 600, 600, 600]


def test_throttle_check_below_limit_allows():
    _fail(2)

    assert throttle_check(email="a@example.com", ip="10.0.0.1") == 0


def test_throttle_check_waits_grow_with_each_failure(frozen):
    waits = []
    for _ in range(6):
        _fail(1)
        waits.append(throttle_check(email="a@example.com", ip="10.0.0.1"))

    assert waits == [0, 0, 60, 120, 240, 480]


def test_throttle_check_other_ip_never_locked_out(frozen):
    _fail(8)

    assert throttle_check(email="a@example.com", ip="10.0.0.1") == 600
    assert throttle_check(email="a@example.com", ip="10.0.0.2") == 0


def test_throttle_check_account_matches_case_insensitively(frozen):
    _fail(3, email="A@Example.com")

    assert throttle_check(email="a@example.com", ip="10.0.0.1") == 60


def test_throttle_check_ip_limit_across_accounts_waits_for_window(frozen, monkeypatch):
    for n in range(10):
        throttle_fail(email=f"user{n}@example.com", ip="10.0.0.1")
    monkeypatch.setattr(time, "time", lambda: frozen + 100)

    assert throttle_check(email="other@example.com", ip="10.0.0.1") == 500
    assert throttle_check(email="other@example.com", ip="10.0.0.2") == 0


def test_throttle_check_after_delay_allows(frozen, monkeypatch):
    _fail(3)
    monkeypatch.setattr(time, "time", lambda: frozen + 61)

    assert throttle_check(email="a@example.com", ip="10.0.0.1") == 0


def test_throttle_reset_clears_pair_but_not_ip_count(frozen):
    for n in range(9):
        throttle_fail(email=f"user{n}@example.com", ip="10.0.0.1")
    _fail(3)

    throttle_reset(email="a@example.com", ip="10.0.0.1")

    assert throttle_check(email="a@example.com", ip="10.0.0.1") == 600  # 12 failures from the IP
    assert throttle_check(email="a@example.com", ip="10.0.0.9") == 0


def _request(ip: str):
    return RequestFactory().post("/admin/login/", REMOTE_ADDR=ip)


def test_authenticate_any_door_refused_while_pair_waits(user, frozen):
    for _ in range(3):
        assert authenticate(_request("10.0.0.1"), username=user.email, password="wrong") is None

    assert authenticate(_request("10.0.0.1"), username=user.email, password=PASSWORD) is None
    assert authenticate(_request("10.0.0.2"), username=user.email, password=PASSWORD) == user


def test_authenticate_success_resets_pair(user):
    for _ in range(2):
        authenticate(_request("10.0.0.1"), username=user.email, password="wrong")
    authenticate(_request("10.0.0.1"), username=user.email, password=PASSWORD)
    for _ in range(2):
        authenticate(_request("10.0.0.1"), username=user.email, password="wrong")

    assert throttle_check(email=user.email, ip="10.0.0.1") == 0


def test_mail_ip_take_allows_limit_per_hour():
    assert [mail_ip_take(ip="10.0.0.1") for _ in range(6)] == [True] * 5 + [False]
    assert mail_ip_take(ip="10.0.0.2") is True


def test_mail_address_take_once_per_interval():
    assert [mail_address_take(address="A@example.com"), mail_address_take(address="a@example.com ")] == [True, False]
    assert mail_address_take(address="b@example.com") is True
