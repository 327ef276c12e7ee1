import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from accounts.models import ApiToken, User
from accounts.services import (
    LoginThrottled,
    user_authenticate,
    user_send_verification,
    user_signup,
    user_token_issue,
    user_verify_email,
)
from accounts.tokens import verification_token_make
from tests.accounts.conftest import PASSWORD


def test_user_signup_stores_lowercase_unverified_user(db):
    user = user_signup(email="  New.Person@Example.COM ", full_name=" Nina New ", password=PASSWORD)

    assert (user.email, user.full_name, user.email_verified, user.check_password(PASSWORD)) == (
        "new.person@example.com",
        "Nina New",
        False,
        True,
    )
    assert [m.to for m in mail.outbox] == [["new.person@example.com"]]


def test_user_signup_weak_password_reported_whoever_has_the_address(user):
    with pytest.raises(ValidationError) as caught:
        user_signup(email="VERIFIED@example.com", full_name="Vera Again", password="12345678")

    assert caught.value.message_dict == {
        "password": ["This password is too common.", "This password is entirely numeric."],
    }
    assert (User.objects.count(), mail.outbox) == (1, [])


def test_user_signup_existing_address_returns_none_and_mails_owner(user):
    assert user_signup(email="VERIFIED@example.com", full_name="Vera Again", password=PASSWORD) is None

    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("Someone tried to sign up to Kizuna with your address", ["verified@example.com"])
    ]


def test_user_signup_password_like_email_rejected(db):
    with pytest.raises(ValidationError) as caught:
        user_signup(email="kawasaki.hiroshi@example.jp", full_name="Kawasaki", password="kawasaki.hiroshi")

    assert caught.value.message_dict == {"password": ["The password is too similar to the e-mail address."]}


def test_user_verify_email_marks_verified(unverified_user):
    token = verification_token_make(user_id=unverified_user.pk, email=unverified_user.email)

    user = user_verify_email(token=token)

    unverified_user.refresh_from_db()
    assert (user, unverified_user.email_verified) == (unverified_user, True)


def test_user_verify_email_token_for_old_address_rejected(unverified_user):
    token = verification_token_make(user_id=unverified_user.pk, email="old@example.com")

    with pytest.raises(ValidationError) as caught:
        user_verify_email(token=token)

    assert caught.value.messages == ["This verification link is invalid or has expired."]
    unverified_user.refresh_from_db()
    assert unverified_user.email_verified is False


def test_user_send_verification_unknown_or_verified_sends_nothing(user):
    user_send_verification(email="nobody@example.com")
    user_send_verification(email=user.email)

    assert mail.outbox == []


def test_user_send_verification_second_request_within_interval_sends_nothing(unverified_user):
    user_send_verification(email="Pending@Example.com")
    user_send_verification(email="pending@example.com")

    assert [m.to for m in mail.outbox] == [["pending@example.com"]]


def _request(ip: str):
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)


def test_user_authenticate_unverified_not_counted_as_failure(unverified_user):
    for _ in range(4):
        with pytest.raises(ValidationError) as caught:
            user_authenticate(request=_request("10.0.0.1"), email=unverified_user.email, password=PASSWORD)
        assert [e.code for e in caught.value.error_list] == ["unverified"]


def test_user_authenticate_throttled_even_with_right_password(user, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    for _ in range(3):
        with pytest.raises(ValidationError):
            user_authenticate(request=_request("10.0.0.1"), email=user.email, password="wrong")

    with pytest.raises(LoginThrottled) as caught:
        user_authenticate(request=_request("10.0.0.1"), email=user.email, password=PASSWORD)

    assert (caught.value.messages, caught.value.wait_seconds) == (
        ["Too many failed attempts; try again in 1 minute."],
        60,
    )
    assert user_authenticate(request=_request("10.0.0.2"), email=user.email, password=PASSWORD) == user


def test_user_token_issue_clears_expired_tokens(user):
    (old_key, old), (new_key, new) = user_token_issue(user=user), user_token_issue(user=user)
    ApiToken.objects.filter(pk=old.pk).update(expires_at=old.created_at)

    _key, newest = user_token_issue(user=user)

    assert list(ApiToken.objects.filter(user=user).values_list("pk", flat=True)) == [newest.pk, new.pk]
    assert old_key != new_key
