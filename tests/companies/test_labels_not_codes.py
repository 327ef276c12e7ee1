"""What a person reads names labels, not codes: history, form errors, countries, help texts."""

import pytest
from django.utils import translation

from companies.change_display import change_rows
from companies.forms import CONTACT_READER_LABELS, ProfileForm, contacts_help_text
from companies.labels import country_name
from companies.selectors import CONTACT_READERS, contacts_visible_to
from events.enums import MeetingStatus
from tests.events.factories import MeetingFactory, MissionFactory, ParticipationFactory
from tests.factories import CompanyFactory, MembershipFactory, UserFactory


def test_history_rows_show_labels_not_codes():
    changes = {"partnership_types": [["purchase"], ["purchase", "rnd"]], "dependencies": [[], [
        {"material": "graphite", "source_country": "CN", "share_percent": 80}]]}  # fmt: skip

    assert change_rows(changes) == [
        ("partnership types sought", "Purchase / offtake (we buy)", "Purchase / offtake (we buy); R&D collaboration"),
        ("supply dependencies", "—", "Natural graphite from China, 80%"),
    ]


def test_history_rows_in_japanese():
    with translation.override("ja"):
        rows = change_rows({"country": ["DE", "FR"], "dependencies": [[], [
            {"material": "graphite", "source_country": "CN", "share_percent": 80}]]})  # fmt: skip

    assert sorted(row[1:] for row in rows) == [("—", "天然黒鉛（中国から80%）"), ("ドイツ", "フランス")]


@pytest.mark.parametrize(
    ("language", "names"), [("en", ("China", "Germany", "Chile")), ("ja", ("中国", "ドイツ", "チリ"))]
)
def test_country_names_in_both_languages_for_any_iso_code(language, names):
    with translation.override(language):
        assert (country_name("CN"), country_name("DE"), country_name("CL")) == names


def test_form_error_names_the_stage_label_not_its_code():
    form = ProfileForm({"name": "Firm", "country": "DE", "sectors": ["batteries"],
                        "stages": ["biotech.biobased_materials"]})  # fmt: skip

    assert form.errors == {"stages": ["Stage(s) Bio-based materials belong to a sector that is not chosen."]}


def test_source_country_is_chosen_by_name():
    choices = dict(ProfileForm().dependencies.forms[0].fields["source_country"].choices)

    assert (choices["CN"], choices["JP"], len(choices)) == ("China", "Japan", 250)


def test_contact_help_text_names_exactly_the_readers_of_the_rule():
    assert list(CONTACT_READER_LABELS) == list(CONTACT_READERS)
    assert contacts_help_text() == (
        "Private: seen only by your colleagues, the Kizuna admins, the organisers of the missions your company "
        "joins, firms that have a confirmed meeting with yours."
    )


def test_contact_readers_are_the_ones_who_see_contacts(db, organiser):
    company = CompanyFactory()
    mission = MissionFactory()
    mission.organisers.add(organiser)
    mine = ParticipationFactory(mission=mission, company=company)
    partner = ParticipationFactory(mission=mission)
    MeetingFactory(mission=mission, a=mine, b=partner)
    cancelled = ParticipationFactory(mission=mission)
    MeetingFactory(mission=mission, a=mine, b=cancelled, status=MeetingStatus.CANCELLED)
    readers = {
        "members": MembershipFactory(company=company).user,
        "admins": UserFactory(is_staff=True),
        "organisers": organiser,
        "meeting_partners": MembershipFactory(company=partner.company).user,
    }
    others = [UserFactory(), UserFactory(is_organiser=True), MembershipFactory(company=cancelled.company).user]

    assert {name: contacts_visible_to(user=user, company=company) for name, user in readers.items()} == dict.fromkeys(
        CONTACT_READERS, True
    )
    assert [contacts_visible_to(user=user, company=company) for user in others] == [False, False, False]


def test_home_page_states_the_contact_rule_as_the_form_does(client, db):
    response = client.get("/")

    assert contacts_help_text() in response.content.decode()
