from django import forms
from django.utils.translation import gettext_lazy as _

from .matrices import DIMENSIONS
from .models import Category, Code, ExportFormat, SourceKind
from .selectors import category_paths


def _label_with_path(field, study) -> None:
    """Show categories as "Parent › Child" in a select, so the tree is visible."""
    paths = dict(category_paths(list(Category.objects.filter(study=study))))
    field.label_from_instance = lambda category: paths.get(category.pk, category.name)


class FragmentFilterForm(forms.Form):
    # A name to search for, not a list of every organisation: a study can hold
    # a thousand of them.
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=100,
                                   help_text=_("Part of the name is enough."))
    kind = forms.ChoiceField(label=_("Kind of source"), required=False,
                             choices=[("", _("All kinds")), *SourceKind.choices])
    coded = forms.ChoiceField(
        label=_("Codings"),
        required=False,
        choices=[("", _("All fragments")), ("mine", _("Coded by me")),
                 ("uncoded", _("Not coded yet"))],
    )
    q = forms.CharField(label=_("Search in the text"), required=False, max_length=100)
    # From a cell of a code matrix: kept as they are, not shown as fields.
    code = forms.IntegerField(required=False, widget=forms.HiddenInput)
    code2 = forms.IntegerField(required=False, widget=forms.HiddenInput)
    by = forms.ChoiceField(required=False, widget=forms.HiddenInput,
                           choices=[("", ""), *((d, d) for d in DIMENSIONS)])
    value = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)


class CodingForm(forms.Form):
    start = forms.IntegerField(
        label=_("From character"), min_value=0,
        widget=forms.NumberInput(attrs={"autocomplete": "off"}),
        help_text=_("Select text above, or type the positions (the first character is 0)."),
    )
    end = forms.IntegerField(label=_("To character"), min_value=1,
                             widget=forms.NumberInput(attrs={"autocomplete": "off"}))
    codes = forms.ModelMultipleChoiceField(
        label=_("Existing codes"), queryset=Code.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    new_codes = forms.CharField(
        label=_("New codes"), required=False, max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Type one or more new codes, separated by commas."),
    )

    def __init__(self, *args, study=None, **kwargs):
        super().__init__(*args, **kwargs)
        if study is not None:
            self.fields["codes"].queryset = Code.objects.filter(study=study).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The end must come after the start."))
        names = [name.strip() for name in data.get("new_codes", "").split(",") if name.strip()]
        data["new_code_names"] = names
        if not data.get("codes") and not names:
            raise forms.ValidationError(_("Choose a code or type the name of a new one."))
        return data


class CodeNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class CodeCategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      required=False, empty_label=_("(no category)"))

    def __init__(self, *args, study=None, **kwargs):
        super().__init__(*args, **kwargs)
        if study is not None:
            self.fields["category"].queryset = Category.objects.filter(study=study)
            _label_with_path(self.fields["category"], study)


class CodeMergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Code.objects.none())

    def __init__(self, *args, code=None, **kwargs):
        super().__init__(*args, **kwargs)
        if code is not None:
            self.fields["target"].queryset = Code.objects.filter(study_id=code.study_id).exclude(
                pk=code.pk
            )


class MemoForm(forms.Form):
    text = forms.CharField(label=_("Memo"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    parent = forms.ModelChoiceField(label=_("Part of"), queryset=Category.objects.none(),
                                    required=False, empty_label=_("(top level)"))

    def __init__(self, *args, study=None, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        if study is not None:
            queryset = Category.objects.filter(study=study)
            if exclude is not None:
                queryset = queryset.exclude(pk=exclude.pk)
            self.fields["parent"].queryset = queryset
            _label_with_path(self.fields["parent"], study)


class ExportForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices,
                            initial=ExportFormat.QDPX)
    case_codes = forms.BooleanField(
        label=_("Also give each organisation as a code (for QualCoder)"), required=False,
        help_text=_("QualCoder links cases to texts only through a code per case. MAXQDA, "
                    "ATLAS.ti and NVivo read the cases without it. Only for the REFI-QDA format."),
    )


class QdpxUploadForm(forms.Form):
    file = forms.FileField(
        label=_("REFI-QDA project (.qdpx)"),
        help_text=_("Exported by MAXQDA, QualCoder or ATLAS.ti from this study's export. You "
                    "see what would change before anything is taken over."),
        widget=forms.ClearableFileInput(attrs={"accept": ".qdpx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".qdpx"):
            raise forms.ValidationError(_("Choose a file ending in .qdpx."))
        return upload


class QdpxConfirmForm(forms.Form):
    apply_changes = forms.BooleanField(
        label=_("Also take over the renamed and moved codes and categories listed above"),
        required=False,
    )


class AgreementForm(forms.Form):
    """Which two coders to compare, and how much two segments must overlap to agree."""

    a = forms.TypedChoiceField(label=_("Coder A"), coerce=int)
    b = forms.TypedChoiceField(label=_("Coder B"), coerce=int)
    threshold = forms.IntegerField(
        label=_("Segments agree from an overlap of (%)"), min_value=1, max_value=100,
        initial=90, required=False,
        help_text=_("As in MAXQDA: the share of the text both segments cover together that "
                    "they have in common."),
    )

    def __init__(self, *args, coders=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(user.pk, user.get_full_name() or user.email) for user in coders]
        self.fields["a"].choices = self.fields["b"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise forms.ValidationError(_("Choose two different coders."))
        if data.get("threshold") is None:
            data["threshold"] = 90
        return data


class MatrixForm(forms.Form):
    by = forms.ChoiceField(
        label=_("Columns"), required=False, initial="organisation",
        choices=[("organisation", _("Organisation")), ("sector", _("Sector")),
                 ("role", _("Role of the author")), ("phase", _("Phase of the trajectory"))],
    )


class CoOccurrenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Codes occur together"), required=False, initial="overlap",
        choices=[("overlap", _("in overlapping segments")),
                 ("fragment", _("in the same fragment"))],
    )
