"""config.web: the helpers every app's pages share."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.permissions import require_admin
from config.web import error_text, flash_errors, form_errors, page_of, posted, role_required


class _Form(forms.Form):
    email = forms.CharField()
    ERROR_FIELDS = {"address": "email"}  # the service calls it `address`


def test_form_errors_put_known_fields_by_name_mapped_names_too_and_the_rest_on_top():
    form = _Form({"email": "a@b.example"})
    assert form.is_valid()

    form_errors(form, ValidationError({"address": ["Taken."], "token": ["Expired."]}))

    assert (form.errors["email"], form.non_field_errors()) == (["Taken."], ["Expired."])


def test_form_errors_without_fields_go_on_top():
    form = _Form({"email": "a@b.example"})
    assert form.is_valid()

    form_errors(form, ValidationError("Closed."))

    assert (dict(form.errors), form.non_field_errors()) == ({"__all__": ["Closed."]}, ["Closed."])


def test_flash_errors_one_message_per_reason_and_error_text_one_line():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    error = ValidationError({"a": ["First."], "b": ["Second."]})

    flash_errors(request, error)

    assert ([str(m) for m in request._messages], error_text(error)) == (["First.", "Second."], "First. Second.")


def test_posted_is_the_data_of_a_post_even_empty_and_none_otherwise():
    factory = RequestFactory()

    assert (posted(factory.post("/", {})) is not None, posted(factory.get("/?x=1"))) == (True, None)


@pytest.mark.parametrize(("asked", "shown"), [("2", [3, 4]), ("9", [5]), ("x", [1, 2])])
def test_page_of_gives_the_nearest_valid_page(asked, shown):
    page = page_of(RequestFactory().get(f"/?page={asked}"), [1, 2, 3, 4, 5], 2)

    assert list(page) == shown


@pytest.mark.django_db
def test_role_required_logs_anonymous_in_refuses_the_wrong_role_and_lets_the_right_one_through(member_a, admin_user):
    view = role_required(lambda *, user: require_admin(user=user, message="Admins only here."))(
        lambda request: HttpResponse("ok")
    )
    factory = RequestFactory()

    def as_user(user):
        request = factory.get("/somewhere/")
        request.user = user
        return request

    anonymous = view(as_user(AnonymousUser()))
    with pytest.raises(PermissionDenied) as refused:
        view(as_user(member_a))

    assert (anonymous.status_code, anonymous.url, str(refused.value), view(as_user(admin_user)).content) == (
        302, "/accounts/login/?next=/somewhere/", "Admins only here.", b"ok",
    )  # fmt: skip
