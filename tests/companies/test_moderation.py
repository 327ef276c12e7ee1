"""Moderation that cannot be bypassed (issue 11, item 3): each way around the review named in the issue.

- edits made after submitting were approved unseen: a submitted profile is now frozen;
- edits to an approved profile went live at once: they now wait as a revision;
- admin edits in the Django admin skipped company_update: they now refresh matches and record one history row.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.urls import reverse

from accounts.enums import NotificationKind
from accounts.models import Notification
from companies import moderation
from companies.enums import ChangeAction, CompanyStatus, RevisionStatus
from companies.models import Company, CompanyRevision
from companies.selectors import company_directory, company_profile_data
from matchmaking.models import Suggestion
from matchmaking.services import match_run_execute, match_run_start
from tests.companies.profile_posts import rows
from tests.companies.test_admin import _resubmit

pytestmark = pytest.mark.django_db

MY_PROFILE = reverse("companies:my_profile")


def edit_post(company: Company, **changes) -> dict:
    """The profile form as the firm would post it: every current value, with `changes` applied."""
    data = company_profile_data(company=company)
    post = {key: ("" if value is None else value) for key, value in data.items()
            if key not in ("ref", "dependencies", "contacts")}  # fmt: skip
    post.update(rows("dep", [{k: str(v) for k, v in d.items()} for d in data["dependencies"]]))
    post.update(rows("contact", data["contacts"]))
    post.update(changes)
    return post


def api_url(company: Company, action: str = "") -> str:
    return f"/api/v1/companies/{company.pk}/{action + '/' if action else ''}"


# --- a submitted profile is frozen ------------------------------------------------------------


def test_submitted_profile_edit_on_the_page_is_refused(client, submitted_a, member_a):
    client.force_login(member_a)
    response = client.post(MY_PROFILE, edit_post(submitted_a, city="Leipzig"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [moderation.frozen_message()]
    assert Company.objects.get(pk=submitted_a.pk).city == "Berlin"
    assert submitted_a.changes.count() == 0


def test_submitted_profile_edit_through_the_api_is_refused(client, submitted_a, member_a):
    client.force_login(member_a)
    response = client.patch(api_url(submitted_a), {"city": "Leipzig"}, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"status": [moderation.frozen_message()]})
    assert Company.objects.get(pk=submitted_a.pk).city == "Berlin"


def test_submitted_profile_page_offers_withdrawal_and_disables_the_form(client, submitted_a, member_a):
    client.force_login(member_a)
    response = client.get(MY_PROFILE)
    assert reverse("companies:withdraw") in response.text
    assert '<fieldset class="plain-fieldset" disabled>' in response.text


def test_withdrawn_submission_is_a_draft_that_can_be_edited(client, submitted_a, member_a):
    client.force_login(member_a)
    client.post(reverse("companies:withdraw"))
    client.post(MY_PROFILE, edit_post(submitted_a, city="Leipzig"))
    company = Company.objects.get(pk=submitted_a.pk)
    assert (company.status, company.city, company.submitted_at) == (CompanyStatus.DRAFT, "Leipzig", None)
    assert list(company.changes.order_by("at", "id").values_list("action", flat=True)) == [
        ChangeAction.WITHDRAWN,
        ChangeAction.UPDATED,
    ]


def test_withdraw_of_a_profile_not_submitted_is_refused(company_a, member_a):
    with pytest.raises(ValidationError) as error:
        moderation.company_withdraw(company=company_a, user=member_a)
    assert error.value.message_dict == {"status": ["Only a profile waiting for review can be withdrawn."]}


# --- an approved profile stays public until changes are approved ------------------------------------


def test_approved_profile_edit_on_the_page_waits_and_the_public_page_keeps_the_approved_version(
    client, company_a, member_a, member_b
):
    client.force_login(member_a)
    response = client.post(MY_PROFILE, edit_post(company_a, name="Alpha Renamed AG", city="Leipzig"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Your changes are sent for review. Until an admin approves them, the approved profile stays public."
    ]
    assert (Company.objects.get(pk=company_a.pk).name, [c.name for c in company_directory()]) == (
        "Alpha Cathodes GmbH",
        ["Alpha Cathodes GmbH", "Beta Refining KK"],
    )
    revision = CompanyRevision.objects.get(company=company_a)
    assert (revision.status, revision.proposed) == (
        RevisionStatus.PENDING,
        {"name": "Alpha Renamed AG", "city": "Leipzig"},
    )
    client.force_login(member_b)  # another firm sees the approved profile, and nothing of the proposal
    public = client.get(reverse("companies:detail", args=[company_a.pk]))
    assert ("Alpha Cathodes GmbH" in public.text, "Leipzig" in public.text, public.context["revision"]) == (
        True,
        False,
        None,
    )


def test_approved_profile_edit_through_the_api_waits(client, company_a, member_a):
    client.force_login(member_a)
    response = client.patch(api_url(company_a), {"city": "Leipzig"}, content_type="application/json")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["proposed"], response.json()["rows"]) == (
        "pending",
        {"city": "Leipzig"},
        [{"field": "city", "label": "City", "before": "Berlin", "after": "Leipzig", "changed_since": False}],
    )
    assert Company.objects.get(pk=company_a.pk).city == "Berlin"


def test_contacts_and_website_go_live_at_once_the_rest_waits(client, company_a, member_a):
    client.force_login(member_a)
    contacts = rows("contact", [{"name": "Bernd Neu", "role": "Sales", "email": "bernd@alpha.example", "phone": ""}])
    post = {**edit_post(company_a, website="https://alpha.example", city="Leipzig"), **contacts}
    response = client.post(MY_PROFILE, post, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Contact persons, Website: saved and public at once. The other changes wait for an admin's review; "
        "until then the approved profile stays public."
    ]
    company = Company.objects.get(pk=company_a.pk)
    assert (company.website, [c.name for c in company.contacts.all()], company.city) == (
        "https://alpha.example",
        ["Bernd Neu"],
        "Berlin",
    )
    assert company.revisions.get().proposed == {"city": "Leipzig"}


def test_skip_review_fields_follow_the_setting(settings, company_a, member_a):
    settings.MODERATION_SKIP_REVIEW_FIELDS = ["city"]
    data = {**company_profile_data(company=company_a), "city": "Leipzig", "website": "https://alpha.example"}
    outcome = moderation.profile_edit(company=company_a, user=member_a, data=data)
    assert (outcome.applied, outcome.revision.proposed) == (["city"], {"website": "https://alpha.example"})


def test_skip_review_setting_with_an_unknown_field_fails_loudly(settings):
    settings.MODERATION_SKIP_REVIEW_FIELDS = ["website", "colour"]
    with pytest.raises(ImproperlyConfigured, match="MODERATION_SKIP_REVIEW_FIELDS names unknown fields: colour"):
        moderation.skip_review_fields()


def test_a_second_edit_replaces_the_pending_changes_and_undoing_them_withdraws_them(company_a, member_a, pending):
    live = company_profile_data(company=company_a)
    second = moderation.profile_edit(company=company_a, user=member_a, data={**live, "city": "Dresden"})
    assert (second.revision.pk, second.revision.proposed) == (pending.pk, {"city": "Dresden"})
    undone = moderation.profile_edit(company=company_a, user=member_a, data=live)
    pending.refresh_from_db()
    assert (undone.revision, pending.status) == (None, RevisionStatus.WITHDRAWN)


def test_my_profile_form_shows_the_proposed_values_and_the_diff(client, member_a, pending):
    client.force_login(member_a)
    response = client.get(MY_PROFILE)
    assert response.context["form"]["city"].value() == "Leipzig"
    assert [(r.label, r.before, r.after) for r in response.context["revision_rows"]] == [
        ("City", "Berlin", "Leipzig"),
        ("Value-chain stages", "Cathode materials", "Anode materials"),
    ]
    assert reverse("companies:revision_withdraw") in response.text


def test_firm_withdraws_its_pending_changes(client, company_a, member_a, pending):
    client.force_login(member_a)
    client.post(reverse("companies:revision_withdraw"))
    pending.refresh_from_db()
    assert (pending.status, Company.objects.get(pk=company_a.pk).city) == (RevisionStatus.WITHDRAWN, "Berlin")


# --- the admin decides ---------------------------------------------------------------------------


def test_review_page_shows_a_labelled_diff_to_admins_only(client, admin_user, member_a, pending):
    url = reverse("companies:revision_review", args=[pending.pk])
    client.force_login(member_a)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    response = client.get(url)
    assert [(r.label, r.before, r.after) for r in response.context["rows"]] == [
        ("City", "Berlin", "Leipzig"),
        ("Value-chain stages", "Cathode materials", "Anode materials"),
    ]
    assert "batteries.anode" not in response.text
    assert reverse("companies:revision_review", args=[pending.pk]) in client.get(reverse("companies:moderation")).text


def test_approval_applies_the_changes_records_them_and_tells_the_firm(
    client, admin_user, company_a, member_a, pending, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    url = reverse("companies:revision_review", args=[pending.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "approve", "note": "Thanks."})
    assert (response.status_code, response.url) == (302, reverse("companies:moderation"))
    company = Company.objects.get(pk=company_a.pk)
    assert (company.status, company.city, company.stages) == (CompanyStatus.APPROVED, "Leipzig", ["batteries.anode"])
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.note) == (RevisionStatus.APPROVED, admin_user, "Thanks.")
    accepted = company.changes.get(action=ChangeAction.ACCEPTED)
    assert (accepted.user, accepted.changes) == (
        admin_user,
        {"city": ["Berlin", "Leipzig"], "stages": [["batteries.cathode"], ["batteries.anode"]]},
    )
    assert list(Notification.objects.values_list("recipient", "kind")) == [
        (member_a.pk, NotificationKind.REVISION_APPROVED)
    ]
    assert [m.subject for m in mailoutbox] == ["Your changes to the profile are approved and public"]


def test_rejection_needs_a_note_keeps_the_profile_and_tells_the_firm(client, admin_user, company_a, member_a, pending):
    client.force_login(admin_user)
    url = reverse("companies:revision_review", args=[pending.pk])
    response = client.post(url, {"action": "reject", "note": ""})
    assert response.context["form"].errors == {"note": ["Say why the changes are rejected; the firm will read it."]}
    client.post(url, {"action": "reject", "note": "Keep Berlin: the plant is there."})
    pending.refresh_from_db()
    assert (pending.status, Company.objects.get(pk=company_a.pk).city) == (RevisionStatus.REJECTED, "Berlin")
    declined = company_a.changes.get(action=ChangeAction.DECLINED)
    assert (declined.user, declined.note) == (admin_user, "Keep Berlin: the plant is there.")
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.params["note"]) == (
        member_a,
        NotificationKind.REVISION_REJECTED,
        "Keep Berlin: the plant is there.",
    )


def test_a_decided_revision_cannot_be_decided_again(admin_user, pending):
    moderation.revision_reject(revision=pending, admin=admin_user, note="No.")
    with pytest.raises(ValidationError) as error:
        moderation.revision_approve(revision=pending, admin=admin_user)
    assert error.value.message_dict == {"status": ["These changes were already decided or withdrawn (Rejected)."]}
    assert Company.objects.get(pk=pending.company_id).city == "Berlin"


def test_only_admins_decide(member_a, pending):
    with pytest.raises(PermissionDenied):
        moderation.revision_approve(revision=pending, admin=member_a)


def test_api_admin_lists_and_approves_revisions(client, admin_user, member_a, pending):
    client.force_login(member_a)
    assert client.get("/api/v1/revisions/").status_code == 403
    assert client.post(f"/api/v1/revisions/{pending.pk}/approve/").status_code == 403
    client.force_login(admin_user)
    assert [r["id"] for r in client.get("/api/v1/revisions/").json()] == [pending.pk]
    response = client.post(f"/api/v1/revisions/{pending.pk}/approve/", {}, content_type="application/json")
    assert (response.status_code, response.json()["status"]) == (200, "approved")
    assert Company.objects.get(pk=pending.company_id).city == "Leipzig"


def test_api_reject_without_note_is_a_400(client, admin_user, pending):
    client.force_login(admin_user)
    response = client.post(f"/api/v1/revisions/{pending.pk}/reject/", {}, content_type="application/json")
    assert (response.status_code, response.json()) == (
        400,
        {"note": ["Say why the changes are rejected; the firm will read it."]},
    )


# --- match refresh: approval and admin edits go through company_update ------------------------------


@pytest.fixture
def matched(company_a, company_b, admin_user):
    """A platform-wide match run over company_a (EU) and company_b (JP): one suggestion."""
    match_run_execute(run_id=match_run_start(user=admin_user, mission=None, enqueue=False).pk)
    return Suggestion.objects.get(eu_company=company_a, jp_company=company_b)


def test_django_admin_edit_refreshes_matches_and_records_one_history_row(
    admin_client, admin_user, company_b, matched, django_capture_on_commit_callbacks
):
    url = reverse("admin:companies_company_change", args=[company_b.pk])
    post = _resubmit(admin_client.get(url), partnership_types='["rnd"]', offer="Research on nickel refining.")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, post)
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=matched.pk).score < matched.score
    change = company_b.changes.get()
    assert (change.user, change.action, sorted(change.changes)) == (
        admin_user,
        ChangeAction.UPDATED,
        ["offer", "partnership_types"],
    )


def test_django_admin_edit_of_contact_rows_is_recorded(admin_client, company_a):
    url = reverse("admin:companies_company_change", args=[company_a.pk])
    page = admin_client.get(url)
    prefix = next(
        i.formset.prefix for i in page.context["inline_admin_formsets"] if i.formset.model.__name__ == "ContactPerson"
    )
    admin_client.post(url, _resubmit(page, **{f"{prefix}-0-name": "Anna Renamed"}))
    change = company_a.changes.get()
    assert [c["name"] for c in change.changes["contacts"][1]] == ["Anna Renamed"]
    assert list(company_a.contacts.values_list("name", flat=True)) == ["Anna Renamed"]


def test_approved_revision_refreshes_matches(
    admin_user, company_b, member_b, matched, django_capture_on_commit_callbacks
):
    data = {**company_profile_data(company=company_b), "partnership_types": ["rnd"],
            "offer": "Research on nickel refining."}  # fmt: skip
    revision = moderation.profile_edit(company=company_b, user=member_b, data=data).revision
    assert Suggestion.objects.get(pk=matched.pk).score == matched.score  # not live before the decision
    with django_capture_on_commit_callbacks(execute=True):
        moderation.revision_approve(revision=revision, admin=admin_user)
    assert Suggestion.objects.get(pk=matched.pk).score < matched.score
