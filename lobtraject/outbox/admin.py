from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["task_name", "created_at", "sent_at", "attempts"]
    list_filter = ["task_name"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
