from django import forms
from django.utils.translation import gettext_lazy as _

from smartcommune.signing.forms import PdfFileField


class CompareFileForm(forms.Form):
    """A PDF someone holds, to compare with the issued record (by SHA-256)."""

    file = PdfFileField(
        label=_("PDF file to compare"),
        help_text=_("At most 20 MB. The file is compared and then discarded; nothing is kept."),
    )
