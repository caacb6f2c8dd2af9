"""The old research consent (one text, recorded by a researcher) is gone: its rows
were copied into the consent per kind by 0003."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("research", "0003_consent_from_old_models"),
    ]

    operations = [
        # The index first, so that the migration can be reversed (the index names `user`,
        # which a reversed DeleteModel does not have yet); forwards the schema is the same.
        migrations.RemoveIndex(
            model_name="researchconsent",
            name="research_re_user_id_a84662_idx",
        ),
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
