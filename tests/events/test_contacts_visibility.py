"""The one rule for contact persons, extended by missions (companies.selectors.contacts_visible_to)."""

from django.test import Client

from companies.selectors import contacts_visible_to
from events.enums import MeetingStatus
from tests.events.factories import MeetingFactory


def test_contacts_visible_to_organiser_of_a_mission_the_firm_joined(organiser, part_a, company_a):
    assert contacts_visible_to(user=organiser, company=company_a) is True


def test_contacts_hidden_from_organiser_of_another_mission(other_organiser, part_a, company_a):
    assert contacts_visible_to(user=other_organiser, company=company_a) is False


def test_contacts_visible_to_firm_with_confirmed_meeting(mission, part_a, part_b, member_b, company_a):
    MeetingFactory(mission=mission, a=part_a, b=part_b, status=MeetingStatus.CONFIRMED)
    assert contacts_visible_to(user=member_b, company=company_a) is True


def test_contacts_hidden_from_participant_without_meeting(mission, part_a, part_b, member_b, company_a):
    assert contacts_visible_to(user=member_b, company=company_a) is False


def test_company_page_shows_contacts_to_meeting_partner(mission, part_a, part_b, member_b, company_a):
    MeetingFactory(mission=mission, a=part_a, b=part_b, status=MeetingStatus.CONFIRMED)
    client = Client()
    client.force_login(member_b)
    body = client.get(f"/companies/{company_a.pk}/").content.decode()
    assert "anna@alpha.example" in body
