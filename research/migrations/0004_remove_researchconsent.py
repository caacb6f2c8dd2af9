"""The old research consent (one text, recorded by a researcher) is gone: its rows
were copied into the consent per kind by 0003."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("research", "0003_consent_from_old_models"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='researchconsent',
            name='recorded_by',
        ),
        migrations.RemoveField(
            model_name='researchconsent',
            name='text',
        ),
        migrations.RemoveField(
            model_name='researchconsent',
            name='trajectory',
        ),
        migrations.RemoveField(
            model_name='researchconsent',
            name='user',
        ),
        migrations.DeleteModel(
            name='ResearchConsent',
        ),
    ]
