from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A PDF starts with "%PDF-" within its first kilobyte (ISO 32000-1, 7.5.2 and implementation note).
_PDF_MAGIC = b"%PDF-"
TOO_LARGE = _("The file is larger than 20 MB.")


class CompareFileForm(forms.Form):
    """A PDF someone holds, to compare with the issued record (by SHA-256)."""

    file = forms.FileField(
        label=_("PDF file to compare"),
        help_text=_("At most 20 MB. The file is compared and then discarded; nothing is kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if _PDF_MAGIC not in head:
            raise forms.ValidationError(_("This file is not a PDF."), code="not_pdf")
        return upload
