"""The admin's journey: approve a profile waiting for review, then approve a proposed match with a note."""

from django.urls import reverse
from playwright.sync_api import expect

from companies import services as company_services
from companies.enums import CompanyStatus
from companies.models import Company
from matchmaking.enums import SuggestionStatus
from matchmaking.models import Suggestion
from tests.e2e.world import world
from tests.factories import CompanyFactory, MembershipFactory
from tests.matchmaking.helpers import run_now


def test_admin_journey(page, lang, t, log_in):
    w = world()
    waiting = CompanyFactory(name="Gamma Recycling SAS", country="FR", status=CompanyStatus.DRAFT)
    owner = MembershipFactory(company=waiting).user
    company_services.company_submit(company=waiting, user=owner)
    run_now(user=w.admin, mission=w.mission)
    log_in(w.admin)

    # Moderate: approve the profile waiting for review.
    page.goto(reverse("home"))
    page.get_by_role("link", name=t("Moderation")).click()
    page.get_by_label(waiting.name).check()
    page.get_by_role("button", name=t("Approve selected")).click()
    expect(page.get_by_text(waiting.name)).to_have_count(0)
    assert Company.objects.get(pk=waiting.pk).status == CompanyStatus.APPROVED

    # Review: approve the proposed match of the cathode maker and the refiner, with a note.
    page.get_by_role("link", name=t("Review matches")).click()
    row = page.get_by_role("row").filter(has_text=w.firm.company.name).filter(has_text=w.partner.company.name)
    row.get_by_role("checkbox").check()
    page.get_by_label(t("Review note")).fill("Both confirmed nickel volumes by phone.")
    page.get_by_role("button", name=t("Approve selected")).click()
    expect(page.get_by_text("Both confirmed nickel volumes by phone.").first).to_be_visible()
    suggestion = Suggestion.objects.get(eu_company=w.firm.company, jp_company=w.partner.company)
    assert (suggestion.status, suggestion.review_note, suggestion.reviewed_by) == (
        SuggestionStatus.APPROVED, "Both confirmed nickel volumes by phone.", w.admin,
    )  # fmt: skip
