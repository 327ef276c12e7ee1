"""Control and bidirectional-override characters are refused in every text field, names need a visible
character (config/text_input.py; docs/operations.md, "Limits on input")."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers
from rest_framework.test import APIClient

from accounts.services import user_settings_update
from companies.importing import companies_import
from companies.models import Company
from config.text_input import name_refusal, text_refusal
from events.services.missions import mission_validate
from tests.events.test_api import MISSION_BODY

RLO = "\u202e"  # right-to-left override: "Acme\u202eLtd" displays as "AcmedtL"
BAD_TEXTS = ["Acme\x00Ltd", "Acme\x1b[31mLtd", f"Acme{RLO}dtL", "a\u2066b", "x\x85y"]
FINE_TEXTS = ["Acme GmbH", "日本電池株式会社", "Line one\nline two\tand a tab", "Ünïcödé — “quoted”", "عربي"]


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_text_refusal_names_the_problem(text):
    assert text_refusal(text)


@pytest.mark.parametrize("text", FINE_TEXTS)
def test_ordinary_text_passes(text):
    assert text_refusal(text) is None and name_refusal(text) is None


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u3000", "\u00ad", " \u0301 "])
def test_a_name_of_invisible_characters_is_refused(name):
    assert name_refusal(name)


def test_every_form_char_field_refuses_them():
    class AnyForm(forms.Form):
        note = forms.CharField(widget=forms.Textarea)
        email = forms.EmailField()

    form = AnyForm({"note": f"ok{RLO}", "email": "a@example.com"})

    assert not form.is_valid() and list(form.errors) == ["note"]


def test_every_serializer_char_field_refuses_them():
    class AnySerializer(serializers.Serializer):
        message = serializers.CharField(max_length=50)

    serializer = AnySerializer(data={"message": "hi\x00"})

    assert not serializer.is_valid() and list(serializer.errors) == ["message"]


def test_api_mission_with_override_in_title_is_a_400_naming_the_field(organiser):
    client = APIClient()
    client.force_authenticate(organiser)
    data = {**MISSION_BODY, "title": f"Tokyo{RLO}oykoT"}

    response = client.post("/api/v1/missions/", data, format="json")

    assert response.status_code == 400 and "title" in response.json()


def test_mission_title_of_zero_width_spaces_is_refused():
    with pytest.raises(ValidationError) as raised:
        mission_validate({"title": "\u200b\u200b"})

    assert list(raised.value.message_dict) == ["title"]


def test_import_row_with_control_character_is_a_row_error(db):
    content = b"name,country,sectors\nGood GmbH,DE,batteries\nAcme\x1bGmbH,DE,batteries\n"

    result = companies_import(content=content, filename="firms.csv", user=None, approve=False)

    assert [(error.row, error.field) for error in result.errors] == [(3, "name")]
    assert not Company.objects.exists()


def test_settings_full_name_needs_a_visible_character(organiser):
    user = organiser
    with pytest.raises(ValidationError) as raised:
        user_settings_update(user=user, full_name="\u200b", language="en", email_frequency="immediate")

    assert "full_name" in raised.value.message_dict
