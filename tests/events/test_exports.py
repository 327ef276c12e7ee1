"""Dashboard exports: participants and meetings as CSV and .xlsx, every agenda in one PDF, a zip of
calendar files. Each test opens the file and reads its content."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from events import services
from events.enums import MeetingStatus
from events.models import Participation
from tests.clients import web
from tests.events.factories import DelegateFactory, MeetingFactory, ParticipationFactory
from tests.factories import CompanyFactory

SITE = "https://kizuna.example"


@pytest.fixture
def exported(settings, mission, part_a, part_b, part_c, slots, tables, organiser):
    """A meets B (day 1, 09:00, T1) and C (day 2, 09:30, T2), published; a firm whose name is a formula
    joins later with a delegate, meets nobody, and one cancelled meeting B–C."""
    settings.SITE_URL = SITE
    part_b.company.name_ja = "ベータ精錬株式会社"
    part_b.company.save()
    DelegateFactory(participation=part_b, name="Sato Hanako", role="Sales", email="sato@beta.example")
    Participation.objects.filter(pk__in=[part_a.pk, part_b.pk, part_c.pk]).update(
        created_at=dt.datetime(2025, 9, 1, 1, 0, tzinfo=dt.UTC)
    )
    evil = ParticipationFactory(mission=mission, company=CompanyFactory(name='=HYPERLINK("http://x")', country="IT"))
    DelegateFactory(participation=evil, name="@SUM(1)", role="", email="")
    ab = services.meeting_create(mission=mission, a=part_a, b=part_b, user=organiser)
    services.meeting_move(meeting=ab, slot=slots[0], table=tables[0], user=organiser)
    ca = services.meeting_create(mission=mission, a=part_c, b=part_a, user=organiser)
    services.meeting_move(meeting=ca, slot=slots[6], table=tables[1], user=organiser)
    MeetingFactory(mission=mission, a=part_b, b=part_c, status=MeetingStatus.CANCELLED, cancelled_reason="-1+2")
    services.schedule_publish(mission=mission, user=organiser)
    return {"ab": ab, "ca": ca, "evil": evil}


def _get(user, mission, filename: str):
    return web(user).get(f"/missions/{mission.pk}/dashboard/exports/{filename}")


PARTICIPANT_HEADER = [
    "Company", "Name in Japanese", "Country", "City", "Sectors", "Website", "Joined on", "Joined via", "Delegates",
    "Most meetings wanted", "Confirmed meetings", "Placed meetings",
]  # fmt: skip


def _participant_rows(mission, evil) -> list[list[str]]:
    joined = "2025-09-01"
    today = evil.created_at.astimezone(dt.timezone(dt.timedelta(hours=9))).date().isoformat()
    return [
        ["'=HYPERLINK(\"http://x\")", "", "Italy", "Berlin", "Batteries", "", today, "Invitation link", "'@SUM(1)", "",
         "0", "0"],
        ["Alpha Cathodes GmbH", "", "Germany", "Berlin", "Batteries", "", joined, "Invitation link", "", "", "2", "2"],
        ["Beta Refining KK", "ベータ精錬株式会社", "Japan", "Osaka", "Critical minerals, Batteries", "", joined,
         "Invitation link", "Sato Hanako (Sales) <sato@beta.example>", "", "1", "1"],
        ["Gamma Recycling SAS", "", "France", "Berlin", "Batteries", "", joined, "Invitation link", "", "", "1", "1"],
    ]  # fmt: skip


def test_participants_csv_rows_and_formula_cells_neutralised(exported, mission, organiser):
    response = _get(organiser, mission, "participants.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="battery-supply-chain-mission-to-tokyo-participants.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [PARTICIPANT_HEADER, *_participant_rows(mission, exported["evil"])]


def test_participants_xlsx_same_rows_typed(exported, mission, organiser):
    response = _get(organiser, mission, "participants.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "Participants"
    assert rows[0] == PARTICIPANT_HEADER
    as_text = [["" if v is None else v.date().isoformat() if isinstance(v, dt.datetime) else str(v) for v in row]
               for row in rows[1:]]  # fmt: skip
    assert as_text == _participant_rows(mission, exported["evil"])
    assert rows[2][10] == 2  # numbers stay numbers
    # No cell is a formula: openpyxl reads a formula back as its text starting with "=".
    assert all(not (isinstance(v, str) and v.startswith("=")) for row in rows for v in row)


MEETING_HEADER = [
    "Meeting", "Day", "Start", "End", "Table", "Firm A", "Firm A in Japanese", "Firm B", "Firm B in Japanese",
    "Status", "Pinned", "Reason for cancelling",
]  # fmt: skip


def test_meetings_csv_placed_by_time_then_the_rest(exported, mission, organiser):
    rows = list(csv.reader(io.StringIO(_get(organiser, mission, "meetings.csv").content.decode("utf-8-sig"))))
    ab, ca = exported["ab"], exported["ca"]
    assert rows[0] == MEETING_HEADER
    assert rows[1:3] == [
        [str(ab.pk), "2025-10-06", "09:00", "09:25", "T1", "Alpha Cathodes GmbH", "", "Beta Refining KK",
         "ベータ精錬株式会社", "Confirmed", "no", ""],
        [str(ca.pk), "2025-10-07", "09:30", "09:55", "T2", "Gamma Recycling SAS", "", "Alpha Cathodes GmbH", "",
         "Confirmed", "no", ""],
    ]  # fmt: skip
    assert rows[3][1:6] == ["", "", "", "", "Beta Refining KK"]
    assert rows[3][9:] == ["Cancelled", "no", "'-1+2"]
    assert len(rows) == 4


def test_meetings_xlsx_dates_are_dates(exported, mission, organiser):
    sheet = load_workbook(io.BytesIO(_get(organiser, mission, "meetings.xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(MEETING_HEADER)
    assert rows[1][:5] == (exported["ab"].pk, dt.datetime(2025, 10, 6), "09:00", "09:25", "T1")
    assert rows[3][11] == "'-1+2"


def test_all_agendas_in_one_pdf_each_from_a_new_page(exported, mission, organiser):
    response = _get(organiser, mission, "agendas.pdf")
    assert response["Content-Type"] == "application/pdf"
    pages = [p.extract_text().splitlines() for p in PdfReader(io.BytesIO(response.content)).pages]
    firsts = [lines[0] for lines in pages if lines[0].startswith("Agenda of")]
    assert firsts == [
        'Agenda of =HYPERLINK("http://x")', "Agenda of Alpha Cathodes GmbH", "Agenda of Beta Refining KK",
        "Agenda of Gamma Recycling SAS",
    ]  # fmt: skip
    # Two mission days each: one page per day per firm, and each firm's pages numbered from 1.
    assert len(pages) == 8
    assert [lines[-1] for lines in pages] == ["Page 1", "Page 2"] * 4
    assert "Contact: Sato Hanako (Sales)" in pages[2]  # Alpha's first day: meets Beta


def test_agendas_ics_zip_one_calendar_per_firm(exported, mission, organiser, part_a, part_b, part_c):
    response = _get(organiser, mission, "agendas-ics.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert names == [
        f"hyperlinkhttpx-{exported['evil'].pk}.ics", f"alpha-cathodes-gmbh-{part_a.pk}.ics",
        f"beta-refining-kk-{part_b.pk}.ics", f"gamma-recycling-sas-{part_c.pk}.ics",
    ]  # fmt: skip
    events = {name: Calendar.from_ical(archive.read(name)).walk("VEVENT") for name in names}
    assert [len(e) for e in events.values()] == [0, 2, 1, 1]
    assert [str(e["UID"]) for e in events[names[1]]] == [
        f"meeting-{exported['ab'].pk}@kizuna", f"meeting-{exported['ca'].pk}@kizuna",
    ]  # fmt: skip


@pytest.mark.parametrize("filename", ["participants.csv", "meetings.xlsx", "agendas.pdf", "agendas-ics.zip"])
@pytest.mark.parametrize(("role", "code"), [("other_organiser", 403), ("member_a", 403), ("admin", 200)])
def test_exports_for_organisers_only(exported, mission, roles, role, code, filename):
    assert _get(roles[role], mission, filename).status_code == code


def test_unknown_export_is_404(mission, organiser):
    assert _get(organiser, mission, "everything.tar").status_code == 404


def test_dashboard_links_every_export(exported, mission, organiser):
    html = web(organiser).get(f"/missions/{mission.pk}/dashboard/").content.decode()
    for filename in ("participants.csv", "participants.xlsx", "meetings.csv", "meetings.xlsx", "agendas.pdf",
                     "agendas-ics.zip"):  # fmt: skip
        assert f'href="/missions/{mission.pk}/dashboard/exports/{filename}"' in html
