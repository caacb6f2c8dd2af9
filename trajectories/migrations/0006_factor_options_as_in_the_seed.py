"""Seed 003 files "Aanwezige expertise" and flexibility under the organisation, not the
team coach; the coach keeps the flexibility of the approach."""

from django.db import migrations


def forwards(apps, schema_editor):
    FactorOption = apps.get_model("trajectories", "FactorOption")
    FactorOption.objects.filter(name="Aanwezige expertise").update(category="organisation")
    FactorOption.objects.get_or_create(
        name="Flexibiliteit van de organisatie", defaults={"category": "organisation"}
    )


def backwards(apps, schema_editor):
    FactorOption = apps.get_model("trajectories", "FactorOption")
    FactorOption.objects.filter(name="Aanwezige expertise").update(category="coach")


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0005_phase_transition_reason_step_back")]
    operations = [migrations.RunPython(forwards, backwards)]
