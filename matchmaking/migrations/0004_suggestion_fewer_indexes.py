# Indexes that every written suggestion paid for and no read uses (docs/match-runs.md, "Indexes"):
# the EU firm's is the leading column of suggestion_pair_unique; the others only serve the rare
# ON DELETE SET NULL of a user or a meeting request. The foreign key constraints stay.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0002_verbose_names'),
        ('events', '0004_verbose_names'),
        ('matchmaking', '0003_reason'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='suggestion',
            name='eu_company',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='suggestions_as_eu', to='companies.company', verbose_name='EU company'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='eu_responded_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='EU firm answered by'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='jp_responded_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='Japanese firm answered by'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='meeting_request',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='events.meetingrequest', verbose_name='meeting request'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by'),
        ),
    ]
