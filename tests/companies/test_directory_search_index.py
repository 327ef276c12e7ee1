"""The directory's text search is served by the trigram index (companies migration 0009)."""

import pytest
from django.db import connection

from companies import selectors
from companies.enums import CompanyStatus
from companies.models import Company
from tests.factories import CompanyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def many_profiles():
    """Enough approved profiles (and fresh statistics) that reading them all costs more than the index."""
    if connection.vendor != "postgresql":
        pytest.skip("the index exists on PostgreSQL only")
    Company.objects.bulk_create(
        Company(name=f"Firm {i:04d} Holdings", country="DE", status=CompanyStatus.APPROVED,
                description="Cathode materials and recycling of batteries. " * 30)
        for i in range(2000)
    )  # fmt: skip
    with connection.cursor() as cursor:
        # What autovacuum does in service: new rows leave GIN's pending list for the index proper.
        cursor.execute("SELECT gin_clean_pending_list('company_search_trgm'::regclass)")
        cursor.execute("ANALYZE companies_company")


def test_directory_search_for_a_rare_word_uses_the_trigram_index(many_profiles):
    sql, params = selectors.company_directory(query="Iongen").values_list("id").query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on company_search_trgm" in plan


def test_directory_search_finds_what_a_full_read_finds(many_profiles):
    """Mixed case, Japanese, a field other than the name: the same answers through the index."""
    found = CompanyFactory(name="Iongen Materials GmbH", offer="リチウム精製の受託")

    ids = [list(selectors.company_directory(query=q).values_list("id", flat=True)) for q in ("iONGEN", "リチウム精製")]

    assert ids == [[found.pk], [found.pk]]
