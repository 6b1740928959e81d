import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcommune.directory.models import OrgUnit

from .choices import (
    Appearance,
    CertificateKind,
    CertificateStatus,
    JobStatus,
    KeyStorage,
    RevocationReason,
    SignatureLevel,
)


class CertificateQuerySet(models.QuerySet):
    def usable(self, now=None) -> "CertificateQuerySet":
        """Active, within their validity period, with a key the platform can use."""
        now = now or timezone.now()
        return self.filter(status=CertificateStatus.ACTIVE, not_before__lte=now, not_after__gt=now).exclude(
            key_storage=KeyStorage.NONE
        )

    def expiring(self, *, now, within) -> "CertificateQuerySet":
        return self.filter(status=CertificateStatus.ACTIVE, not_after__gt=now, not_after__lte=now + within)


class Certificate(models.Model):
    """A certificate in the province's registry (chứng thư số): a CA of the local PKI, an official's
    signing certificate, an agency's organisation certificate (for its seal), or a TSA certificate.

    Lifecycle: created by `services.ca_create` / `certificate_issue` (local CA) or `certificate_import`
    (from the national specialised CA); active until revoked (`certificate_revoke`, which publishes a
    new CRL of its issuer) or past `not_after`. Never deleted: verifying old documents needs it.

    Invariants: `der` is the certificate; `fingerprint` its SHA-256; serial unique per issuer. The
    private key is either sealed in `key_sealed` (see `pki.seal_key`), on a PKCS#11 token named by
    label, or not held by the platform (`key_storage=none`, e.g. an imported root).
    """

    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    subject = models.CharField(_("subject"), max_length=300)
    serial = models.CharField(_("serial number (hex)"), max_length=64)
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64, unique=True)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"), db_index=True)
    der = models.BinaryField(_("certificate (DER)"))
    issuer = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued",
        verbose_name=_("issuer"),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signing_certificates",
        verbose_name=_("owner (official)"),
    )
    # The agency for an organisation certificate; the official's unit for a personal one; the
    # province for the CAs.
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="signing_certificates", verbose_name=_("unit")
    )
    key_storage = models.CharField(
        _("key storage"), max_length=10, choices=KeyStorage.choices, default=KeyStorage.NONE
    )
    key_sealed = models.BinaryField(_("encrypted private key"), null=True, blank=True, editable=False)
    pkcs11_token = models.CharField(_("PKCS#11 token label"), max_length=64, blank=True)
    pkcs11_key = models.CharField(_("PKCS#11 key label"), max_length=64, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=30, choices=RevocationReason.choices, blank=True
    )
    expiry_warned_at = models.DateTimeField(_("expiry warning sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial"], name="signingcert_serial_per_issuer"),
            models.CheckConstraint(
                condition=Q(status=CertificateStatus.ACTIVE, revoked_at__isnull=True)
                | Q(status=CertificateStatus.REVOKED, revoked_at__isnull=False),
                name="signingcert_revoked_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(key_storage=KeyStorage.SOFTWARE) | Q(key_sealed__isnull=False),
                name="signingcert_software_key_present",
            ),
            models.CheckConstraint(
                condition=~Q(key_storage=KeyStorage.PKCS11) | ~Q(pkcs11_key=""),
                name="signingcert_pkcs11_label_present",
            ),
        ]
        indexes = [models.Index(fields=["kind", "org_unit", "status"], name="signingcert_kind_unit_idx")]

    def __str__(self):
        return f"{self.subject} ({self.serial})"


class RevocationList(models.Model):
    """A CRL (danh sách chứng thư số bị thu hồi) published by one of the platform's CAs.

    Lifecycle: a new one is published on every revocation and on schedule before `next_update`;
    never edited. Verification reads the newest of each issuer."""

    issuer = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="crls", verbose_name=_("issuer")
    )
    number = models.PositiveIntegerField(_("CRL number"))
    this_update = models.DateTimeField(_("issued at"))
    next_update = models.DateTimeField(_("next update"))
    der = models.BinaryField(_("CRL (DER)"))

    class Meta:
        verbose_name = _("certificate revocation list")
        verbose_name_plural = _("certificate revocation lists")
        ordering = ["issuer", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="signingcrl_number_per_issuer")
        ]

    def __str__(self):
        return f"CRL {self.number} ({self.issuer.subject})"


def job_file_path(instance: "SigningJob", filename: str) -> str:
    return f"signing/{timezone.now():%Y/%m}/{secrets.token_hex(16)}-{filename}"


class SigningJob(models.Model):
    """One request to sign a PDF (yêu cầu ký số), run off the request path by a task.

    `steps` lists the signatures to apply in order (sequential multi-signature: the leader's, then
    the agency's seal), each `{"certificate": id, "appearance": ..., "box": {...} | null}`.

    Lifecycle: PENDING → DONE (the signed file stored in `output`, with its hash) or FAILED (the
    reason in `error`; `input` untouched). The hash of the input is recorded when the job is created,
    the hash of the output when it finishes. `subject_type`/`subject_id` name the record the PDF
    belongs to, loosely, since this app depends on none of the business apps.
    """

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    subject_type = models.CharField(_("subject type"), max_length=100, blank=True)
    subject_id = models.CharField(_("subject identifier"), max_length=64, blank=True)
    steps = models.JSONField(_("signatures to apply"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    input = models.FileField(_("unsigned file"), upload_to=job_file_path, max_length=200)
    sha256_before = models.CharField(_("SHA-256 before signing"), max_length=64)
    output = models.FileField(_("signed file"), upload_to=job_file_path, max_length=200, blank=True)
    sha256_after = models.CharField(_("SHA-256 after signing"), max_length=64, blank=True)
    level = models.CharField(_("PAdES level"), max_length=5, choices=SignatureLevel.choices, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing job")
        verbose_name_plural = _("signing jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="signingjob_subject_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=JobStatus.DONE) | ~Q(sha256_after=""), name="signingjob_done_has_hash"
            )
        ]

    def __str__(self):
        return f"{self.public_id} ({self.status})"


__all__ = ["Appearance", "Certificate", "RevocationList", "SigningJob"]
