import datetime as dt
import time

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import token_key_hash
from tests.accounts.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/auth/me/"


@pytest.fixture
def api():
    return APIClient()


def _token(api, *, email, password=PASSWORD, ip="127.0.0.1"):
    return api.post(TOKEN_URL, {"email": email, "password": password}, format="json", REMOTE_ADDR=ip)


def test_token_valid_credentials_returns_new_token_stored_as_hash(api, user):
    response = _token(api, email="Verified@Example.com")

    body = response.json()
    token = ApiToken.objects.get(user=user)
    assert (response.status_code, body["id"], token.key_hash, token.prefix) == (
        200, token.pk, token_key_hash(body["token"]), body["token"][:8]
    )  # fmt: skip
    assert not ApiToken.objects.filter(key_hash=body["token"]).exists()


def test_token_each_request_issues_another_token(api, user):
    first, second = _token(api, email=user.email).json(), _token(api, email=user.email).json()

    assert first["token"] != second["token"]
    assert ApiToken.objects.filter(user=user).count() == 2


def test_token_at_most_ten_per_user_oldest_retired(api, user):
    first = _token(api, email=user.email).json()
    for _ in range(10):
        _token(api, email=user.email)

    assert ApiToken.objects.filter(user=user).count() == 10
    assert not ApiToken.objects.filter(pk=first["id"]).exists()


def test_tokens_listed_for_their_owner_only(api, user, admin_user):
    named = api.post(TOKEN_URL, {"email": user.email, "password": PASSWORD, "name": "ERP sync"}, format="json").json()
    other = _token(api, email=user.email).json()
    api.credentials(HTTP_AUTHORIZATION=f"Token {other['token']}")

    rows = api.get("/api/v1/auth/tokens/").json()

    assert [(r["id"], r["name"], r["prefix"], r["is_current"]) for r in rows] == [
        (other["id"], "", other["token"][:8], True),
        (named["id"], "ERP sync", named["token"][:8], False),
    ]
    assert all("token" not in r for r in rows)


def test_token_revoked_by_its_owner_stops_working(api, user):
    keep, drop = _token(api, email=user.email).json(), _token(api, email=user.email).json()
    api.credentials(HTTP_AUTHORIZATION=f"Token {keep['token']}")

    response = api.delete(f"/api/v1/auth/tokens/{drop['id']}/")
    api.credentials(HTTP_AUTHORIZATION=f"Token {drop['token']}")

    assert (response.status_code, api.get(ME_URL).status_code) == (204, 401)
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [keep["id"]]


def test_token_of_another_user_cannot_be_revoked(api, user, django_user_model):
    from tests.factories import UserFactory

    other = UserFactory(email="other@example.com")
    theirs = _token(api, email=other.email).json()
    api.force_authenticate(user)

    assert api.delete(f"/api/v1/auth/tokens/{theirs['id']}/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs["id"]).exists()


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
    assert ApiToken.objects.count() == 0


def test_token_throttled_429_even_with_right_password(api, user, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    for _ in range(3):
        _token(api, email=user.email, password="wrong", ip="10.0.0.1")

    response = _token(api, email=user.email, ip="10.0.0.1")

    assert (response.status_code, response["Retry-After"], response.json()) == (
        429,
        "60",
        {"detail": "Too many failed attempts; try again in 1 minute. Expected available in 60 seconds."},
    )
    assert ApiToken.objects.count() == 0


def test_token_other_ip_not_locked_out(api, user):
    for _ in range(5):
        _token(api, email=user.email, password="wrong", ip="10.0.0.1")

    assert _token(api, email=user.email, ip="10.0.0.99").status_code == 200


def test_token_page_and_api_share_throttle(api, client, user):
    for _ in range(3):
        client.post("/accounts/login/", {"email": user.email, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")

    assert _token(api, email=user.email, ip="10.0.0.1").status_code == 429


def test_me_anonymous_401(api, db):
    response = api.get(ME_URL)

    assert (response.status_code, response.json()) == (401, {"detail": "Authentication credentials were not provided."})


def test_me_bad_token_401(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = api.get(ME_URL)

    assert (response.status_code, response.json()) == (401, {"detail": "Invalid token."})


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


def _age(key: str, days: int, lifetime: int = 30) -> None:
    issued = timezone.now() - dt.timedelta(days=days)
    ApiToken.objects.filter(key_hash=token_key_hash(key)).update(
        created_at=issued, expires_at=issued + dt.timedelta(days=lifetime)
    )


def test_token_older_than_its_lifetime_is_refused_then_replaced(api, user, settings):
    settings.API_TOKEN_DAYS = 30
    old = _token(api, email=user.email).json()["token"]
    _age(old, days=31)

    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    refused = api.get(ME_URL)
    api.credentials()
    new = _token(api, email=user.email).json()["token"]

    assert (refused.status_code, refused.json()) == (
        401, {"detail": "This token has expired: ask for a new one with your e-mail and password."}
    )  # fmt: skip
    assert new != old and list(ApiToken.objects.filter(user=user).values_list("key_hash", flat=True)) == [
        token_key_hash(new)
    ]


def test_token_within_its_lifetime_works(api, user):
    key = _token(api, email=user.email).json()["token"]
    _age(key, days=29)
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
    assert (ApiToken.objects.filter(user=user).count(), api.get(ME_URL).status_code) == (0, 401)


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
    assert ApiToken.objects.filter(user=user).count() == 0
