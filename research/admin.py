"""Admin for the consent texts only: consents themselves are research data."""

from django.contrib import admin

from .models import ConsentText


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "created_at"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        # A consent keeps the text version agreed to; a new text is a new version.
        return obj is None and super().has_change_permission(request, obj)
