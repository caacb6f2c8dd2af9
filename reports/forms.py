from django import forms
from django.utils.translation import gettext_lazy as _

from .classification import PublicationType, Theme
from .models import Audience, Portrait, Report, ReportKind


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=ReportKind.choices)
    object_id = forms.IntegerField(label=_("About"), min_value=1, widget=forms.HiddenInput)
    audience = forms.ChoiceField(label=_("For"), choices=Audience.choices,
                                 initial=Audience.RESEARCH_TEAM)
    theme = forms.ChoiceField(label=_("Theme"), choices=Theme.choices,
                              initial=Theme.PROFESSIONALISATION)
    publication_type = forms.ChoiceField(label=_("Publication type"),
                                         choices=PublicationType.choices,
                                         initial=PublicationType.RESEARCH_REPORT)


class PortraitForm(forms.ModelForm):
    class Meta:
        model = Portrait
        fields = ["student_count", "student_note", *Portrait.SECTION_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in Portrait.SECTION_FIELDS}
        help_texts = {
            "student_count": _("The system does not know this number; leave it empty if unknown."),
        }


class ReportClassificationForm(forms.ModelForm):
    """The research-database classification of a made report."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = Report
        fields = ["sector", "theme", "year", "publication_type"]
