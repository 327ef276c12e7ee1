"""Agenda downloads: the PDF (A4, Japanese names) and the iCalendar file (events in the mission's zone)."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from icalendar import Calendar
from pypdf import PdfReader

from events import services
from events.agenda import agenda_for
from events.agenda_ics import agenda_ics
from events.agenda_pdf import agenda_pdf
from events.models import Participation
from tests.events.factories import DelegateFactory, brussels_mission

SITE = "https://kizuna.example"
TOKYO = ZoneInfo("Asia/Tokyo")
FILENAME = "battery-supply-chain-mission-to-tokyo-alpha-cathodes-gmbh"


@pytest.fixture
def placed(settings, mission, part_a, part_b, part_c, slots, tables, organiser):
    """Firm A meets B on day 1 at 09:00 (T1) and C on day 2 at 09:30 (T2)."""
    settings.SITE_URL = SITE
    part_b.company.name_ja = "ベータ精錬株式会社"
    part_b.company.save()
    DelegateFactory(participation=part_b, name="Sato Hanako", role="Sales")
    ab = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    ab = services.meeting_move(meeting=ab, slot=slots[0], table=tables[0], user=organiser)
    ca = services.meeting_create(mission=mission, a=part_c, b=part_a, user=organiser)
    ca = services.meeting_move(meeting=ca, slot=slots[6], table=tables[1], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)  # firms see only what is published
    return {"ab": ab, "ca": ca}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _agenda(participation: Participation, viewer_tz: str | None = None):
    return agenda_for(
        participation=Participation.objects.select_related("company", "mission").get(pk=participation.pk),
        viewer_tz=viewer_tz,
    )


def pdf_pages(pdf: bytes) -> list[list[str]]:
    """The text lines of each page, as a reader extracts them (pypdf, through the fonts' ToUnicode maps)."""
    return [page.extract_text().splitlines() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> list[str]:
    return [line for page in pdf_pages(pdf) for line in page]


def pdf_page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


# Permissions -------------------------------------------------------------------------------------


@pytest.fixture
def roles(member_a, member_b, organiser, other_organiser, admin_user):
    return {
        "anonymous": None, "member_a": member_a, "member_b": member_b, "organiser": organiser,
        "other_organiser": other_organiser, "admin": admin_user,
    }  # fmt: skip


@pytest.mark.parametrize("extension", ["pdf", "ics"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("member_a", 200), ("member_b", 403), ("organiser", 200), ("other_organiser", 403),
     ("admin", 200)],
)  # fmt: skip
def test_agenda_download_permission_matrix(placed, mission, part_a, roles, role, status, extension):
    response = client_for(roles[role]).get(f"/missions/{mission.pk}/agendas/{part_a.pk}.{extension}")

    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"] == f'attachment; filename="{FILENAME}.{extension}"'
    if status == 302:
        assert response.url.startswith("/accounts/login/")


# PDF ---------------------------------------------------------------------------------------------


def test_agenda_pdf_download_is_a4_with_title(placed, mission, part_a, member_a):
    response = client_for(member_a).get(f"/missions/{mission.pk}/agendas/{part_a.pk}.pdf")
    reader = PdfReader(io.BytesIO(response.content))

    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert reader.metadata.title == "Battery supply chain mission to Tokyo"
    assert reader.metadata.subject == "Alpha Cathodes GmbH"
    assert [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in reader.pages] == [
        (595.28, 841.89)
    ] * 2


def test_agenda_pdf_one_page_per_day_with_header_and_meetings(placed, part_a, part_b, part_c, mission):
    pages = pdf_pages(agenda_pdf(_agenda(part_a)))
    qr = f"{SITE}/missions/{mission.pk}/agendas/{part_a.pk}/#meeting-"

    assert pages[0] == [
        "Agenda of Alpha Cathodes GmbH", "Battery supply chain mission to Tokyo", "Tokyo Big Sight, Tokyo",
        "All times are local times in Asia/Tokyo.", "2 meetings",
        "Monday 6 October 2025", "Time", "Partner", "Table", "Check-in",
        "09:00–09:25", "Tokyo (JST)", "Beta Refining KK", "ベータ精錬株式会社", "Contact: Sato Hanako (Sales)", "T1",
        "Free: 09:30, 10:00, 14:00, 14:30",
        "Kizuna · Battery supply chain mission to Tokyo", "Alpha Cathodes GmbH", "Page 1",
    ]  # fmt: skip
    assert pages[1] == [
        "Tuesday 7 October 2025", "Time", "Partner", "Table", "Check-in",
        "09:30–09:55", "Tokyo (JST)", "Gamma Recycling SAS", "T2", "Free: 09:00, 10:00, 14:00, 14:30",
        "Kizuna · Battery supply chain mission to Tokyo", "Alpha Cathodes GmbH", "Page 2",
    ]  # fmt: skip
    assert qr.startswith("https://")


def test_agenda_pdf_embeds_a_subset_of_the_japanese_font(placed, part_a):
    reader = PdfReader(io.BytesIO(agenda_pdf(_agenda(part_a))))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font

    [name] = [n for n in fonts if n.endswith("NotoSansJPKizuna-Regular")]
    assert re.fullmatch(r"/[A-Z]{6}\+NotoSansJPKizuna-Regular", name)  # "ABCDEF+": a subset of the glyphs used
    descriptor = fonts[name]["/FontDescriptor"]
    embedded = descriptor["/FontFile2"].get_object().get_data()
    assert 1_000 < len(embedded) < 200_000  # the whole font is 2.2 MB
    assert "/ToUnicode" in fonts[name]  # so the text can be searched and copied


def test_agenda_pdf_keeps_spacing_of_latin_punctuation_and_accents(mission, part_a, part_b, slots, tables, organiser):
    """The CID font the PDF used before gave "EU–  Japan" and "Mitteleuropä isches": widths are the font's now."""
    from events.models import Mission

    Mission.objects.filter(pk=mission.pk).update(title="EU–Japan Mitteleuropäisches Forum")
    part_b.company.name = "Mitteleuropäisches Lithium AG"
    part_b.company.save()
    meeting = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    services.meeting_move(meeting=meeting, slot=slots[0], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)
    text = pdf_text(agenda_pdf(_agenda(part_a)))

    assert "EU–Japan Mitteleuropäisches Forum" in text
    assert "Mitteleuropäisches Lithium AG" in text


def test_agenda_pdf_qr_code_per_meeting(placed, mission, part_a):
    from events.agenda_pdf import meeting_qr_data

    agenda = _agenda(part_a)
    entries = [e for day in agenda.days for e in day.entries]

    assert [meeting_qr_data(agenda, e) for e in entries] == [
        f"{SITE}/missions/{mission.pk}/agendas/{part_a.pk}/#meeting-{placed['ab'].pk}",
        f"{SITE}/missions/{mission.pk}/agendas/{part_a.pk}/#meeting-{placed['ca'].pk}",
    ]


def test_agenda_pdf_with_viewer_zone_shows_both_times(placed, mission, part_a, member_a):
    response = client_for(member_a).get(f"/missions/{mission.pk}/agendas/{part_a.pk}.pdf", {"tz": "Europe/Brussels"})
    first = pdf_pages(response.content)[0]

    assert first[3] == "All times are local times in Asia/Tokyo. Second time: Europe/Brussels."
    # The viewer's time wraps in the narrow time column.
    assert first[10:15] == ["09:00–09:25", "Tokyo (JST)", "02:00–02:25 Brussels", "(CEST)", "Beta Refining KK"]


def test_agenda_pdf_with_unknown_zone_uses_mission_zone(placed, mission, part_a, member_a):
    response = client_for(member_a).get(f"/missions/{mission.pk}/agendas/{part_a.pk}.pdf", {"tz": "Mars/Olympus"})

    assert (response.status_code, pdf_text(response.content)[3]) == (200, "All times are local times in Asia/Tokyo.")


def test_agenda_pdf_without_meetings_says_so(mission, part_a):
    texts = pdf_text(agenda_pdf(_agenda(part_a)))

    assert texts.count("No meetings on this day.") == 2


def test_agenda_pdf_in_japanese(placed, part_a):
    from django.utils import translation

    with translation.override("ja"):
        first = pdf_pages(agenda_pdf(_agenda(part_a)))[0]

    assert first[0] == "Alpha Cathodes GmbH のアジェンダ"
    assert "ベータ精錬株式会社" in first


# iCalendar ---------------------------------------------------------------------------------------


def test_agenda_ics_download_is_text_calendar(placed, mission, part_a, organiser):
    response = client_for(organiser).get(f"/missions/{mission.pk}/agendas/{part_a.pk}.ics")

    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    assert b"DTSTART;TZID=Asia/Tokyo:20251006T090000\r\n" in response.content
    assert b"DTEND;TZID=Asia/Tokyo:20251006T092500\r\n" in response.content


def test_agenda_ics_events_carry_mission_zone_and_wall_time(placed, mission, part_a, part_b, part_c, member_a):
    content = client_for(member_a).get(f"/missions/{mission.pk}/agendas/{part_a.pk}.ics").content
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")

    assert [(e.decoded("dtstart").tzinfo, e.decoded("dtend").tzinfo) for e in events] == [(TOKYO, TOKYO)] * 2
    assert [(e.decoded("dtstart").replace(tzinfo=None), e.decoded("dtend").replace(tzinfo=None)) for e in events] == [
        (dt.datetime(2025, 10, 6, 9, 0), dt.datetime(2025, 10, 6, 9, 25)),
        (dt.datetime(2025, 10, 7, 9, 30), dt.datetime(2025, 10, 7, 9, 55)),
    ]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_agenda_ics_events_name_partner_place_and_profile(placed, mission, part_a, part_b, part_c):
    stamp = dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC)
    events = Calendar.from_ical(agenda_ics(_agenda(part_a), stamp=stamp)).walk("VEVENT")

    assert [
        (str(e["UID"]), str(e["SUMMARY"]), str(e["LOCATION"]), str(e["DESCRIPTION"]), e.decoded("dtstamp"),
         e.decoded("sequence"))
        for e in events
    ] == [
        (f"meeting-{placed['ab'].pk}@kizuna", "Meeting: Beta Refining KK (ベータ精錬株式会社)",
         "Tokyo Big Sight, table T1", f"{SITE}/companies/{part_b.company_id}/", stamp, 0),
        (f"meeting-{placed['ca'].pk}@kizuna", "Meeting: Gamma Recycling SAS", "Tokyo Big Sight, table T2",
         f"{SITE}/companies/{part_c.company_id}/", stamp, 0),
    ]  # fmt: skip


def test_agenda_ics_move_after_publish_keeps_uid_and_raises_sequence(placed, mission, part_a, organiser, slots, tables):
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=placed["ab"], slot=slots[1], table=tables[0], user=organiser)
    services.schedule_publish(mission=mission, user=organiser)

    stamp = dt.datetime(2025, 9, 2, tzinfo=dt.UTC)
    event = Calendar.from_ical(agenda_ics(_agenda(part_a), stamp=stamp)).walk("VEVENT")[0]

    assert (str(event["UID"]), event.decoded("sequence"), event.decoded("dtstart")) == (
        f"meeting-{placed['ab'].pk}@kizuna", 1, dt.datetime(2025, 10, 6, 9, 30, tzinfo=TOKYO),
    )  # fmt: skip


def test_agenda_ics_keeps_published_time_while_the_move_is_a_draft(placed, mission, part_a, organiser, slots, tables):
    services.schedule_publish(mission=mission, user=organiser)
    services.meeting_move(meeting=placed["ab"], slot=slots[1], table=tables[0], user=organiser)

    stamp = dt.datetime(2025, 9, 2, tzinfo=dt.UTC)
    event = Calendar.from_ical(agenda_ics(_agenda(part_a), stamp=stamp)).walk("VEVENT")[0]

    assert (str(event["UID"]), event.decoded("sequence"), event.decoded("dtstart")) == (
        f"meeting-{placed['ab'].pk}@kizuna", 0, dt.datetime(2025, 10, 6, 9, 0, tzinfo=TOKYO),
    )  # fmt: skip


def test_agenda_ics_of_mission_in_europe_carries_its_zone(organiser, company_a, company_b):
    a, _b = brussels_mission(organiser, company_a, company_b)

    calendar = Calendar.from_ical(agenda_ics(_agenda(a), stamp=dt.datetime(2025, 9, 1, tzinfo=dt.UTC)))
    event = calendar.walk("VEVENT")[0]

    assert (event.decoded("dtstart"), str(event["LOCATION"])) == (
        dt.datetime(2025, 10, 27, 10, 0, tzinfo=ZoneInfo("Europe/Brussels")), "Brussels",
    )  # fmt: skip
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_agenda_pdf_and_ics_carry_the_reason_a_meeting_is_fixed(placed, mission, part_a, organiser):
    services.meeting_pin(meeting=placed["ab"], user=organiser, reason="Ministry slot")
    agenda = _agenda(part_a)
    assert "Fixed by the organisers: Ministry slot" in pdf_text(agenda_pdf(agenda))
    stamp = dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC)
    events = Calendar.from_ical(agenda_ics(agenda, stamp=stamp)).walk("VEVENT")
    assert [str(e["DESCRIPTION"]).splitlines()[0] for e in events] == [
        "Fixed by the organisers: Ministry slot",
        f"{SITE}/companies/{placed['ca'].a.company_id}/",
    ]
