import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from smartcommune.core.text import fold
from smartcommune.signing.forms import MAX_UPLOAD_BYTES, TOO_LARGE
from smartcommune.signing.selectors import trust_material
from smartcommune.signing.verification import MalformedPdf, verify_pdf

from . import selectors
from .forms import CompareFileForm
from .policies import access_document_file
from .services import document_download_record

# Room for the multipart envelope around a file of the largest allowed size.
_MULTIPART_OVERHEAD = 64 * 1024


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@login_not_required
# Comparing changes nothing and uses no session, so a forged cross-site request can do nothing
# here; and without the CSRF check nothing reads the body before the size test below.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request, public_id):
    """Public page the QR code on an issued PDF leads to: what was issued, and a hash check of a
    PDF someone holds. Shows only what the paper prints; never the applicant's identifiers."""
    document = selectors.document_verification_detail(public_id=public_id)
    form = CompareFileForm()
    upload_error = None
    matches = None
    status = 200
    if request.method == "POST":
        # Django reads no more than CONTENT_LENGTH bytes, so refusing on it reads nothing at all.
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + _MULTIPART_OVERHEAD:
            upload_error = TOO_LARGE
            status = 413
        else:
            form = CompareFileForm(request.POST, request.FILES)
            if form.is_valid():
                matches = _sha256_of(form.cleaned_data["file"]) == document.sha256
            else:
                status = 400
    context = {
        "document": document,
        "form": form,
        "upload_error": upload_error,
        "matches": matches,
        "report": _signature_report(document) if document.signed else None,
    }
    return render(request, "documents/issueddocument_verify.html", context, status=status)


def _signature_report(document):
    """The signatures of the stored file, checked now (revocations since issuing show)."""
    with document.file.open("rb") as fh:
        data = fh.read()
    try:
        return verify_pdf(data, trust=trust_material())
    except MalformedPdf:
        return None


@require_safe
def document_file(request, public_id):
    """The stored PDF, for officials who receive or process dossiers where it was issued (else 404)."""
    document = access_document_file(user=request.user, public_id=public_id)
    document_download_record(actor=request.user, document=document)
    name = slugify(fold(document.title))[:80] or document.kind
    response = FileResponse(document.file.open("rb"), content_type="application/pdf", filename=f"{name}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
