"""Writes of the signing app: the local CA, the certificate registry, revocation and CRLs, signing
jobs. Each write is one transaction with its audit entry. Signing itself (slow, CPU-bound) runs
outside any transaction."""

import datetime as dt
import hashlib
import logging
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from pyhanko_certvalidator import ValidationContext

from smartcommune.audit.services import audit_record
from smartcommune.core.errors import Conflict, InvalidInput
from smartcommune.core.transactions import enqueue_on_commit
from smartcommune.directory.models import OrgUnit
from smartcommune.notifications.services import Recipient, notify

from . import engine, pki, selectors, tasks
from .appearance import Box, box_from_top, seal_box
from .choices import (
    Appearance,
    CertificateKind,
    CertificateStatus,
    JobStatus,
    KeyStorage,
    RevocationReason,
)
from .models import Certificate, RevocationList, SigningJob
from .signals import signing_job_finished

logger = logging.getLogger(__name__)
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT_DAYS = 20 * 365
ISSUING_DAYS = 10 * 365
END_ENTITY_DAYS = 2 * 365


class CertificateUnusable(InvalidInput):
    code = "certificate_unusable"
    default_detail = _("This certificate cannot sign: it is revoked, expired, or has no key here.")


class CaExists(Conflict):
    code = "ca_exists"
    default_detail = _("This province already has an active certification authority.")


def _secret() -> str:
    return settings.SIGNING["KEY_SECRET"]


def _load(cert: Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(bytes(cert.der))


def _register(
    *,
    cert: x509.Certificate,
    kind: str,
    org_unit: OrgUnit,
    issuer: Certificate | None,
    owner_user=None,
    key=None,
    pkcs11_token: str = "",
    pkcs11_key: str = "",
) -> Certificate:
    cert_der = pki.der(cert)
    fingerprint = pki.fingerprint(cert_der)
    if Certificate.objects.filter(fingerprint=fingerprint).exists():
        raise Conflict(_("This certificate is already registered."), code="certificate_exists")
    if key is not None:
        storage = KeyStorage.SOFTWARE
    elif pkcs11_key:
        storage = KeyStorage.PKCS11
    else:
        storage = KeyStorage.NONE
    return Certificate.objects.create(
        kind=kind,
        subject=cert.subject.rfc4514_string()[:300],
        serial=pki.serial_hex(cert),
        fingerprint=fingerprint,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        der=cert_der,
        issuer=issuer,
        owner_user=owner_user,
        org_unit=org_unit,
        key_storage=storage,
        key_sealed=pki.seal_key(key, secret=_secret(), cert_fingerprint=fingerprint)
        if key is not None
        else None,
        pkcs11_token=pkcs11_token,
        pkcs11_key=pkcs11_key,
    )


def _audit_cert(actor, action: str, cert: Certificate, **data) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=cert,
        org_unit=cert.org_unit,
        data={"kind": cert.kind, "serial": cert.serial, "fingerprint": cert.fingerprint, **data},
    )


def _private_key(cert: Certificate):
    if cert.key_storage != KeyStorage.SOFTWARE:
        raise CertificateUnusable()
    return pki.load_key_der(
        pki.unseal_key_der(bytes(cert.key_sealed), secret=_secret(), cert_fingerprint=cert.fingerprint)
    )


def _crl_url(issuer: Certificate) -> str:
    base = settings.SMARTCOMMUNE["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/signatures/crl/{issuer.fingerprint[:16]}.crl"


@transaction.atomic
def ca_create(*, actor, province: OrgUnit, name: str = "") -> tuple[Certificate, Certificate]:
    """Create the province's local root CA and its issuing CA, keys sealed, and publish an empty
    CRL for each. For the embedded default and tests; production imports the national CA's chain.
    Raises CaExists when the province has an active root already."""
    if Certificate.objects.filter(
        kind=CertificateKind.ROOT_CA, org_unit=province, status=CertificateStatus.ACTIVE
    ).exists():
        raise CaExists()
    label = name or province.name
    root_key, issuing_key = pki.new_key(), pki.new_key()
    root_cert = pki.build_certificate(
        subject=pki.name(common_name=f"SmartCommune Root CA - {label}", organisation=label, province=label),
        public_key=root_key.public_key(),
        issuer_cert=None,
        issuer_key=root_key,
        days=ROOT_DAYS,
        ca=True,
        path_length=1,
    )
    root = _register(
        cert=root_cert, kind=CertificateKind.ROOT_CA, org_unit=province, issuer=None, key=root_key
    )
    issuing_cert = pki.build_certificate(
        subject=pki.name(
            common_name=f"SmartCommune Issuing CA - {label}", organisation=label, province=label
        ),
        public_key=issuing_key.public_key(),
        issuer_cert=root_cert,
        issuer_key=root_key,
        days=ISSUING_DAYS,
        ca=True,
        path_length=0,
    )
    issuing = _register(
        cert=issuing_cert, kind=CertificateKind.ISSUING_CA, org_unit=province, issuer=root, key=issuing_key
    )
    _audit_cert(actor, "certificate.ca_created", root)
    _audit_cert(actor, "certificate.ca_created", issuing)
    crl_publish(actor=actor, issuer=root)
    crl_publish(actor=actor, issuer=issuing)
    return root, issuing


def _province_of(unit: OrgUnit) -> str:
    ancestors = OrgUnit.objects.get_ancestors(unit) if unit.depth > 1 else []
    return ancestors[0].name if ancestors else unit.name


@transaction.atomic
def certificate_issue(
    *,
    actor,
    issuer: Certificate,
    kind: str,
    org_unit: OrgUnit,
    owner_user=None,
    common_name: str = "",
    days: float = END_ENTITY_DAYS,
    public_key=None,
    pkcs11_token: str = "",
    pkcs11_key: str = "",
) -> Certificate:
    """Issue an end-entity certificate from the local issuing CA: to an official (`owner_user`),
    to an agency (`kind=agency`, the org unit's seal), or to the TSA. Without `public_key` a key
    pair is made and sealed in the database; with one (a key generated on a PKCS#11 token) only
    the token and key labels are kept."""
    if kind not in (CertificateKind.OFFICIAL, CertificateKind.AGENCY, CertificateKind.TSA):
        raise ValueError(kind)
    if kind == CertificateKind.OFFICIAL and owner_user is None:
        raise InvalidInput(_("An official's certificate needs its owner."), code="owner_required")
    issuer = Certificate.objects.select_for_update().get(pk=issuer.pk)
    if issuer.kind != CertificateKind.ISSUING_CA or issuer.status != CertificateStatus.ACTIVE:
        raise CertificateUnusable(_("The issuing authority is not active."))
    if public_key is not None and not pkcs11_key:
        raise InvalidInput(_("A key on a token needs its label."), code="pkcs11_label_required")
    key = pki.new_key() if public_key is None else None
    if kind == CertificateKind.OFFICIAL:
        cn = common_name or owner_user.get_full_name() or owner_user.get_username()
    else:
        cn = common_name or org_unit.name
    issuer_cert = _load(issuer)
    cert = pki.build_certificate(
        subject=pki.name(
            common_name=cn,
            organisation=org_unit.name if kind != CertificateKind.TSA else "SmartCommune",
            province=_province_of(org_unit),
        ),
        public_key=public_key if public_key is not None else key.public_key(),
        issuer_cert=issuer_cert,
        issuer_key=_private_key(issuer),
        days=days,
        timestamping=kind == CertificateKind.TSA,
        crl_url=_crl_url(issuer),
    )
    record = _register(
        cert=cert,
        kind=kind,
        org_unit=org_unit,
        issuer=issuer,
        owner_user=owner_user,
        key=key,
        pkcs11_token=pkcs11_token,
        pkcs11_key=pkcs11_key,
    )
    _audit_cert(actor, "certificate.issued", record, key_storage=record.key_storage)
    return record


@transaction.atomic
def certificate_import(
    *,
    actor,
    org_unit: OrgUnit,
    kind: str,
    owner_user=None,
    pkcs12_data: bytes | None = None,
    password: str = "",
    certificate_der: bytes | None = None,
    chain_der: Sequence[bytes] = (),
    pkcs11_token: str = "",
    pkcs11_key: str = "",
) -> Certificate:
    """Register a certificate from an outside CA (the national specialised CA): an encrypted
    PKCS#12 file (key sealed here), or a certificate whose key is on a PKCS#11 token. Its chain is
    registered too (without keys), so that verification trusts documents it signed."""
    key = None
    if pkcs12_data is not None:
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(pkcs12_data, password.encode() or None)
        except ValueError as exc:
            raise InvalidInput(
                _("The PKCS#12 file cannot be opened: wrong password or damaged file."), code="pkcs12_invalid"
            ) from exc
        chain = list(extra or [])
    else:
        try:
            cert = x509.load_der_x509_certificate(certificate_der or b"")
            chain = [x509.load_der_x509_certificate(d) for d in chain_der]
        except ValueError as exc:
            raise InvalidInput(_("The certificate cannot be read."), code="certificate_invalid") from exc
        if not pkcs11_key:
            raise InvalidInput(_("A key on a token needs its label."), code="pkcs11_label_required")
    if cert is None or (pkcs12_data is not None and key is None):
        raise InvalidInput(_("The PKCS#12 file holds no certificate with its key."), code="pkcs12_invalid")
    issuer = None
    # Register the chain from the root down, reusing what is there.
    for ca_cert in sorted(chain, key=lambda c: c.issuer == c.subject, reverse=True):
        fp = pki.fingerprint(pki.der(ca_cert))
        existing = Certificate.objects.filter(fingerprint=fp).first()
        if existing is None:
            is_root = ca_cert.issuer == ca_cert.subject
            existing = _register(
                cert=ca_cert,
                kind=CertificateKind.ROOT_CA if is_root else CertificateKind.ISSUING_CA,
                org_unit=org_unit,
                issuer=issuer,
            )
            _audit_cert(actor, "certificate.imported", existing)
        issuer = existing
    record = _register(
        cert=cert,
        kind=kind,
        org_unit=org_unit,
        issuer=issuer,
        owner_user=owner_user,
        key=key,
        pkcs11_token=pkcs11_token,
        pkcs11_key=pkcs11_key,
    )
    _audit_cert(actor, "certificate.imported", record, key_storage=record.key_storage)
    return record


@transaction.atomic
def crl_publish(*, actor, issuer: Certificate, now: dt.datetime | None = None) -> RevocationList:
    """Publish a new CRL of one of the platform's CAs, listing every certificate it revoked."""
    issuer = Certificate.objects.select_for_update().get(pk=issuer.pk)
    now = now or timezone.now()
    last = RevocationList.objects.filter(issuer=issuer).order_by("-number").first()
    number = (last.number + 1) if last else 1
    revoked = [
        (int(serial, 16), when)
        for serial, when in issuer.issued.filter(status=CertificateStatus.REVOKED).values_list(
            "serial", "revoked_at"
        )
    ]
    crl = pki.build_crl(
        issuer_cert=_load(issuer),
        issuer_key=_private_key(issuer),
        revoked=revoked,
        number=number,
        this_update=now,
        next_update=now + dt.timedelta(days=settings.SIGNING["CRL_DAYS"]),
    )
    published = RevocationList.objects.create(
        issuer=issuer,
        number=number,
        this_update=now,
        next_update=crl.next_update_utc,
        der=crl.public_bytes(Encoding.DER),
    )
    audit_record(
        actor=actor,
        action="revocationlist.published",
        target=published,
        org_unit=issuer.org_unit,
        data={"issuer": issuer.fingerprint, "number": number, "revoked": len(revoked)},
    )
    return published


@transaction.atomic
def certificate_revoke(
    *, actor, certificate: Certificate, reason: str = RevocationReason.UNSPECIFIED
) -> Certificate:
    """Revoke a certificate and publish its issuer's new CRL. Idempotent for a revoked one."""
    if reason not in RevocationReason.values:
        raise InvalidInput(_("Choose a revocation reason."), code="revocation_reason")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == CertificateStatus.REVOKED:
        return certificate
    certificate.status, certificate.revoked_at, certificate.revocation_reason = (
        CertificateStatus.REVOKED,
        timezone.now(),
        reason,
    )
    certificate.save(update_fields=["status", "revoked_at", "revocation_reason"])
    _audit_cert(actor, "certificate.revoked", certificate, reason=reason)
    if certificate.issuer is not None and certificate.issuer.key_storage == KeyStorage.SOFTWARE:
        crl_publish(actor=actor, issuer=certificate.issuer)
    return certificate


def certificate_warn_expiring(*, now: dt.datetime | None = None) -> int:
    """Tell the owners of certificates that expire within 30 days (once per certificate): the
    official, or for an agency certificate the agency's holders of document signing rights."""
    now = now or timezone.now()
    within = dt.timedelta(days=settings.SIGNING["EXPIRY_WARNING_DAYS"])
    sent = 0
    for cert in selectors.certificate_expiring_list(now=now, within=within):
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=cert.pk)
            if locked.expiry_warned_at is not None:
                continue
            users = [locked.owner_user] if locked.owner_user else selectors.agency_signers(locked.org_unit)
            if users:
                notify(
                    event="signing.certificate_expiring",
                    recipients=[Recipient.of_user(u) for u in users],
                    context={
                        "subject": locked.subject,
                        "serial": locked.serial,
                        "not_after": timezone.localtime(locked.not_after, VN_TZ),
                    },
                    related=locked,
                    org_unit=locked.org_unit,
                    channels=("in_app", "email"),
                )
            locked.expiry_warned_at = now
            locked.save(update_fields=["expiry_warned_at"])
            _audit_cert(None, "certificate.expiry_warned", locked, recipients=len(users))
            sent += 1
    return sent


# --- signing -------------------------------------------------------------------------------------


def key_material(certificate: Certificate, *, now: dt.datetime | None = None) -> engine.KeyMaterial:
    """The certificate, its chain and its key, ready for `engine.sign_pdf`. Raises
    CertificateUnusable for a revoked or expired certificate or one without a key here."""
    now = now or timezone.now()
    if (
        certificate.status != CertificateStatus.ACTIVE
        or not (certificate.not_before <= now < certificate.not_after)
        or certificate.key_storage == KeyStorage.NONE
    ):
        raise CertificateUnusable()
    chain = [asn1_x509.Certificate.load(bytes(c.der)) for c in selectors.certificate_chain(certificate)]
    cert = asn1_x509.Certificate.load(bytes(certificate.der))
    if certificate.key_storage == KeyStorage.SOFTWARE:
        key_der = pki.unseal_key_der(
            bytes(certificate.key_sealed), secret=_secret(), cert_fingerprint=certificate.fingerprint
        )
        return engine.KeyMaterial(certificate=cert, chain=chain, key_der=key_der)
    return engine.KeyMaterial(
        certificate=cert,
        chain=chain,
        pkcs11=engine.Pkcs11Key(
            library=settings.SIGNING["PKCS11_LIBRARY"],
            token_label=certificate.pkcs11_token,
            key_label=certificate.pkcs11_key,
            pin=settings.SIGNING["PKCS11_PIN"],
        ),
    )


def _ltv_context() -> ValidationContext | None:
    if not settings.SIGNING["EMBED_LTV"]:
        return None
    trust = selectors.trust_material()
    return ValidationContext(
        trust_roots=list(trust.roots),
        other_certs=list(trust.intermediates),
        crls=selectors.latest_crls(),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def iso_time(when: dt.datetime | None = None) -> str:
    """ISO 8601 in Vietnam time, to the second (Decree 30, Appendix I, box 14)."""
    return timezone.localtime(when or timezone.now(), VN_TZ).replace(microsecond=0).isoformat()


def pdf_sign(
    pdf: bytes,
    *,
    certificate: Certificate,
    appearance: str = Appearance.INVISIBLE,
    box: Box | None = None,
    number: str = "",
    reason: str = "",
    timestamper=None,
) -> engine.Signed:
    """Sign PDF bytes with a registered certificate: B-T when a TSA is configured, else B-B; the
    stamp says who, for which agency, when. No database write; raises CertificateUnusable or
    engine.SigningFailed."""
    unit = certificate.org_unit
    parent = OrgUnit.objects.get_ancestors(unit).last() if unit.depth > 1 else None
    name = certificate.owner_user.get_full_name() if certificate.owner_user else unit.name
    texts = engine.StampTexts(
        name=name, agency=unit.name, parent=parent.name if parent else "", number=number, time=iso_time()
    )
    options = engine.SignOptions(
        appearance=appearance,
        box=box,
        texts=texts,
        reason=reason,
        location=unit.name,
        tsa_url=settings.SIGNING["TSA_URL"],
        timestamper=timestamper,
        ltv_context=_ltv_context(),
    )
    return engine.sign_pdf(pdf, material=key_material(certificate), options=options)


def anchor_box(anchor, *, page_height: float = engine.A4[1]) -> Box:
    """A renderer anchor (top-left origin, points) as a signature box."""
    return box_from_top(
        page=anchor.page,
        x=anchor.x,
        y=anchor.y,
        width=anchor.width,
        height=anchor.height,
        page_height=page_height,
    )


class DocumentSigner:
    """A `documents` postprocessor: signs an issued PDF before it is hashed and stored, with the
    stamp at the anchor `anchor` (if the template has it), and marks the draft signed. With
    `required=False` a failure (token down, TSA unreachable) issues the document unsigned and logs
    it, instead of refusing to issue. Typed loosely (duck-typed `draft.document`, `draft.anchors`):
    this app imports no business app."""

    def __init__(
        self,
        certificate: Certificate,
        *,
        appearance: str = Appearance.SIGNER,
        anchor: str = "",
        required: bool = True,
    ):
        self.certificate, self.appearance, self.anchor, self.required = (
            certificate,
            appearance,
            anchor,
            required,
        )

    def __call__(self, pdf: bytes, *, draft) -> bytes:
        found = draft.anchors.get(self.anchor) if self.anchor else None
        box = anchor_box(found) if found is not None else None
        if box is not None and self.appearance == Appearance.SEAL:
            box = seal_box(box)
        try:
            signed = pdf_sign(
                pdf,
                certificate=self.certificate,
                appearance=self.appearance,
                box=box,
                number=getattr(draft.document, "number", ""),
            )
        except (engine.SigningFailed, CertificateUnusable) as exc:
            if self.required:
                raise
            logger.warning("issuing %s unsigned: %s", getattr(draft.document, "kind", "document"), exc)
            return pdf
        draft.document.signed = True
        return signed.data


@transaction.atomic
def signing_job_create(
    *,
    actor,
    pdf: bytes,
    org_unit: OrgUnit,
    steps: list[dict],
    subject=None,
    reason: str = "",
) -> SigningJob:
    """Queue signatures to apply to `pdf` in order (leader, then agency seal); a task runs them
    after commit. Each step: `{"certificate": id, "appearance": ..., "box": [page, x1, y1, x2, y2] | None}`.
    The input's SHA-256 is recorded now."""
    if not steps:
        raise InvalidInput(_("Nothing to sign with."), code="no_signature")
    for step in steps:
        if step.get("appearance") not in Appearance.values:
            raise InvalidInput(_("Unknown signature appearance."), code="appearance")
        cert = Certificate.objects.filter(pk=step.get("certificate")).first()
        if cert is None:
            raise CertificateUnusable()
        key_material(cert)  # refuse now, not later in the task
    job = SigningJob(
        org_unit=org_unit,
        requested_by=actor if getattr(actor, "pk", None) else None,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        steps=steps,
        reason=reason,
        sha256_before=hashlib.sha256(pdf).hexdigest(),
    )
    job.input.save("unsigned.pdf", ContentFile(pdf), save=False)
    job.save(force_insert=True)
    audit_record(
        actor=actor,
        action="signingjob.created",
        target=job,
        org_unit=org_unit,
        data={"sha256_before": job.sha256_before, "steps": steps},
    )
    enqueue_on_commit(tasks.signing_job_run_task, job_id=job.pk)
    return job


def signing_job_run(*, job_id: int, timestamper=None) -> SigningJob:
    """Apply a job's signatures. Idempotent: a job not pending is returned as it is. Signing runs
    outside any transaction; the outcome (signed file and hash, or the error) is recorded in one.
    On failure the unsigned input is left as it was and the requester is told."""
    job = SigningJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != JobStatus.PENDING:
        return job
    with job.input.open("rb") as fh:
        pdf = fh.read()
    error, level = "", ""
    if hashlib.sha256(pdf).hexdigest() != job.sha256_before:
        error = _t("The file to sign changed after the request.")
    else:
        try:
            for step in job.steps:
                cert = Certificate.objects.select_related("org_unit", "owner_user").get(
                    pk=step["certificate"]
                )
                box = Box(*step["box"]) if step.get("box") else None
                signed = pdf_sign(
                    pdf,
                    certificate=cert,
                    appearance=step["appearance"],
                    box=box,
                    number=step.get("number", ""),
                    reason=job.reason,
                    timestamper=timestamper,
                )
                pdf, level = signed.data, signed.level
        except (engine.SigningFailed, CertificateUnusable, Certificate.DoesNotExist) as exc:
            error = str(getattr(exc, "detail", "") or exc)[:500]
    with transaction.atomic():
        job = SigningJob.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.PENDING:
            return job
        job.finished_at = timezone.now()
        if error:
            job.status, job.error = JobStatus.FAILED, error
            job.save(update_fields=["status", "error", "finished_at"])
            audit_record(
                actor=None,
                action="signingjob.failed",
                target=job,
                org_unit=job.org_unit,
                data={"error": error},
            )
            if job.requested_by is not None:
                notify(
                    event="signing.failed",
                    recipients=[Recipient.of_user(job.requested_by)],
                    context={"reason": job.reason, "error": error, "public_id": str(job.public_id)},
                    related=job,
                    org_unit=job.org_unit,
                    channels=("in_app",),
                )
            signing_job_finished.send(sender=SigningJob, job=job)
            return job
        job.output.save("signed.pdf", ContentFile(pdf), save=False)
        job.status, job.sha256_after, job.level = JobStatus.DONE, hashlib.sha256(pdf).hexdigest(), level
        job.save(update_fields=["status", "output", "sha256_after", "level", "finished_at"])
        audit_record(
            actor=None,
            action="signingjob.done",
            target=job,
            org_unit=job.org_unit,
            data={"sha256_before": job.sha256_before, "sha256_after": job.sha256_after, "level": level},
        )
        signing_job_finished.send(sender=SigningJob, job=job)
    return job
