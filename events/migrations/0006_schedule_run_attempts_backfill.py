"""Schedule runs that already began count as their first attempt (match runs have counted theirs all along)."""

from django.db import migrations


def forwards(apps, schema_editor):
    ScheduleRun = apps.get_model("events", "ScheduleRun")
    ScheduleRun.objects.filter(started_at__isnull=False, attempts=0).update(attempts=1)


class Migration(migrations.Migration):
    dependencies = [("events", "0005_schedule_run_lifecycle")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
