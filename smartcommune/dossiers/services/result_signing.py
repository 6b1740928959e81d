"""Signing the e-result (kết quả điện tử): the approving leader signs, then the agency's seal, each
an incremental PAdES signature, run off the request path by a signing job (Decree 30/2020 art. 5:
an e-document signed by the competent person and by the agency has the value of the original).

The leader confirms with a TOTP code at the moment of signing, not only at sign-in: a digital
signature is a deliberate act. When the job finishes, `on_signing_job_finished` stores the signed
file as the dossier's result, in the job's own transaction.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from smartcommune.core.errors import DomainError, InvalidInput
from smartcommune.signing import selectors as signing_selectors
from smartcommune.signing import services as signing_services
from smartcommune.signing.choices import Appearance, JobStatus
from smartcommune.signing.engine import SigningFailed
from smartcommune.signing.models import SigningJob
from smartcommune.signing.signals import signing_job_finished

from ..choices import EventKind, FileKind
from ..errors import NotApproved
from ..files import check_upload, read_with_hash
from ..models import Dossier
from ..workflow import Action
from .common import lock_for, record, store_file

SUBJECT = "dossiers.dossier"


class SignatureNotConfirmed(InvalidInput):
    code = "otp_invalid"
    default_detail = _(
        "The confirmation code is not valid. Enter the current code from your authenticator app."
    )


class NoSigningCertificate(DomainError):
    code = "no_certificate"
    default_detail = _("No usable signing certificate: ask the administrator to issue one.")


class NotTheApprover(DomainError):
    code = "not_the_approver"
    status = 403
    default_detail = _("Only the leader who approved this dossier can sign its result.")


def _confirm_totp(user, token: str) -> None:
    token = (token or "").strip()
    if not token.isdigit():
        raise SignatureNotConfirmed()
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return
    raise SignatureNotConfirmed()


@transaction.atomic
def dossier_result_sign(
    *, dossier: Dossier, actor, version: int | None, result_file, otp_token: str
) -> SigningJob:
    """The approving leader signs the result document; the agency seal follows, then the signed
    file becomes the dossier's result.

    Caller has authorized `actor` on the dossier. Raises NotApproved, NotTheApprover,
    SignatureNotConfirmed (bad TOTP code), NoSigningCertificate, InvalidInput (not a PDF),
    DossierConflict. Queues a signing job (the unsigned file and its hash are kept with it);
    writes an event and an audit entry. Nothing is signed inside this transaction.
    """
    dossier = lock_for(dossier, version=version, action=Action.RECORD_RESULT)
    if dossier.approved_at is None:
        raise NotApproved()
    if dossier.approved_by_id != actor.pk:
        raise NotTheApprover()
    _confirm_totp(actor, otp_token)
    check_upload(result_file, ("pdf",))
    content, _sha = read_with_hash(result_file)
    leader_cert = signing_selectors.official_certificate_for(actor)
    agency_cert = signing_selectors.agency_certificate_for(dossier.org_unit)
    if leader_cert is None or agency_cert is None:
        raise NoSigningCertificate()
    job = signing_services.signing_job_create(
        actor=actor,
        pdf=content.read(),
        org_unit=dossier.org_unit,
        steps=[
            {"certificate": leader_cert.pk, "appearance": Appearance.SIGNER, "box": None},
            {"certificate": agency_cert.pk, "appearance": Appearance.SEAL, "box": None},
        ],
        subject=dossier,
        reason=f"Kết quả giải quyết hồ sơ {dossier.code}",
    )
    record(
        dossier,
        actor=actor,
        kind=EventKind.FILE_ADDED,
        action="result_signing_requested",
        data={"signing_job": str(job.public_id), "sha256_before": job.sha256_before},
    )
    return job


@receiver(signing_job_finished, dispatch_uid="dossiers.result_signing")
def on_signing_job_finished(sender, *, job: SigningJob, **kwargs) -> None:
    """A signed result is ready: keep it as the dossier's result file (in the job's transaction)."""
    if job.subject_type != SUBJECT or job.status != JobStatus.DONE:
        return
    dossier = Dossier.objects.select_for_update().select_related("org_unit").get(pk=job.subject_id)
    with job.output.open("rb") as fh:
        signed = ContentFile(fh.read(), name=f"ket-qua-{dossier.code}.pdf")
    stored = store_file(dossier=dossier, upload=signed, kind=FileKind.RESULT, actor=None, accepted=("pdf",))
    record(
        dossier,
        actor=None,
        kind=EventKind.FILE_ADDED,
        action="result_signed",
        data={
            "file": str(stored.public_id),
            "signing_job": str(job.public_id),
            "sha256_before": job.sha256_before,
            "sha256_after": job.sha256_after,
            "level": job.level,
        },
    )


class ResultNotSealed(DomainError):
    code = "result_not_sealed"
    status = 503
    default_detail = _(
        "The result could not be sealed with the agency's digital signature; nothing was recorded. Try again."
    )


def result_sealed(dossier: Dossier, upload):
    """The uploaded result with the agency's seal added (Decree 30 art. 5: results carry the
    agency's signature), when the unit has an agency certificate; else the upload as it is.
    Raises InvalidInput for a file that is not a PDF, ResultNotSealed when signing fails."""
    certificate = signing_selectors.agency_certificate_for(dossier.org_unit)
    if certificate is None:
        return upload
    check_upload(upload, ("pdf",))
    content, _sha = read_with_hash(upload)
    try:
        signed = signing_services.pdf_sign(
            content.read(),
            certificate=certificate,
            appearance=Appearance.SEAL,
            reason=f"Kết quả hồ sơ {dossier.code}",
        )
    except (SigningFailed, signing_services.CertificateUnusable) as exc:
        raise ResultNotSealed() from exc
    return ContentFile(signed.data, name=upload.name)
