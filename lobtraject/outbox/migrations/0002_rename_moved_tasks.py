"""The coding app moved from `reports/coding/` to `coding/`, and Celery names a
task after its module: messages still waiting in the outbox carry the old name
and would reach no task. Rename them; sent rows are history and stay as they were."""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

OLD, NEW = "reports.coding.tasks.", "coding.tasks."


def rename(apps, schema_editor):
    message = apps.get_model("outbox", "OutboxMessage")
    message.objects.filter(sent_at__isnull=True, task_name__startswith=OLD).update(
        task_name=Concat(Value(NEW), Substr(F("task_name"), len(OLD) + 1))
    )


def rename_back(apps, schema_editor):
    message = apps.get_model("outbox", "OutboxMessage")
    message.objects.filter(sent_at__isnull=True, task_name__startswith=NEW).update(
        task_name=Concat(Value(OLD), Substr(F("task_name"), len(NEW) + 1))
    )


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial")]
    operations = [migrations.RunPython(rename, rename_back)]
