"""Consent moves to research (one model per person, trajectory and kind, see
research 0003, which copied every answer); report versions can be redacted."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("dialogues", "0002_invitee_unique_message"),
        ("research", "0004_remove_researchconsent"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportversion",
            name="redacted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="redacted at"),
        ),
        migrations.DeleteModel(name="Consent"),
        migrations.DeleteModel(name="ConsentText"),
    ]
