from django.contrib import admin

from .models import LogbookSettings


@admin.register(LogbookSettings)
class LogbookSettingsAdmin(admin.ModelAdmin):
    """Only the reminder settings: logbook text is research data, not for the admin site."""

    list_display = ["user", "reminders_enabled", "reminder_weekday", "reminder_hour"]
    fields = ["user", "reminders_enabled", "reminder_weekday", "reminder_hour"]
    raw_id_fields = ["user"]
