from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("events", "0009_mission_phase_scheduling")]

    operations = [
        migrations.AddConstraint(
            model_name="mission",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("phase__in", ["draft", "registration", "matching", "requests", "scheduling", "published", "live", "closed"])
                ),
                name="mission_phase_valid",
            ),
        ),
    ]
