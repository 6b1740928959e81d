from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import OverrideKind


class OverrideForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label=_("Kind of day"), choices=OverrideKind.choices)
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("For example: Lunar New Year holiday")
    )
    legal_ref = forms.CharField(
        label=_("Legal reference"),
        max_length=300,
        help_text=_("The decision or official letter, e.g. Công văn 9859/VPCP-KGVX"),
    )
