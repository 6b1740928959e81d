"""Public API: check the signatures of a PDF (POST multipart, field `file`)."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from smartcommune.core.errors import DomainError, InvalidInput

from . import selectors
from .forms import MAX_UPLOAD_BYTES, MULTIPART_OVERHEAD, check_pdf_head
from .verification import verify_pdf

router = Router(tags=["signatures"], auth=None)


class UploadTooLarge(DomainError):
    code = "too_large"
    status = 413
    default_detail = _("The file is larger than 20 MB.")


class SignatureOut(Schema):
    field_name: str
    signer: str
    organisation: str
    serial: str
    issuer: str
    signed_at: dt.datetime | None
    timestamp_at: dt.datetime | None
    timestamp_trusted: bool
    level: str
    intact: bool
    valid: bool
    trusted: bool
    changed_after: bool
    covers_entire_file: bool
    cert_valid_at_signing: bool
    revoked_at: dt.datetime | None
    revoked_at_signing: bool
    expired_now: bool


class VerificationOut(Schema):
    verdict: str
    message: str
    ok: bool
    size: int
    signatures: list[SignatureOut]


_MULTIPART = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        }
    }
}


@router.post("/verify", response=VerificationOut, url_name="signature_verify", openapi_extra=_MULTIPART)
def signature_verify(request):
    """Check every signature of an uploaded PDF (at most 20 MB; nothing is kept). `verdict` is one of
    valid, unsigned, modified, truncated, appended, revoked, certificate_invalid, expired, untrusted; a file
    that is not a readable PDF answers 400 `malformed_pdf`."""
    # Refuse on the declared length before Django reads (and spools) the body.
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
        raise UploadTooLarge()
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput(_('Send the PDF in the form field "file".'), code="file_required")
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadTooLarge()
    data = upload.read()
    if not check_pdf_head(data):
        raise InvalidInput(_("This file is not a PDF."), code="not_pdf")
    report = verify_pdf(data, trust=selectors.trust_material())
    return {
        "verdict": report.verdict,
        "message": str(report.message),
        "ok": report.ok,
        "size": report.size,
        "signatures": [{**vars(f), "level": f.level} for f in report.signatures],
    }
