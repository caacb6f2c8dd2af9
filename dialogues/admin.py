"""Admin for dialogue metadata only: staff get no harvest or report text
(the informed consent limits that to the research team), so items, report
versions and answers are not registered here."""

from django.contrib import admin

from .models import DialogueSession


@admin.register(DialogueSession)
class DialogueSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "trajectory", "kind", "starts_at", "harvest_closed_at"]
    list_filter = ["kind"]
    list_select_related = ["trajectory__organisation", "trajectory__study"]
    fields = [
        "trajectory",
        "half_day",
        "kind",
        "theme",
        "lob_term",
        "starts_at",
        "duration_minutes",
        "is_online",
        "place",
        "agenda",
        "facilitator",
        "researcher",
    ]
    raw_id_fields = ["trajectory", "half_day", "facilitator", "researcher"]
