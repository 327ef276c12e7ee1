"""The organiser's journey: create a mission, see its participants, compute the schedule, see it and
publish it."""

import datetime as dt
import re

from django.urls import reverse
from playwright.sync_api import expect

from events import services
from events.enums import MissionPhase
from events.models import Meeting, Mission, Participation
from tests.e2e.world import world
from tests.events.factories import phase_set
from tests.factories import CompanyFactory


def _a_weekday_ahead(days: int) -> dt.date:
    """A Wednesday about `days` ahead: no past-date or weekend warning gets in the form's way."""
    day = dt.date.today() + dt.timedelta(days=days)
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


def test_organiser_journey(page, lang, t, log_in):
    w = world()
    log_in(w.organiser)
    first = _a_weekday_ahead(90)

    # Create the mission with the form.
    page.goto(reverse("events:list"))
    page.get_by_role("link", name=t("New mission")).click()
    page.get_by_label(t("Title")).fill("Biotech licensing mission to Osaka")
    page.get_by_label(t("City")).fill("Osaka")
    page.get_by_label(t("Venue")).fill("Grand Front Osaka")
    page.get_by_label(t("Time zone")).fill("Asia/Tokyo")
    page.get_by_label(t("Day %(n)s", n=1)).fill(f"{first:%Y-%m-%d}")
    page.get_by_label(t("Day %(n)s", n=2)).fill(f"{first + dt.timedelta(days=1):%Y-%m-%d}")
    page.get_by_label(t("Session %(n)s starts", n=1)).fill("09:00")
    page.get_by_label(t("Session %(n)s ends", n=1)).fill("12:00")
    page.get_by_label(t("Meeting length (minutes)")).fill("30")
    page.get_by_label(t("Number of tables")).fill("3")
    page.get_by_role("main").get_by_role("button", name=t("Save")).click()
    expect(page.get_by_role("heading", name=re.compile("Biotech licensing mission to Osaka"))).to_be_visible()
    mission = Mission.objects.get(title="Biotech licensing mission to Osaka")
    assert mission.slots.count() == 12 and mission.tables.count() == 3

    # Firms take part (enrolled by the organiser's service) and three meetings are agreed.
    companies = [w.firm.company, w.partner.company, CompanyFactory(name="Gamma Biologics KK", country="JP")]
    services.participations_enrol(mission=mission, user=w.organiser, companies=companies)
    alpha, beta, gamma = (Participation.objects.get(mission=mission, company=c) for c in companies)
    phase_set(mission, MissionPhase.SCHEDULING)
    for a, b in [(alpha, beta), (alpha, gamma), (beta, gamma)]:
        services.meeting_create(mission=mission, a=a, b=b, user=w.organiser)

    page.get_by_role("link", name=t("Participants")).click()
    for company in companies:
        expect(page.get_by_role("cell", name=company.name, exact=True)).to_be_visible()

    # Import the first firm's delegation list (a European Excel CSV): preview, then confirm by name,
    # since the firm has meetings.
    csv = f"Company name;Delegate name;Delegate role\n{w.firm.company.name};Jana Richter;CEO\n".encode("utf-8-sig")
    upload = {"name": "delegation.csv", "mimeType": "text/csv", "buffer": csv}
    page.get_by_label(t("Delegation list (CSV or Excel .xlsx)")).set_input_files(upload)
    page.get_by_role("button", name=t("Preview the import")).click()
    expect(page.get_by_role("rowheader", name=t("Delegates"), exact=True)).to_be_visible()
    assert not alpha.delegates.filter(name="Jana Richter").exists()
    page.get_by_label(t("Yes, change the delegations of the firms named above")).check()
    page.get_by_role("button", name=t("Confirm and import")).click()
    done = t("Imported: %(created)d firms joined, %(updated)d changed, %(delegates)d delegates.",
             created=0, updated=1, delegates=1)  # fmt: skip
    expect(page.get_by_text(done)).to_be_visible()
    assert list(alpha.delegates.values_list("name", "role")) == [("Jana Richter", "CEO")]

    # Compute the schedule: every meeting is placed, and shown in the grid.
    page.get_by_role("link", name=t("Schedule"), exact=True).click()
    page.get_by_label(t("Time limit (seconds)")).fill("1")
    # The test settings run the computation inside the request (Celery eager): allow it its time.
    page.get_by_role("button", name=t("Compute"), exact=True).click(timeout=60_000)
    expect(page.get_by_text(t("The schedule is being computed."))).to_be_visible()
    assert not Meeting.objects.filter(mission=mission, slot=None).exists()
    # Gamma meets both others: two cells of the grid hold it (the grid may shorten names, not drop them).
    expect(page.get_by_role("cell").filter(has_text="Gamma")).to_have_count(2)

    # Review and publish.
    page.get_by_role("link", name=t("Review the changes and publish")).click()
    page.get_by_role("button", name=t("Publish version %(n)s", n=1)).click()
    expect(page.get_by_text(t("Version 1 published; every participating firm is being e-mailed."))).to_be_visible()
    assert list(mission.versions.values_list("number", flat=True)) == [1]
