from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import RevocationReason

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Room for the multipart envelope around a file of the largest allowed size.
MULTIPART_OVERHEAD = 64 * 1024
TOO_LARGE = _("The file is larger than 20 MB.")
NOT_PDF = _("This file is not a PDF.")
# A PDF starts with "%PDF-" within its first kilobyte (ISO 32000-1, 7.5.2).
PDF_MAGIC = b"%PDF-"


def check_pdf_head(head: bytes) -> bool:
    return PDF_MAGIC in head[:1024]


class PdfFileField(forms.FileField):
    """A PDF of at most 20 MB, recognised by its first kilobyte rather than its name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_LARGE, code="too_large")
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if not check_pdf_head(head):
            raise forms.ValidationError(NOT_PDF, code="not_pdf")
        return upload


class VerifyUploadForm(forms.Form):
    """A signed PDF someone holds, to check its signatures. Nothing is kept."""

    file = PdfFileField(
        label=_("Signed PDF file"),
        help_text=_("At most 20 MB. The file is checked and then discarded; nothing is kept."),
    )


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RevocationReason.choices)
