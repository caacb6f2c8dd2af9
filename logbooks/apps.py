from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbooksConfig(AppConfig):
    name = "logbooks"
    verbose_name = _("Logbooks")
