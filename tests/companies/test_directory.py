"""The directory's cached body (companies.directory): served without queries, per language, and
dropped by every service that changes what the directory shows."""

import pytest
from django.urls import reverse

from companies import data_rights, services
from companies.enums import CompanyStatus
from companies.importing import companies_generate
from companies.models import Company
from companies.selectors import company_profile_data
from tests.factories import CompanyFactory, MembershipFactory

DIRECTORY = reverse("companies:directory")


def names(response) -> list[str]:
    return [c.name for c in response.context["page"]] if response.context.get("page") is not None else []


def main(text: str) -> str:
    return text[text.index("<main") : text.index("</main>")]


def listed(client, **params) -> str:
    return client.get(DIRECTORY, params).text


def test_second_request_is_served_from_the_cache_without_a_query(client, company_a, django_assert_num_queries):
    first = client.get(DIRECTORY, {"sector": "batteries"})
    with django_assert_num_queries(0):
        second = client.get(DIRECTORY, {"sector": "batteries"})
    assert main(second.text) == main(first.text)  # the header differs: a new CSRF mask per response
    assert "Alpha Cathodes GmbH" in main(second.text)


def test_cached_body_is_per_language(client, company_a):
    english = client.get(DIRECTORY, headers={"accept-language": "en"})
    japanese = client.get(DIRECTORY, headers={"accept-language": "ja"})
    assert ("Germany" in english.text, "ドイツ" in english.text) == (True, False)
    assert ("ドイツ" in japanese.text, "Germany" in japanese.text) == (True, False)


def test_cached_body_is_per_filter_set_and_page(client, company_a, company_b):
    for n in range(25):
        CompanyFactory(name=f"France {n:02d}", country="FR")
    assert "Beta Refining KK" not in listed(client, side="EU")
    assert "Beta Refining KK" in listed(client, side="JP")
    first, second = listed(client, country="FR"), listed(client, country="FR", page=2)
    assert ("France 00" in first, "France 24" in first, "France 24" in second) == (True, False, True)


def test_page_links_are_made_of_the_valid_filters_only(client, db):
    CompanyFactory.create_batch(25, country="FR")
    text = client.get(DIRECTORY, {"country": "FR", "utm_source": "mail", "sector": "nonsense"}).text
    assert 'href="?country=FR&amp;page=2"' in text


def test_an_approval_shows_the_profile_at_once(client, admin_user, company_a):
    waiting = CompanyFactory(name="Gamma Anodes SAS", country="FR", status=CompanyStatus.SUBMITTED)
    assert "Gamma Anodes SAS" not in listed(client)
    services.company_approve(company=waiting, admin=admin_user)
    assert "Gamma Anodes SAS" in listed(client)


def test_a_rejection_hides_the_profile_at_once(client, admin_user, company_a):
    assert "Alpha Cathodes GmbH" in listed(client)
    services.company_reject(company=company_a, admin=admin_user, reason="Not a real firm.")
    assert "Alpha Cathodes GmbH" not in listed(client)


def test_an_edit_shows_at_once(client, company_a):
    assert "Alpha Cathodes GmbH" in listed(client, q="Alpha")
    services.company_update(company=company_a, user=None, data={"name": "Alpha Anodes GmbH"})
    text = listed(client, q="Alpha")
    assert ("Alpha Anodes GmbH" in text, "Alpha Cathodes GmbH" in text) == (True, False)


def test_an_erasure_hides_the_profile_at_once(client, company_a):
    owner = MembershipFactory(company=company_a, role="owner").user
    assert "Alpha Cathodes GmbH" in listed(client)
    data_rights.company_erase(company=company_a, user=owner, confirm_name="Alpha Cathodes GmbH")
    assert "Alpha Cathodes GmbH" not in listed(client)


def test_an_import_shows_its_approved_firms_at_once(client, admin_user, company_a):
    assert "1 company" in listed(client)
    companies_generate(count=4, seed=3, approve_by=admin_user)
    assert "5 companies" in listed(client)


def test_a_write_in_a_transaction_changes_the_version_again_on_commit(company_a, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from companies.directory import VERSION_KEY

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.company_update(company=company_a, user=None, data=company_profile_data(company=company_a))
        during = cache.get(VERSION_KEY)
    for callback in callbacks:
        callback()
    assert cache.get(VERSION_KEY) not in (None, during)


def test_the_page_works_with_the_cache_down(client, settings, company_a):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get(DIRECTORY)
    assert (response.status_code, names(response)) == (200, ["Alpha Cathodes GmbH"])
    services.company_update(company=Company.objects.get(pk=company_a.pk), user=None, data={"city": "Bonn"})
    assert "Bonn" in client.get(DIRECTORY).text


@pytest.mark.parametrize("language", ["en", "ja"])
def test_search_form_keeps_the_words_and_filters_shown(client, company_a, language):
    text = client.get(DIRECTORY, {"q": "cathode", "country": "DE"}, headers={"accept-language": language}).text
    assert 'value="cathode"' in text
    assert '<option value="DE" selected>' in text
