"""The firm's journey: log in, complete and submit the company profile, see the partner the matching
proposes, request a meeting with it, and find the meeting on the published agenda."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from companies import services as company_services
from companies.enums import CompanyStatus
from events import services as event_services
from events.models import MeetingRequest
from matchmaking import services as match_services
from matchmaking.models import Suggestion
from tests.e2e.world import PASSWORD, world
from tests.matchmaking.helpers import run_now


def test_firm_journey(page, lang, t):
    w = world(firm_status=CompanyStatus.DRAFT)

    # Log in with the form.
    page.goto(reverse("accounts:login"))
    page.get_by_label(t("E-mail address")).fill(w.firm_user.email)
    page.get_by_label(t("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Log in")).click()

    # Complete the profile, save it, submit it for review.
    page.get_by_role("link", name=t("My company")).click()
    page.get_by_label(t("Description")).fill("We make NMC cathode active material for lithium-ion cells in Saxony.")
    page.get_by_label(t("What we offer")).fill("NMC 811 cathode active material, 20 kt a year.")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.get_by_role("button", name=t("Submit for review")).click()
    expect(page.get_by_text(t("Submitted for review")).first).to_be_visible()

    # The admin approves it, the matching pairs it with the refiner, the admin approves the pair.
    company_services.company_approve(company=w.firm.company, admin=w.admin)
    run_now(user=w.admin, mission=w.mission)
    suggestion = Suggestion.objects.get(eu_company=w.firm.company, jp_company=w.partner.company)
    match_services.suggestion_review(suggestion=suggestion, admin=w.admin, approve=True)

    # The firm sees the partner and requests a meeting from the suggestion.
    page.get_by_role("link", name=t("Suggested partners")).click()
    expect(page.get_by_role("heading", name=re.compile(w.partner.company.name))).to_be_visible()
    page.get_by_role("link", name=t("Request a meeting")).click()
    page.get_by_role("button", name=t("Send request")).click()
    expect(page.get_by_text(t("Request sent."))).to_be_visible()
    sent = MeetingRequest.objects.get(requester=w.firm, recipient=w.partner)

    # The refiner accepts; the organiser places the meeting and publishes the schedule.
    meeting = event_services.meeting_request_accept(request=sent, user=w.partner_user)
    slot = w.mission.slots.order_by("start").first()
    event_services.meeting_move(meeting=meeting, slot=slot, table=w.mission.tables.first(), user=w.organiser)
    event_services.schedule_publish(mission=w.mission, user=w.organiser)

    page.goto(reverse("events:my_agenda", args=[w.mission.pk]))
    expect(page.get_by_text(w.partner.company.name).first).to_be_visible()
    expect(page.get_by_text("T1").first).to_be_visible()
