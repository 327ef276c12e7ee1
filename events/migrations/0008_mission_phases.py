# Mission status becomes phase (renamed, new values); planned phase dates and the phase history.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0007_meeting_outcomes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PhaseChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_phase', models.CharField(choices=[('draft', 'Draft'), ('registration', 'Registration'), ('matching', 'Matching'), ('requests', 'Meeting requests'), ('scheduling', 'Scheduling'), ('published', 'Schedule published'), ('live', 'Mission under way'), ('closed', 'Closed')], max_length=12, verbose_name='from')),
                ('to_phase', models.CharField(choices=[('draft', 'Draft'), ('registration', 'Registration'), ('matching', 'Matching'), ('requests', 'Meeting requests'), ('scheduling', 'Scheduling'), ('published', 'Schedule published'), ('live', 'Mission under way'), ('closed', 'Closed')], max_length=12, verbose_name='to')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
            ],
            options={
                'verbose_name': 'phase change',
                'verbose_name_plural': 'phase changes',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PhasePlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phase', models.CharField(choices=[('draft', 'Draft'), ('registration', 'Registration'), ('matching', 'Matching'), ('requests', 'Meeting requests'), ('scheduling', 'Scheduling'), ('published', 'Schedule published'), ('live', 'Mission under way'), ('closed', 'Closed')], max_length=12, verbose_name='phase')),
                ('starts_on', models.DateField(verbose_name='planned start')),
            ],
            options={
                'verbose_name': 'planned phase date',
                'verbose_name_plural': 'planned phase dates',
                'ordering': ['starts_on', 'id'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='mission',
            name='mission_status_valid',
        ),
        migrations.RenameField(
            model_name='mission',
            old_name='status',
            new_name='phase',
        ),
        migrations.AlterField(
            model_name='mission',
            name='phase',
            field=models.CharField(choices=[('draft', 'Draft'), ('registration', 'Registration'), ('matching', 'Matching'), ('requests', 'Meeting requests'), ('scheduling', 'Scheduling'), ('published', 'Schedule published'), ('live', 'Mission under way'), ('closed', 'Closed')], default='draft', max_length=12, verbose_name='phase'),
        ),
        migrations.AlterField(
            model_name='meetingrequest',
            name='status',
            field=models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn'), ('expired', 'Expired unanswered')], default='pending', max_length=10, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='phasechange',
            name='by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by'),
        ),
        migrations.AddField(
            model_name='phasechange',
            name='mission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='phase_changes', to='events.mission', verbose_name='mission'),
        ),
        migrations.AddField(
            model_name='phaseplan',
            name='mission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='phase_plans', to='events.mission', verbose_name='mission'),
        ),
        migrations.AddConstraint(
            model_name='phaseplan',
            constraint=models.UniqueConstraint(fields=('mission', 'phase'), name='phase_plan_unique'),
        ),
    ]
