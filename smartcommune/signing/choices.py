from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    """What a certificate in the registry is for."""

    ROOT_CA = "root_ca", _("Root certification authority")
    ISSUING_CA = "issuing_ca", _("Issuing certification authority")
    OFFICIAL = "official", _("Official's signing certificate")
    AGENCY = "agency", _("Agency (organisation) certificate")
    TSA = "tsa", _("Timestamping authority")


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class KeyStorage(models.TextChoices):
    """Where the private key lives."""

    NONE = "none", _("No key on this platform")
    SOFTWARE = "software", _("Encrypted in the database")
    PKCS11 = "pkcs11", _("On a PKCS#11 token or HSM")


class RevocationReason(models.TextChoices):
    """RFC 5280 §5.3.1 reasons an official can give."""

    UNSPECIFIED = "unspecified", _("Unspecified")
    KEY_COMPROMISE = "key_compromise", _("Key compromised")
    AFFILIATION_CHANGED = "affiliation_changed", _("Left the post or the agency")
    SUPERSEDED = "superseded", _("Replaced by a new certificate")
    CESSATION = "cessation_of_operation", _("No longer needed")


class SignatureLevel(models.TextChoices):
    """PAdES baseline level reached (ETSI EN 319 142-1)."""

    B_B = "B-B", _("PAdES B-B (no timestamp)")
    B_T = "B-T", _("PAdES B-T (with a trusted timestamp)")


class Appearance(models.TextChoices):
    """How a signature shows on the page (Decree 30/2020, Appendix I)."""

    SIGNER = "signer", _("Signer's signature block")
    SEAL = "seal", _("Agency seal over the signer's signature")
    ATTACHMENT = "attachment", _("Agency signature on an attachment (top right, text only)")
    INVISIBLE = "invisible", _("Not shown on the page")


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Signed")
    FAILED = "failed", _("Failed")
