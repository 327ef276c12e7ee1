"""The calendar feed link on the settings page: get one, replace it, who sees the section.
The feed itself: tests/events/test_calendar_feed.py."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import CalendarFeed
from accounts.selectors import calendar_feed_of, calendar_feed_user
from accounts.services import calendar_feed_regenerate

SITE = "https://kizuna.example"
URL_FIELD = re.compile(r'<input type="text" id="calendar-url" class="js-copy-source" value="([^"]*)" readonly')


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shown_url(response) -> str | None:
    found = URL_FIELD.search(response.content.decode())
    return found.group(1) if found else None


def test_settings_page_member_without_link_offers_one(member_a):
    response = _client(member_a).get("/accounts/settings/")

    html = response.content.decode()
    assert (response.status_code, _shown_url(response)) == (200, None)
    assert '<section class="panel" id="calendar">' in html
    assert '<button type="submit" class="primary">Get my calendar link</button>' in html
    assert "Generate a new link" not in html


def test_settings_page_get_link_shows_it_with_how_to(member_a):
    response = _client(member_a).post("/accounts/settings/calendar/", follow=True)

    token_hash = CalendarFeed.objects.get(user=member_a).token_hash
    url = _shown_url(response)
    html = response.content.decode()
    assert response.redirect_chain == [("/accounts/settings/#calendar", 302)]
    assert url == calendar_feed_of(user=member_a).url
    assert re.fullmatch(rf"{SITE}/calendar/[A-Za-z0-9_-]{{43}}\.ics", url)
    assert calendar_feed_user(token=url.removeprefix(f"{SITE}/calendar/").removesuffix(".ics")) == member_a
    assert token_hash not in html
    assert [m.message for m in response.context["messages"]] == ["Here is your calendar link."]
    assert "<summary>How to subscribe</summary>" in html
    assert "<dt>Google Calendar</dt>" in html and "<dt>Outlook</dt>" in html and "<dt>Apple Calendar</dt>" in html
    assert "<summary>Generate a new link</summary>" in html
    assert "the current one stops working at once" in html


def test_settings_page_generate_new_link_replaces_the_old(member_a):
    client = _client(member_a)
    old = _shown_url(client.post("/accounts/settings/calendar/", follow=True))

    response = client.post("/accounts/settings/calendar/", follow=True)

    new = _shown_url(response)
    assert (new != old, CalendarFeed.objects.filter(user=member_a).count()) == (True, 1)
    assert [m.message for m in response.context["messages"]] == [
        "Here is your new calendar link. The previous link no longer works."
    ]
    assert Client().get(old.removeprefix(SITE)).status_code == 404
    assert Client().get(new.removeprefix(SITE)).status_code == 200


def test_settings_page_in_japanese(member_a):
    calendar_feed_regenerate(user=member_a)
    client = _client(member_a)
    client.cookies["django_language"] = "ja"

    html = client.get("/accounts/settings/").content.decode()

    assert "<h2>カレンダーで購読する</h2>" in html
    assert "<summary>新しいリンクを発行する</summary>" in html
    assert "<summary>購読のしかた</summary>" in html


def test_settings_page_without_firm_has_no_calendar_section(organiser):
    html = _client(organiser).get("/accounts/settings/").content.decode()

    assert 'id="calendar"' not in html


def test_calendar_link_without_firm_refused_with_message(organiser):
    response = _client(organiser).post("/accounts/settings/calendar/", follow=True)

    assert [m.message for m in response.context["messages"]] == [
        "The calendar feed lists your firm's meetings: join a firm first."
    ]
    assert CalendarFeed.objects.filter(user=organiser).exists() is False


def test_calendar_link_only_by_post_and_signed_in(member_a):
    assert _client(member_a).get("/accounts/settings/calendar/").status_code == 405
    response = Client().post("/accounts/settings/calendar/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/accounts/settings/calendar/")
    assert CalendarFeed.objects.exists() is False


def test_calendar_feed_regenerate_without_firm_raises(organiser):
    with pytest.raises(ValidationError) as caught:
        calendar_feed_regenerate(user=organiser)

    assert caught.value.messages == ["The calendar feed lists your firm's meetings: join a firm first."]
