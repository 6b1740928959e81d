from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import OnlineLevel, ProcedureLevel
from .excel import MAX_FILE_BYTES
from .models import Field


def _with_any(choices) -> list[tuple[str, str]]:
    return [("", _("Any")), *choices]


class ProcedureFilterForm(forms.Form):
    """The filters of the procedure list (a GET form: bookmarkable, works without JavaScript)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    field = forms.ModelChoiceField(
        label=_("Field"),
        required=False,
        queryset=Field.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Any"),
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=_with_any(ProcedureLevel.choices))
    online_level = forms.ChoiceField(
        label=_("Online level"), required=False, choices=_with_any(OnlineLevel.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"
        self.fields["q"].widget.attrs["placeholder"] = _("e.g. khai sinh, chung thuc, 1.001193")

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "field": data.get("field"),
            "level": data.get("level") or None,
            "online_level": data.get("online_level") or None,
        }


class CatalogImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("A workbook in the layout of the export. At most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an Excel workbook whose name ends in .xlsx."))
        if file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return file
