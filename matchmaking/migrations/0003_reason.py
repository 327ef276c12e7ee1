# Reasons stored once each; suggestions will hold their ids (0005 converts the rows).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matchmaking', '0002_verbose_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='Reason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('en', models.TextField(verbose_name='English')),
                ('ja', models.TextField(blank=True, verbose_name='Japanese')),
            ],
            options={
                'verbose_name': 'reason',
                'verbose_name_plural': 'reasons',
                'ordering': ['id'],
                'constraints': [models.UniqueConstraint(fields=('en', 'ja'), name='reason_texts_unique')],
            },
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='reasons_eu',
            field=models.JSONField(default=list, help_text='Reason ids, in order.', verbose_name='reasons for the EU firm'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='reasons_jp',
            field=models.JSONField(default=list, help_text='Reason ids, in order.', verbose_name='reasons for the JP firm'),
        ),
    ]
