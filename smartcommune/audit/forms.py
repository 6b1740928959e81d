from datetime import date

from django import forms
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .selectors import AuditEntryFilters, auditentry_unit_choices

# Outside this range a local date cannot be turned into a UTC instant on every database.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2999, 12, 31)


def _target_type_choices() -> list[tuple[str, str]]:
    """The project's models, by the label audit entries store (`directory.apitoken`)."""
    choices = []
    for model in apps.get_models():
        if model.__module__.startswith("smartcommune.") and model._meta.app_label != "audit":
            label = model._meta.label_lower
            choices.append((label, f"{capfirst(model._meta.verbose_name)} ({label})"))
    return [("", _("Any")), *sorted(choices, key=lambda c: str(c[1]))]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        indent = "\u2014 " * max(obj.depth - 1, 0)
        return f"{indent}{obj.name} ({obj.code})"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """The filters of the audit list (a GET form: bookmarkable, works without JavaScript)."""

    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("Beginning of the action code, e.g. citizen. or apitoken.created"),
    )
    actor = forms.CharField(
        label=_("Actor"), required=False, max_length=150, help_text=_("Part of the name or username")
    )
    target_type = forms.ChoiceField(label=_("Target type"), required=False)
    target_id = forms.CharField(label=_("Target ID"), required=False, max_length=64)
    org_unit = UnitChoiceField(
        label=_("Unit"), required=False, queryset=None, empty_label=_("All units in my scope")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = _target_type_choices()
        self.fields["org_unit"].queryset = auditentry_unit_choices(user=user)
        self.fields["org_unit"].error_messages["invalid_choice"] = _(
            "This unit does not exist or is outside your scope."
        )
        for name, field in self.fields.items():
            css = "form-select form-select-sm" if name in ("target_type", "org_unit") else "form-control"
            if css == "form-control":
                css += " form-control-sm"
            field.widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] += " is-invalid"

    def _clean_date(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and not MIN_DATE <= value <= MAX_DATE:
            raise forms.ValidationError(
                _("Enter a date between %(min)s and %(max)s."),
                code="date_range",
                params={"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
            )
        return value

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

    def clean_action(self):
        # Action codes are lower case by convention ("dossier.forwarded").
        return self.cleaned_data["action"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def to_filters(self) -> AuditEntryFilters:
        data = self.cleaned_data
        return AuditEntryFilters(
            action=data.get("action") or "",
            actor=(data.get("actor") or "").strip(),
            target_type=data.get("target_type") or "",
            target_id=(data.get("target_id") or "").strip(),
            org_unit=data.get("org_unit"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
