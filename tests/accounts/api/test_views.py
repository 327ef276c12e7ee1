import datetime as dt
import time

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.accounts.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"


@pytest.fixture
def api():
    return APIClient()


def _token(api, *, email, password=PASSWORD, ip="127.0.0.1"):
    return api.post(TOKEN_URL, {"email": email, "password": password}, format="json", REMOTE_ADDR=ip)


def test_token_valid_credentials_returns_users_token(api, user):
    response = _token(api, email="Verified@Example.com")

    assert (response.status_code, response.json()) == (200, {"token": Token.objects.get(user=user).key})


def test_token_second_request_returns_same_token(api, user):
    assert _token(api, email=user.email).json() == _token(api, email=user.email).json()


def test_token_wrong_password_400(api, user):
    response = _token(api, email=user.email, password="wrong-horse")

    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Please enter a correct e-mail address and password."]},
    )


def test_token_invalid_input_400_per_field(api, db):
    response = api.post(TOKEN_URL, {"email": "not-an-address"}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"email": ["Enter a valid email address."], "password": ["This field is required."]},
    )


def test_token_unverified_400(api, unverified_user):
    response = _token(api, email=unverified_user.email)

    assert (response.status_code, response.json()) == (
        400,
        {"non_field_errors": ["Please verify your e-mail address first: follow the link we sent you."]},
    )
    assert Token.objects.count() == 0


def test_token_throttled_429_even_with_right_password(api, user, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    for n in range(3):
        _token(api, email=user.email, password="wrong", ip=f"10.0.0.{n}")

    response = _token(api, email=user.email, ip="10.0.0.99")

    assert (response.status_code, response["Retry-After"], response.json()) == (
        429,
        "600",
        {"detail": "Too many failed attempts; try again in 10 minutes. Expected available in 600 seconds."},
    )
    assert Token.objects.count() == 0


def test_token_page_and_api_share_throttle(api, client, user):
    for n in range(3):
        client.post("/accounts/login/", {"email": user.email, "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n}")

    assert _token(api, email=user.email, ip="10.0.0.99").status_code == 429


def test_me_anonymous_403(api, db):
    response = api.get(ME_URL)

    assert (response.status_code, response.json()) == (403, {"detail": "Authentication credentials were not provided."})


def test_me_bad_token_403(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api.get(ME_URL)

    assert (response.status_code, response.json()) == (403, {"detail": "Invalid token."})


def test_me_member_shows_company(api, member_a, company_a):
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(api, email=member_a.email).json()['token']}")

    response = api.get(ME_URL)

    assert (response.status_code, response.json()) == (
        200,
        {
            "id": member_a.pk,
            "email": member_a.email,
            "full_name": member_a.full_name,
            "is_organiser": False,
            "is_staff": False,
            "company": company_a.pk,
            "company_role": "owner",
        },
    )


def test_me_organiser_has_no_company(api, organiser):
    api.force_authenticate(organiser)

    response = api.get(ME_URL)

    assert response.json() == {
        "id": organiser.pk,
        "email": "organiser@example.com",
        "full_name": organiser.full_name,
        "is_organiser": True,
        "is_staff": False,
        "company": None,
        "company_role": None,
    }


def test_me_admin_is_staff(api, admin_user):
    api.force_authenticate(admin_user)

    response = api.get(ME_URL)

    assert (response.json()["is_staff"], response.json()["company"]) == (True, None)


def _age(token: Token, days: int) -> None:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(days=days))


def test_token_older_than_its_lifetime_is_refused_then_replaced(api, user, settings):
    settings.API_TOKEN_DAYS = 30
    old = _token(api, email=user.email).json()["token"]
    _age(Token.objects.get(key=old), days=31)

    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    refused = api.get(ME_URL)
    api.credentials()
    new = _token(api, email=user.email).json()["token"]

    assert (refused.status_code, refused.json()) == (
        403, {"detail": "This token has expired: ask for a new one with your e-mail and password."}
    )  # fmt: skip
    assert new != old and list(Token.objects.filter(user=user).values_list("key", flat=True)) == [new]


def test_token_within_its_lifetime_works(api, user):
    key = _token(api, email=user.email).json()["token"]
    _age(Token.objects.get(key=key), days=29)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.get(ME_URL).status_code == 200


def test_password_change_revokes_the_api_token(api, client, user):
    key = _token(api, email=user.email).json()["token"]
    client.force_login(user)

    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "a-new-Passphrase-2027", "new_password2": "a-new-Passphrase-2027",
    })  # fmt: skip
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 302
    assert (Token.objects.filter(user=user).count(), api.get(ME_URL).status_code) == (0, 403)


def test_password_reset_revokes_the_api_token(api, client, user):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _token(api, email=user.email)
    uid, reset = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    form_url = client.get(f"/accounts/password/reset/{uid}/{reset}/", follow=True).redirect_chain[-1][0]

    response = client.post(
        form_url, {"new_password1": "a-new-Passphrase-2027", "new_password2": "a-new-Passphrase-2027"}
    )

    assert response.status_code == 302
    assert Token.objects.filter(user=user).count() == 0
