import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .choices import CertificateStatus
from .forms import MAX_UPLOAD_BYTES, MULTIPART_OVERHEAD, TOO_LARGE, RevokeForm, VerifyUploadForm
from .policies import can_revoke, certificate_qs_for
from .verification import MalformedPdf, verify_pdf

PAGE_SIZE = 50


@login_not_required
# Checking changes nothing and uses no session, so a forged cross-site request can do nothing
# here; and without the CSRF check nothing reads the body before the size test below.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """Public page: upload a signed PDF, read in plain words who signed it, when, for which agency,
    and whether it was changed, cut off or added to since, and whether the certificates held."""
    form, report, error, status = VerifyUploadForm(), None, None, 200
    if request.method == "POST":
        # Django reads no more than CONTENT_LENGTH bytes, so refusing on it reads nothing at all.
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD:
            error, status = TOO_LARGE, 413
        else:
            form = VerifyUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    report = verify_pdf(form.cleaned_data["file"].read(), trust=selectors.trust_material())
                except MalformedPdf as exc:
                    error, status = exc.detail, 400
            else:
                status = 400
    return render(
        request,
        "signing/signature_verify.html",
        {"form": form, "report": report, "error": error},
        status=status,
    )


@require_safe
def certificate_list(request):
    """The certificate registry of the units in the official's scope: owner, serial, validity,
    status; certificates that expire within 30 days are marked."""
    now = timezone.now()
    rows = selectors.certificate_list(
        user=request.user, now=now, within=dt.timedelta(days=settings.SIGNING["EXPIRY_WARNING_DAYS"])
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for cert in page:
        cert.revocable = cert.status == CertificateStatus.ACTIVE and can_revoke(request.user, cert)
    context = {"page": page, "now": now, "revoke_form": RevokeForm()}
    return render(request, "signing/certificate_list.html", context)


@require_POST
def certificate_revoke(request, pk: int):
    """Revoke a certificate of a unit whose people the official manages; its CA's CRL is published
    again at once, so verification sees it."""
    cert = certificate_qs_for(user=request.user).select_related("org_unit").filter(pk=pk).first()
    if cert is None or not can_revoke(request.user, cert):
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a revocation reason."))
        return redirect("signing:certificate_list")
    services.certificate_revoke(actor=request.user, certificate=cert, reason=form.cleaned_data["reason"])
    messages.success(request, _("The certificate %(serial)s is revoked.") % {"serial": cert.serial})
    return redirect("signing:certificate_list")


@login_not_required
@require_safe
def crl(request, key: str):
    """The newest CRL of one of the platform's CAs (the CRL distribution point of its certificates)."""
    der = selectors.crl_by_key(key)
    if der is None:
        raise Http404
    response = HttpResponse(der, content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=300"
    return response
