"""Profile pages: register, my profile, submit, directory, detail (with the permission matrix)."""

import re

import pytest
from django.core import mail
from django.http import QueryDict
from django.urls import reverse

from companies.enums import ChangeAction, CompanyStatus, MemberRole
from companies.forms import DirectoryFilterForm
from companies.models import Company, Membership
from companies.services import company_update
from companies.views import _directory_filters
from tests.companies.profile_posts import profile_post
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MY_PROFILE = reverse("companies:my_profile")
REGISTER = reverse("companies:register")
DIRECTORY = reverse("companies:directory")


def _login_url(next_path: str) -> str:
    return f"{reverse('accounts:login')}?next={next_path}"


# --- register ---------------------------------------------------------------------------------


def test_register_anonymous_redirected_to_login(client):
    response = client.get(REGISTER)
    assert (response.status_code, response.url) == (302, _login_url(REGISTER))


def test_register_form_shown_to_user_without_company(client):
    client.force_login(UserFactory())
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert "Register your company" in response.text
    assert 'name="dep-TOTAL_FORMS"' in response.text
    assert "Cathode materials" in response.text


def test_register_creates_draft_and_makes_user_owner(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(REGISTER, profile_post())
    assert (response.status_code, response.url) == (302, MY_PROFILE)
    company = Company.objects.get(name="Gamma Anode Oy")
    assert (company.status, company.country, company.stages) == (CompanyStatus.DRAFT, "FI", ["batteries.anode"])
    assert list(company.dependencies.values_list("material", "source_country", "share_percent")) == [
        ("graphite", "CN", 70)
    ]
    assert list(company.contacts.values_list("name", "email")) == [("Olli Virtanen", "olli@gamma.example")]
    membership = Membership.objects.get(user=user)
    assert (membership.company, membership.role) == (company, MemberRole.OWNER)
    assert company.changes.get().action == ChangeAction.CREATED


def test_register_invalid_shows_field_messages_and_creates_nothing(client):
    client.force_login(UserFactory())
    response = client.post(REGISTER, profile_post(year_founded="1450", country="US"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "country": ["'US' is not an EU member state or Japan (ISO 3166 alpha-2)."],
        "year_founded": ["Enter a year between 1600 and 2100."],
    }
    assert "Enter a year between 1600 and 2100." in response.text
    assert Company.objects.count() == 0


def test_register_member_sent_to_own_profile(client, member_a):
    client.force_login(member_a)
    response = client.post(REGISTER, profile_post())
    assert (response.status_code, response.url) == (302, MY_PROFILE)
    assert Company.objects.filter(name="Gamma Anode Oy").exists() is False


# --- my profile -------------------------------------------------------------------------------


def test_my_profile_anonymous_redirected_to_login(client):
    response = client.get(MY_PROFILE)
    assert (response.status_code, response.url) == (302, _login_url(MY_PROFILE))


def test_my_profile_user_without_company_sent_to_register(client, admin_user):
    client.force_login(admin_user)
    response = client.get(MY_PROFILE)
    assert (response.status_code, response.url) == (302, REGISTER)


@pytest.mark.parametrize(("who", "name"), [("member_a", "Alpha Cathodes GmbH"), ("member_b", "Beta Refining KK")])
def test_my_profile_shows_own_company(client, request, who, name):
    client.force_login(request.getfixturevalue(who))
    response = client.get(MY_PROFILE)
    assert response.status_code == 200
    assert response.context["company"].name == name
    assert response.context["form"]["name"].value() == name


def test_my_profile_shows_status_completeness_members(client, draft_a, member_a):
    colleague = MembershipFactory(company=draft_a, role=MemberRole.MEMBER, user__email="colleague@alpha.example")
    client.force_login(member_a)
    response = client.get(MY_PROFILE)
    assert response.context["completeness"] == 69
    assert "69%" in response.text
    assert "Draft" in response.text
    assert "Submit for review" in response.text
    assert [m.user.email for m in response.context["members"]] == [member_a.email, colleague.user.email]
    assert colleague.user.email in response.text
    assert reverse("companies:invite") in response.text  # the owner sees the invitation form


def test_my_profile_plain_member_sees_no_invite_or_delete(client, company_a):
    colleague = MembershipFactory(company=company_a, role=MemberRole.MEMBER).user
    client.force_login(colleague)
    response = client.get(MY_PROFILE)
    assert reverse("companies:invite") not in response.text
    assert reverse("companies:delete") not in response.text
    assert reverse("companies:data") in response.text


def test_my_profile_rejected_shows_reason(client, company_a, member_a):
    Company.objects.filter(pk=company_a.pk).update(status=CompanyStatus.REJECTED, rejection_reason="Add a website.")
    client.force_login(member_a)
    response = client.get(MY_PROFILE)
    assert "Rejected" in response.text
    assert "Add a website." in response.text
    assert "Submit for review" in response.text


def test_my_profile_edit_approved_waits_for_review_and_records_the_proposal(client, company_a, member_a):
    client.force_login(member_a)
    anna = {"name": "Anna Example", "role": "Head of procurement", "email": "anna@alpha.example"}
    post = profile_post(
        name="Alpha Cathodes GmbH", country="DE", city="Leipzig", contacts=[{**anna, "phone": "+49 30 1234567"}]
    )
    response = client.post(MY_PROFILE, post)
    assert (response.status_code, response.url) == (302, MY_PROFILE)
    company = Company.objects.get(pk=company_a.pk)
    assert (company.status, company.city, company.stages) == (CompanyStatus.APPROVED, "Berlin", ["batteries.cathode"])
    revision = company.revisions.get()
    assert (revision.proposed["city"], revision.proposed["stages"]) == ("Leipzig", ["batteries.anode"])
    change = company.changes.get(action=ChangeAction.PROPOSED)
    assert (change.user, change.changes["city"]) == (member_a, ["Berlin", "Leipzig"])
    assert "contacts" not in change.changes


def test_my_profile_edit_invalid_shows_messages_and_keeps_data(client, company_a, member_a):
    client.force_login(member_a)
    response = client.post(MY_PROFILE, profile_post(stages=["biotech.diagnostics"]))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "stages": ["Stage(s) Diagnostics belong to a sector that is not chosen."]
    }
    assert Company.objects.get(pk=company_a.pk).stages == ["batteries.cathode"]
    assert company_a.changes.count() == 0


def test_my_profile_edit_invalid_ja_shows_japanese_messages_beside_the_row(client, company_a, member_a):
    client.force_login(member_a)
    row = {"material": "unobtainium", "source_country": "CN", "share_percent": "10"}
    post = profile_post(stages=["biotech.diagnostics"], dependencies=[row])
    response = client.post(MY_PROFILE, post, HTTP_ACCEPT_LANGUAGE="ja")
    form = response.context["form"]
    assert form.errors == {
        "stages": ["バリューチェーン上の位置 診断薬 は、選択されていない分野に属しています。"],
        "__all__": ["下記で示した供給依存の行をご確認ください。"],
    }
    assert form.dependencies.forms[0].non_field_errors() == ["不明な原材料「unobtainium」です。"]


def test_my_profile_edit_replaces_dependency_rows(client, draft_a, member_a):
    company_a = draft_a
    client.force_login(member_a)
    client.post(MY_PROFILE, profile_post(dependencies=[
        {"material": "nickel", "source_country": "ID", "share_percent": "45"},
        {"material": "cobalt", "source_country": "CD", "share_percent": "70"},
    ]))  # fmt: skip
    assert list(company_a.dependencies.values_list("material", "source_country", "share_percent")) == [
        ("cobalt", "CD", 70),
        ("nickel", "ID", 45),
    ]


# --- submit -----------------------------------------------------------------------------------


def test_submit_draft_then_approve_emails_member(
    client, draft_a, member_a, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(member_a)
    response = client.post(reverse("companies:submit"))
    assert (response.status_code, response.url) == (302, MY_PROFILE)
    assert Company.objects.get(pk=draft_a.pk).status == CompanyStatus.SUBMITTED
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("companies:moderation"), {"companies": [draft_a.pk], "action": "approve"})
    assert Company.objects.get(pk=draft_a.pk).status == CompanyStatus.APPROVED
    assert [(m.to, m.subject) for m in mail.outbox] == [([member_a.email], "Your profile is approved")]


def test_submit_twice_shows_error(client, draft_a, member_a):
    client.force_login(member_a)
    client.post(reverse("companies:submit"), follow=True)
    response = client.post(reverse("companies:submit"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Cannot move a submitted profile to submitted."]


def test_submit_anonymous_redirected_to_login(client):
    url = reverse("companies:submit")
    response = client.post(url)
    assert (response.status_code, response.url) == (302, _login_url(url))


def test_submit_get_not_allowed(client, member_a):
    client.force_login(member_a)
    assert client.get(reverse("companies:submit")).status_code == 405


# --- directory --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [None, "member_a", "member_b", "admin_user"])
def test_directory_lists_public_profiles_only(client, request, company_a, company_b, who):
    CompanyFactory(name="Hidden Draft GmbH", status=CompanyStatus.DRAFT)
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert [c.name for c in response.context["page"]] == ["Alpha Cathodes GmbH", "Beta Refining KK"]
    assert "Hidden Draft GmbH" not in response.text
    assert "anna@alpha.example" not in response.text


def test_directory_accept_language_ja_shows_country_labels_in_japanese(client, company_a, company_b):
    response = client.get(DIRECTORY, HTTP_ACCEPT_LANGUAGE="ja")
    country_cells = re.findall(r'</td>\s*<td>([^<]*)<br><span class="muted small">([^<]*)</span></td>', response.text)
    assert country_cells == [("ドイツ", "Berlin"), ("日本", "Osaka")]
    assert '<option value="DE">ドイツ</option>' in response.text


def test_directory_search_japanese(client, company_a):
    CompanyFactory(name="Sakura Materials KK", country="JP", description="当社は正極材を製造しています。")
    response = client.get(DIRECTORY, {"q": "正極材"})
    assert [c.name for c in response.context["page"]] == ["Sakura Materials KK"]
    assert "Sakura Materials KK" in response.text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"side": "JP"}, ["Beta Refining KK"]),
        ({"side": "EU"}, ["Alpha Cathodes GmbH"]),
        ({"country": "DE"}, ["Alpha Cathodes GmbH"]),
        ({"sector": "critical_minerals"}, ["Beta Refining KK"]),
        ({"stage": "batteries.cathode"}, ["Alpha Cathodes GmbH"]),
        ({"material": "nickel"}, ["Alpha Cathodes GmbH", "Beta Refining KK"]),
        ({"partnership_type": "supply"}, ["Beta Refining KK"]),
        ({"country": "ZZ"}, ["Alpha Cathodes GmbH", "Beta Refining KK"]),  # an invalid filter is ignored
    ],
)
def test_directory_filters(client, company_a, company_b, params, expected):
    response = client.get(DIRECTORY, params)
    assert [c.name for c in response.context["page"]] == expected


def test_directory_paginates_keeping_filters(client):
    CompanyFactory.create_batch(25, country="FR")
    response = client.get(DIRECTORY, {"country": "FR", "page": 2})
    assert (response.context["page"].number, len(response.context["page"])) == (2, 5)
    assert "?country=FR&amp;page=1" in response.text


def test_directory_labels_in_japanese(client, company_a):
    response = client.get(DIRECTORY, headers={"accept-language": "ja"})
    assert response.context["page"][0].labels["stages"] == ["正極材"]


@pytest.mark.parametrize(("firms", "page"), [(1, 1), (20, 1), (65, 1), (65, 4)])
def test_directory_query_count_is_the_same_whatever_the_page(client, django_assert_num_queries, firms, page):
    CompanyFactory.create_batch(firms)
    with django_assert_num_queries(2):  # the ordered ids of every match, then the rows of the page
        response = client.get(DIRECTORY, {"sector": "batteries", "page": page})
    assert len(response.context["page"]) == {1: 1, 20: 20, 65: 20 if page == 1 else 5}[firms]


def test_directory_query_count_logged_in(client, member_a, django_assert_num_queries):
    CompanyFactory.create_batch(20)
    client.force_login(member_a)
    with django_assert_num_queries(5):  # session, user with its membership (nav), unread badge; ids, rows
        response = client.get(DIRECTORY)
    assert len(response.context["page"]) == 20


@pytest.mark.parametrize(
    "query", ["", "q=nickel&side=JP", "country=XX&sector=batteries", "q=%20li%20&stage=nope&page=3", "side=EU&side=JP"]
)
def test_directory_filters_remembered_are_the_forms(query):
    """The cleaned filters are remembered per set of values (views._directory_filters): the same as
    the form's, and a caller changing its copy changes nothing for the next."""
    data = QueryDict(query)
    _directory_filters(data)["query"] = "changed by a caller"

    assert _directory_filters(data) == DirectoryFilterForm(data).filters()


# --- detail and its permission matrix ---------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_contacts", "sees_history"),
    [(None, False, False), ("member_a", True, True), ("member_b", False, False), ("admin_user", True, True)],
)
def test_detail_public_profile_matrix(client, request, company_a, member_a, who, sees_contacts, sees_history):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("companies:detail", args=[company_a.pk]))
    assert response.status_code == 200
    assert "Alpha Cathodes GmbH" in response.text
    assert "Cathode materials" in response.text
    assert ("anna@alpha.example" in response.text) is sees_contacts
    assert ('id="history"' in response.text) is sees_history


@pytest.mark.parametrize(("who", "status"), [(None, 404), ("member_a", 200), ("member_b", 404), ("admin_user", 200)])
def test_detail_draft_profile_matrix(client, request, draft_a, member_a, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("companies:detail", args=[draft_a.pk]))
    assert response.status_code == status
    if status == 200:
        assert "anna@alpha.example" in response.text


def test_detail_unknown_company_404(client):
    assert client.get(reverse("companies:detail", args=[999999])).status_code == 404


def test_detail_history_shows_who_and_what(client, company_a, member_a):
    company_update(company=company_a, user=member_a, data={"city": "Leipzig"})
    client.force_login(member_a)
    response = client.get(reverse("companies:detail", args=[company_a.pk]))
    (change,) = response.context["changes"]
    assert change.rows == [("City", "Berlin", "Leipzig")]
    assert member_a.email in response.text
    assert "Leipzig" in response.text


def test_detail_shows_dependencies_publicly(client, company_a):
    from tests.factories import SupplyDependencyFactory

    SupplyDependencyFactory(company=company_a, material="graphite", source_country="CN", share_percent=80)
    response = client.get(reverse("companies:detail", args=[company_a.pk]))
    assert [(label, d.source_country, d.share_percent) for label, d in response.context["dependencies"]] == [
        ("Natural graphite", "CN", 80)
    ]


def test_detail_staff_sees_review_form_for_submitted(client, company_a, admin_user, member_a):
    Company.objects.filter(pk=company_a.pk).update(status=CompanyStatus.SUBMITTED)
    client.force_login(admin_user)
    assert client.get(reverse("companies:detail", args=[company_a.pk])).context["can_moderate"] is True
    client.force_login(member_a)
    assert client.get(reverse("companies:detail", args=[company_a.pk])).context["can_moderate"] is False


# --- home -------------------------------------------------------------------------------------


def test_home_anonymous_links_to_directory_and_signup(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "critical raw materials, EV batteries" in response.text
    assert f'href="{DIRECTORY}"' in response.text
    assert f'href="{reverse("accounts:signup")}"' in response.text


def test_home_user_without_company_links_to_register(client):
    client.force_login(UserFactory())
    assert f'href="{REGISTER}"' in client.get(reverse("home")).text


def test_home_member_links_to_own_profile(client, member_a):
    client.force_login(member_a)
    response = client.get(reverse("home"))
    assert f'href="{MY_PROFILE}"' in response.text
    assert f'href="{REGISTER}"' not in response.text
