"""A trigram index (pg_trgm) for the directory's text search, on PostgreSQL only.

The search matches each word as a substring of eight text fields of the approved profiles
(companies.selectors.company_directory: `UPPER(field) LIKE UPPER('%word%')`, which is what Django
writes for `icontains`). Without an index every search reads every approved profile (33 ms of
PostgreSQL at 4,000 firms); with this GIN index of the same eight expressions, a word of three
characters or more that few profiles contain is found through it (0.3 ms). Words of one or two
characters (two kanji) and words that most profiles contain are still read in full: the planner
chooses. tests/companies/test_directory_search_index.py checks that the index serves the query.

pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it. Where
the migration's user may not, the index is left out with a warning and the search works as before.
On SQLite: nothing.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEX = "company_search_trgm"
FIELDS = ("name", "name_ja", "description", "offer", "seek", "keywords", "city", "region")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("companies", "Company")._meta.db_table
    columns = ", ".join(f'(UPPER("{field}"::text)) gin_trgm_ops' for field in FIELDS)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING gin ({columns}) WHERE "status" = \'approved\''
            )
    except DatabaseError as error:
        logger.warning("No trigram index for the directory search (%s); searches read every profile", error)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("companies", "0008_company_directory_order")]

    operations = [migrations.RunPython(create, drop)]
