import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tokens import verification_token_make
from tests.accounts.conftest import PASSWORD, link_path


def _signup(client, *, email="new@example.com", password=PASSWORD, confirm=None, next_url=""):
    data = {"email": email, "full_name": "Nina New", "password": password, "password_confirm": confirm or password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:signup"), data)


def _login(client, *, email, password=PASSWORD, ip="127.0.0.1", next_url=""):
    data = {"email": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ip)


def _form_errors(response) -> dict[str, list[str]]:
    errors = response.context["form"].errors.get_json_data()
    return {field: [error["message"] for error in field_errors] for field, field_errors in errors.items()}


# Pages render


@pytest.mark.parametrize(
    ("name", "template", "heading"),
    [
        ("accounts:signup", "accounts/signup.html", "<h1>Sign up</h1>"),
        ("accounts:login", "accounts/login.html", "<h1>Log in</h1>"),
        ("accounts:verification_sent", "accounts/verification_sent.html", "<h1>Check your inbox</h1>"),
        ("accounts:resend_verification", "accounts/resend_verification.html", "<h1>New verification link</h1>"),
        ("accounts:password_reset", "accounts/password_reset_form.html", "<h1>Reset password</h1>"),
        ("accounts:password_reset_done", "accounts/password_reset_done.html", "<h1>Check your inbox</h1>"),
        ("accounts:password_reset_complete", "accounts/password_reset_complete.html", "<h1>Password set</h1>"),
    ],
)
def test_anonymous_page_renders_heading(client, db, name, template, heading):
    response = client.get(reverse(name))

    assert (response.status_code, response.templates[0].name) == (200, template)
    assert heading in response.content.decode()


@pytest.mark.parametrize(
    ("name", "template", "heading"),
    [
        ("accounts:password_change", "accounts/password_change_form.html", "<h1>Change password</h1>"),
        ("accounts:password_change_done", "accounts/password_change_done.html", "<h1>Password changed</h1>"),
    ],
)
def test_logged_in_page_renders_heading(client, user, name, template, heading):
    client.force_login(user)

    response = client.get(reverse(name))

    assert (response.status_code, response.templates[0].name) == (200, template)
    assert heading in response.content.decode()


def test_signup_page_shows_fields_and_keeps_next(client, db):
    response = client.get(reverse("accounts:signup"), {"next": "/companies/invitations/abc/"})

    assert list(response.context["form"].fields) == ["email", "full_name", "password", "password_confirm"]
    assert '<input type="hidden" name="next" value="/companies/invitations/abc/">' in response.content.decode()


def test_signup_page_ja_shows_password_rules_in_japanese(client, db):
    response = client.get(reverse("accounts:signup"), HTTP_ACCEPT_LANGUAGE="ja")

    assert "<li>パスワードは最低 8 文字以上必要です。</li>" in response.content.decode()


def test_login_page_links_signup_and_reset_keeping_next(client, db):
    html = client.get(reverse("accounts:login"), {"next": "/missions/1/"}).content.decode()

    assert '<a href="/accounts/signup/?next=%2Fmissions%2F1%2F">Sign up</a>' in html
    assert '<a href="/accounts/password/reset/">Forgotten your password?</a>' in html
    assert '<input type="hidden" name="next" value="/missions/1/">' in html


def test_verification_sent_page_states_validity(client, db):
    response = client.get(reverse("accounts:verification_sent"))

    assert "The link is valid for 3 days." in response.content.decode()


# Sign-up and verification


def test_signup_valid_creates_unverified_user_and_emails_link(client, db):
    response = _signup(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verification_sent")
    user = User.objects.get()
    assert (user.email, user.full_name, user.email_verified) == ("new@example.com", "Nina New", False)
    (message,) = mail.outbox
    assert (message.subject, message.to) == ("Confirm your e-mail address for Kizuna", ["new@example.com"])
    token = verification_token_make(user_id=user.pk, email=user.email)
    assert link_path(message.body, settings.SITE_URL) == reverse("accounts:verify", kwargs={"token": token})


def test_signup_link_verifies_and_leads_to_login(client, db):
    _signup(client)

    response = client.get(link_path(mail.outbox[0].body, settings.SITE_URL))

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:login"))
    assert User.objects.get().email_verified is True
    login_page = client.get(response["Location"])
    assert [str(m) for m in login_page.context["messages"]] == ["Your e-mail address is verified. You can log in now."]
    assert _login(client, email="new@example.com")["Location"] == "/"


def test_signup_next_survives_verify_and_login(client, db):
    invitation = "/companies/invitations/abc/?x=1"
    _signup(client, next_url=invitation)
    path = link_path(mail.outbox[0].body, settings.SITE_URL)
    assert path.endswith("?next=%2Fcompanies%2Finvitations%2Fabc%2F%3Fx%3D1")

    verified = client.get(path)
    login_page = client.get(verified["Location"])
    logged_in = _login(client, email="new@example.com", next_url=login_page.context["next"])

    assert verified["Location"] == "/accounts/login/?next=%2Fcompanies%2Finvitations%2Fabc%2F%3Fx%3D1"
    assert logged_in["Location"] == invitation


def test_signup_offsite_next_dropped(client, db):
    _signup(client, next_url="https://evil.example/phish")

    assert "?" not in link_path(mail.outbox[0].body, settings.SITE_URL)


@pytest.mark.parametrize(
    ("password", "errors"),
    [
        ("password", ["This password is too common."]),
        ("12345678", ["This password is too common.", "This password is entirely numeric."]),
        ("kizuna7", ["This password is too short. It must contain at least 8 characters."]),
    ],
)
def test_signup_weak_password_rejected(client, db, password, errors):
    response = _signup(client, password=password)

    assert (response.status_code, _form_errors(response)) == (200, {"password": errors})
    assert (User.objects.count(), mail.outbox) == (0, [])


def test_signup_mismatched_confirmation_rejected(client, db):
    response = _signup(client, confirm="correct-horse-battery-2")

    assert _form_errors(response) == {"password_confirm": ["The two passwords differ."]}
    assert User.objects.count() == 0


def test_signup_existing_email_answers_like_new_and_tells_owner(client, user):
    response = _signup(client, email="Verified@Example.com")

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:verification_sent"))
    assert User.objects.count() == 1
    (message,) = mail.outbox
    assert (message.subject, message.to) == (
        "Someone tried to sign up to Kizuna with your address",
        ["verified@example.com"],
    )
    assert f"{settings.SITE_URL}/accounts/password/reset/" in message.body


def test_signup_existing_email_mails_owner_once_a_minute(client, user):
    for _ in range(3):
        _signup(client, email="verified@example.com")

    assert len(mail.outbox) == 1


def test_signup_too_many_from_one_ip_refused_without_saying_who_exists(client, user):
    for n in range(5):
        _signup(client, email=f"new{n}@example.com")

    refused_new = _signup(client, email="new9@example.com")
    refused_existing = _signup(client, email="verified@example.com")

    expected = {"__all__": ["Too many requests from your network; please try again in an hour."]}
    assert (_form_errors(refused_new), _form_errors(refused_existing)) == (expected, expected)
    assert User.objects.count() == 6


def test_password_reset_mails_an_address_once_a_minute(client, user):
    for _ in range(3):
        response = client.post(reverse("accounts:password_reset"), {"email": user.email})

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert [m.to for m in mail.outbox] == [["verified@example.com"]]


def test_password_reset_too_many_from_one_ip_refused(client, user):
    for n in range(5):
        client.post(reverse("accounts:password_reset"), {"email": f"nobody{n}@example.com"})

    response = client.post(reverse("accounts:password_reset"), {"email": user.email})

    assert _form_errors(response) == {"__all__": ["Too many requests from your network; please try again in an hour."]}
    assert mail.outbox == []


def test_verify_forged_token_shows_failure(client, db):
    response = client.get(reverse("accounts:verify", kwargs={"token": "abc:def:ghi"}))

    assert (response.status_code, response.context["errors"]) == (
        400,
        ["This verification link is invalid or has expired."],
    )
    assert f'href="{reverse("accounts:resend_verification")}"' in response.content.decode()


def test_verify_link_after_three_days_expired(client, unverified_user, monkeypatch):
    token = verification_token_make(user_id=unverified_user.pk, email=unverified_user.email)
    link = reverse("accounts:verify", kwargs={"token": token})
    later = time.time() + 3 * 24 * 3600 + 1
    monkeypatch.setattr(time, "time", lambda: later)

    response = client.get(link)

    assert (response.status_code, response.context["errors"]) == (
        400,
        ["This verification link is invalid or has expired."],
    )
    unverified_user.refresh_from_db()
    assert unverified_user.email_verified is False


def test_resend_verification_unverified_sends_link_with_next(client, unverified_user):
    response = client.post(
        reverse("accounts:resend_verification"), {"email": "pending@example.com", "next": "/missions/1/"}
    )

    assert response["Location"] == reverse("accounts:verification_sent")
    (message,) = mail.outbox
    assert message.to == ["pending@example.com"]
    assert link_path(message.body, settings.SITE_URL).endswith("?next=%2Fmissions%2F1%2F")


def test_resend_verification_unknown_email_same_answer_no_mail(client, db):
    response = client.post(reverse("accounts:resend_verification"), {"email": "nobody@example.com"})

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:verification_sent"))
    assert mail.outbox == []


def test_resend_verification_prefills_email_from_query(client, db):
    response = client.get(reverse("accounts:resend_verification"), {"email": "pending@example.com"})

    assert response.context["form"]["email"].value() == "pending@example.com"


# Login and logout


def test_login_verified_user_logged_in(client, user):
    response = _login(client, email="VERIFIED@example.com")

    assert response["Location"] == "/"
    assert client.get(reverse("accounts:password_change")).context["user"] == user


def test_login_offsite_next_goes_home(client, user):
    response = _login(client, email=user.email, next_url="https://evil.example/")

    assert response["Location"] == "/"


def test_login_wrong_password_refused(client, user):
    response = _login(client, email=user.email, password="wrong-horse")

    assert _form_errors(response) == {"__all__": ["Please enter a correct e-mail address and password."]}
    assert "_auth_user_id" not in client.session


def test_login_unverified_refused_with_resend_link(client, unverified_user):
    response = _login(client, email=unverified_user.email, next_url="/missions/1/")

    assert _form_errors(response) == {
        "__all__": ["Please verify your e-mail address first: follow the link we sent you."]
    }
    assert response.context["resend_url"] == (
        "/accounts/verify/resend/?email=pending%40example.com&next=%2Fmissions%2F1%2F"
    )
    assert 'href="/accounts/verify/resend/?email=pending%40example.com&amp;next=%2Fmissions%2F1%2F"' in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_login_throttled_per_ip_and_account_even_with_right_password(client, user, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    for _ in range(3):
        _login(client, email=user.email, password="wrong", ip="10.0.0.1")

    response = _login(client, email=user.email, ip="10.0.0.1")

    assert _form_errors(response) == {"__all__": ["Too many failed attempts; try again in 1 minute."]}
    assert "_auth_user_id" not in client.session


def test_login_victim_not_locked_out_by_attacker_elsewhere(client, user, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    for _ in range(8):
        _login(client, email=user.email, password="wrong", ip="10.6.6.6")

    response = _login(client, email=user.email, ip="10.0.0.2")

    assert response["Location"] == "/"


def test_login_throttled_per_ip_across_accounts(client, user, monkeypatch):
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    for n in range(10):
        _login(client, email=f"guess{n}@example.com", password="wrong", ip="10.0.0.1")

    refused = _login(client, email=user.email, ip="10.0.0.1")
    allowed = _login(client, email=user.email, ip="10.0.0.2")

    assert _form_errors(refused) == {"__all__": ["Too many failed attempts; try again in 10 minutes."]}
    assert allowed["Location"] == "/"


def test_admin_login_sends_to_site_login(client, db):
    response = client.post("/admin/login/?next=/admin/companies/", {"username": "x", "password": "y"})

    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=%2Fadmin%2Fcompanies%2F")


def test_admin_login_signed_in_non_staff_forbidden(client, user):
    client.force_login(user)

    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_admin_reached_by_staff_after_site_login(client, user):
    user.is_staff = True
    user.is_superuser = True
    user.save()

    response = _login(client, email=user.email, next_url="/admin/")

    assert (response["Location"], client.get("/admin/").status_code) == ("/admin/", 200)


def test_login_success_clears_account_counter(client, user):
    for ip in ("10.0.0.1", "10.0.0.2"):
        _login(client, email=user.email, password="wrong", ip=ip)
    _login(client, email=user.email, ip="10.0.0.3")
    client.logout()
    for ip in ("10.0.0.4", "10.0.0.5"):
        _login(client, email=user.email, password="wrong", ip=ip)

    response = _login(client, email=user.email, ip="10.0.0.6")

    assert response["Location"] == "/"


def test_logout_post_logs_out(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:logout"))

    assert (response.status_code, response["Location"]) == (302, "/")
    assert "_auth_user_id" not in client.session


def test_logout_get_not_allowed(client, user):
    client.force_login(user)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)


# Password change and reset


def test_password_change_anonymous_redirected_to_login(client, db):
    response = client.get(reverse("accounts:password_change"))

    assert response["Location"] == "/accounts/login/?next=/accounts/password/change/"


def test_password_change_valid_sets_new_password(client, user):
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "staple-battery-horse", "new_password2": "staple-battery-horse"},
    )

    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("staple-battery-horse") is True


def test_password_change_common_password_rejected(client, user):
    client.force_login(user)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    )

    assert _form_errors(response) == {"new_password2": ["This password is too common."]}


def test_password_reset_emails_link_and_confirm_sets_password(client, user):
    response = client.post(reverse("accounts:password_reset"), {"email": "verified@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert (message.subject, message.to) == ("Reset your Kizuna password", ["verified@example.com"])

    # Django swaps the token in the link for a session value, then shows the form.
    form_page = client.get(link_path(message.body, settings.SITE_URL), follow=True)
    assert (form_page.templates[0].name, form_page.context["validlink"]) == (
        "accounts/password_reset_confirm.html",
        True,
    )
    new_password = {"new_password1": "staple-battery-horse", "new_password2": "staple-battery-horse"}
    done = client.post(form_page.redirect_chain[-1][0], new_password)

    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("staple-battery-horse") is True


def test_password_reset_unknown_email_same_answer_no_mail(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_bad_link_shows_invalid(client, user):
    response = client.get(reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}))

    assert response.context["validlink"] is False
    assert "This password reset link is invalid or has already been used." in response.content.decode()


# API tokens on the settings page ---------------------------------------------------------------


def test_settings_token_create_shows_key_once_and_it_opens_the_api(client, user):
    client.force_login(user)

    response = client.post(reverse("accounts:api_token_new"), {"name": "Nightly export"})
    key = response.context["new_token_key"]
    again = client.get(reverse("accounts:settings"))

    assert key in response.content.decode()
    assert key not in again.content.decode() and "Nightly export" in again.content.decode()
    assert Client().get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_settings_token_revoke_ends_only_that_token(client, user):
    from accounts.services import user_token_issue

    key_a, token_a = user_token_issue(user=user, name="a")
    key_b, _token_b = user_token_issue(user=user, name="b")
    client.force_login(user)

    client.post(reverse("accounts:api_token_revoke", args=[token_a.pk]))

    api = Client()  # no session: only the token speaks
    assert api.get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Token {key_a}").status_code in (401, 403)
    assert api.get("/api/v1/auth/me/", HTTP_AUTHORIZATION=f"Token {key_b}").status_code == 200


def test_settings_token_revoke_of_someone_else_changes_nothing(client, user, django_user_model):
    from accounts.services import user_token_issue

    other = django_user_model.objects.create_user(email="other@example.com", password=PASSWORD)
    _key, theirs = user_token_issue(user=other)
    client.force_login(user)

    response = client.post(reverse("accounts:api_token_revoke", args=[theirs.pk]), follow=True)

    assert other.api_tokens.filter(pk=theirs.pk).exists()
    assert "No such token" in response.content.decode()


def test_settings_tokens_revoke_all(client, user):
    from accounts.services import user_token_issue

    for name in ("a", "b"):
        user_token_issue(user=user, name=name)
    client.force_login(user)

    client.post(reverse("accounts:api_tokens_revoke_all"))

    assert user.api_tokens.count() == 0
