# The old status "scheduled" (a schedule computed, not published) is the phase "scheduling".
from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("events", "Mission").objects.filter(phase="scheduled").update(phase="scheduling")


def backwards(apps, schema_editor):
    Mission = apps.get_model("events", "Mission")
    Mission.objects.filter(phase="scheduling").update(phase="scheduled")
    Mission.objects.filter(phase="matching").update(phase="registration")
    Mission.objects.filter(phase="live").update(phase="published")


class Migration(migrations.Migration):
    dependencies = [("events", "0008_mission_phases")]

    operations = [migrations.RunPython(forwards, backwards)]
