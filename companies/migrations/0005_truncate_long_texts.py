"""Shorten free texts longer than companies.limits allows, so the length constraints of 0006 hold.

The limits are copied here (a migration must not change when the table does). A text cut here was
refused by every door since the limits came in; the history keeps no copy of the cut part.
"""

from django.db import migrations
from django.db.models.functions import Length, Substr

LIMITS = {"description": 2000, "offer": 1000, "seek": 1000, "rejection_reason": 2000}


def truncate(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    for field, limit in LIMITS.items():
        Company.objects.annotate(length=Length(field)).filter(length__gt=limit).update(**{field: Substr(field, 1, limit)})


class Migration(migrations.Migration):
    dependencies = [("companies", "0004_revisions_moderation")]

    operations = [migrations.RunPython(truncate, migrations.RunPython.noop)]
