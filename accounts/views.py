"""Sign-up, e-mail verification and login pages, the user's settings and notification centre.
Password change and reset use Django's views (see urls)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.forms import ApiTokenForm, EmailForm, LoginForm, PasswordResetForm, SettingsForm, SignupForm
from accounts.permissions import is_admin
from accounts.services import (
    calendar_feed_regenerate,
    mail_request_allow,
    notification_mark_read,
    notifications_mark_all_read,
    user_authenticate,
    user_send_verification,
    user_settings_update,
    user_signup,
    user_token_issue,
    user_token_revoke,
    user_tokens_revoke,
    user_verify_email,
)
from accounts.throttle import client_ip
from accounts.tokens import VERIFICATION_MAX_AGE
from config.web import error_text, form_errors, page_of, posted


def next_url_get(request: HttpRequest) -> str:
    """The `next` parameter when it points back into this site (never an open redirect), else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe else ""


def _with_query(url: str, **params: str) -> str:
    params = {key: value for key, value in params.items() if value}
    return f"{url}?{urlencode(params)}" if params else url


@sensitive_post_parameters("password", "password_confirm")
@csrf_protect
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    next_url = next_url_get(request)
    if request.user.is_authenticated:
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = SignupForm(posted(request))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            user_signup(
                email=data["email"], full_name=data["full_name"], password=data["password"], next_url=next_url,
                language=translation.get_language_from_request(request), ip=client_ip(request),
            )  # fmt: skip
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("accounts:verification_sent")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


def verification_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/verification_sent.html", {"days": VERIFICATION_MAX_AGE.days})


@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    next_url = next_url_get(request)
    try:
        user_verify_email(token=token)
    except ValidationError as error:
        context = {
            "errors": error.messages,
            "resend_url": _with_query(reverse("accounts:resend_verification"), next=next_url),
        }
        return render(request, "accounts/verify_failed.html", context, status=400)
    messages.success(request, _("Your e-mail address is verified. You can log in now."))
    return redirect(_with_query(reverse("accounts:login"), next=next_url))


@csrf_protect
@never_cache
def resend_verification(request: HttpRequest) -> HttpResponse:
    next_url = next_url_get(request)
    form = EmailForm(posted(request), initial={"email": request.GET.get("email", "")})
    if form.is_bound and form.is_valid():
        try:
            user_send_verification(email=form.cleaned_data["email"], next_url=next_url, ip=client_ip(request))
        except ValidationError as error:
            form_errors(form, error)
        else:
            return redirect("accounts:verification_sent")
    return render(request, "accounts/resend_verification.html", {"form": form, "next": next_url})


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = next_url_get(request)
    if request.user.is_authenticated and request.method == "GET":
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = LoginForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            user = user_authenticate(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            auth_login(request, user)
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    resend_url = ""
    if form.has_error(NON_FIELD_ERRORS, code="unverified"):
        resend_url = _with_query(
            reverse("accounts:resend_verification"), email=form.cleaned_data["email"], next=next_url
        )
    context = {
        "form": form,
        "next": next_url,
        "resend_url": resend_url,
        "signup_url": _with_query(reverse("accounts:signup"), next=next_url),
    }
    return render(request, "accounts/login.html", context)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin's login address: sends staff to the site's login page (one door, one throttle).

    A signed-in user who is not staff gets a 403 rather than a loop between the two login pages."""
    if request.user.is_authenticated and not is_admin(request.user):
        raise PermissionDenied
    return redirect(_with_query(reverse("accounts:login"), next=next_url_get(request) or reverse("admin:index")))


@login_required
@csrf_protect
def user_settings(request: HttpRequest) -> HttpResponse:
    """Name, the language of e-mails (the pages switch to it too), immediate e-mails or a daily digest."""
    user = request.user
    form = SettingsForm(request.POST) if request.method == "POST" else _settings_form(user)
    if form.is_bound and form.is_valid():
        try:
            user_settings_update(user=user, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            translation.activate(user.language)
            messages.success(request, _("Your settings are saved."))
            response = redirect("accounts:settings")
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return _settings_page(request, form)


def _settings_page(request: HttpRequest, form: SettingsForm, **extra) -> HttpResponse:
    context = {"form": form, **_calendar_context(request.user), **_token_context(request.user), **extra}
    return render(request, "accounts/settings.html", context)


def _settings_form(user) -> SettingsForm:
    return SettingsForm(
        initial={"full_name": user.full_name, "language": user.language, "email_frequency": user.email_frequency}
    )


def _token_context(user) -> dict:
    """The "API tokens" section: the user's tokens with their expiry, and a form to issue one."""
    tokens = list(selectors.api_tokens_of(user=user))
    return {"api_tokens": tokens, "token_form": ApiTokenForm(), "api_token_days": settings.API_TOKEN_DAYS}


@login_required
@require_POST
def api_token_new(request: HttpRequest) -> HttpResponse:
    """Issue a token and show its key on this answer only (it is stored hashed: it cannot be shown again).
    Rendered, not redirected, so the key never sits in a session or a message cookie."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, _settings_form(request.user), token_form=form)
    key, token = user_token_issue(user=request.user, name=form.cleaned_data["name"])
    return _settings_page(request, _settings_form(request.user), new_token_key=key, new_token=token)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if user_token_revoke(user=request.user, token_id=pk):
        messages.success(request, _("The token is revoked: programs using it can no longer reach the API."))
    else:
        messages.error(request, _("No such token: it may have expired or been revoked already."))
    return redirect(reverse("accounts:settings") + "#api-tokens")


@login_required
@require_POST
def api_tokens_revoke_all(request: HttpRequest) -> HttpResponse:
    count = user_tokens_revoke(user=request.user)
    messages.success(request, _("All your API tokens are revoked (%(count)d).") % {"count": count})
    return redirect(reverse("accounts:settings") + "#api-tokens")


def _calendar_context(user) -> dict:
    """The "Subscribe in your calendar" section: for firm members, whose firm's meetings the feed lists."""
    has_firm = selectors.user_membership(user=user) is not None
    feed = selectors.calendar_feed_of(user=user) if has_firm else None
    return {"calendar_available": has_firm, "calendar_feed": feed}


@login_required
@require_POST
def calendar_feed_new(request: HttpRequest) -> HttpResponse:
    """A new calendar feed link; the previous one stops working (the page says so beside the button)."""
    had_one = selectors.calendar_feed_of(user=request.user) is not None
    try:
        calendar_feed_regenerate(user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("accounts:settings")
    if had_one:
        messages.success(request, _("Here is your new calendar link. The previous link no longer works."))
    else:
        messages.success(request, _("Here is your calendar link."))
    return redirect(reverse("accounts:settings") + "#calendar")


NOTIFICATIONS_PAGE_SIZE = 30


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.notifications_of(user=request.user), NOTIFICATIONS_PAGE_SIZE)
    rows = selectors.notification_views(notifications=list(page.object_list))
    return render(request, "accounts/notifications.html", {"page": page, "rows": rows})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.notifications_of(user=request.user).filter(pk=pk).exists():
        raise Http404
    notification_mark_read(user=request.user, notification_id=pk)
    return redirect(next_url_get(request) or reverse("accounts:notifications"))


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("accounts:notifications")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; a new password also ends the user's API tokens."""

    def form_valid(self, form):
        response = super().form_valid(form)
        user_tokens_revoke(user=form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page under the mail limits: an address gets one mail a minute, an IP address a few an hour.
    The page answers alike whether or not the address has an account."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        try:
            mail_request_allow(ip=client_ip(self.request))
        except ValidationError as error:
            form_errors(form, error)
            return self.form_invalid(form)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page; a reset password also ends the user's API tokens."""

    def form_valid(self, form):
        response = super().form_valid(form)
        user_tokens_revoke(user=form.user)
        return response
