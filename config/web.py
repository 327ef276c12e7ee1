"""What every app's pages share, in one place: the bound-form data, a page of a list, a service's
ValidationError shown on a form or as messages, and the role gates of pages (the permission vocabulary
of accounts.permissions and the apps' permissions modules, for pages that show something before any
service is asked, such as a form or a queue).

A page that calls a service needs no gate of its own for what the service checks: the service's
PermissionDenied becomes Django's 403 page.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data on a POST (even an empty one, so the form is bound and says what is missing), else None."""
    return request.POST if request.method == "POST" else None


def page_of(request: HttpRequest, items: Any, per_page: int) -> Page:
    """The page `?page=` asks for; a number out of range or not a number gives the nearest valid page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def error_text(error: ValidationError) -> str:
    """A service's reasons as one line, for a message or a page's error slot."""
    return " ".join(error.messages)


def flash_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's reasons as error messages on the next page, one per reason."""
    for message in error.messages:
        messages.error(request, message)


def form_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: known fields by name (a form may map the service's
    names to its own in ERROR_FIELDS), the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        field = getattr(form, "ERROR_FIELDS", {}).get(field, field)
        form.add_error(field if field in form.fields else None, field_messages)


def role_required(check: Callable[..., None]) -> Callable[[Callable], Callable]:
    """A page for one role: anonymous visitors log in first; a signed-in user that `check` (a
    `require_<role>(*, user)` of the permission vocabulary) refuses gets a 403 with its sentence."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            check(user=request.user)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
