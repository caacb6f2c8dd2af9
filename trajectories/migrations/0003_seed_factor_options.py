"""The pick-list of decision factors seen in the study (free factors can be added too)."""

from django.db import migrations

OPTIONS = [
    ("Geschiktheid van het team", "organisation"),
    ("Timing binnen het schooljaar", "organisation"),
    ("Momentum in de organisatie", "organisation"),
    ("Andere prioriteiten en drukte", "organisation"),
    ("Draagvlak bij de leiding", "management"),
    ("Facilitering in tijd", "management"),
    ("Flexibiliteit van de aanpak", "coach"),
    ("Aanwezige expertise", "coach"),
    ("Bevlogenheid van de aanjager", "champion"),
    ("Positie van de aanjager in het team", "champion"),
]


def seed(apps, schema_editor):
    FactorOption = apps.get_model("trajectories", "FactorOption")
    for name, category in OPTIONS:
        FactorOption.objects.get_or_create(name=name, defaults={"category": category})


def unseed(apps, schema_editor):
    FactorOption = apps.get_model("trajectories", "FactorOption")
    FactorOption.objects.filter(name__in=[name for name, _c in OPTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("trajectories", "0002_phase1_planning_hours")]
    operations = [migrations.RunPython(seed, unseed)]
