from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditChainHead(models.Model):
    """The newest entry of one hash chain (one chain per commune/ward, plus the province chain).

    Locked (SELECT ... FOR UPDATE) by every writer of the chain, so that entries are appended one at
    a time and each links to the true previous entry; it also lets `audit_verify` notice a deleted
    tail. Chains per commune keep communes from queueing behind one another.
    """

    key = models.CharField(max_length=64, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"{self.key}#{self.last_seq}"


class AuditEntry(models.Model):
    """One state change, as it happened (nhật ký thao tác): append-only, hash-chained.

    `hash` = SHA-256 over the entry's canonical JSON including `prev_hash`, so that editing,
    deleting or re-ordering any entry breaks every later link. Never updated or deleted.
    """

    chain = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    org_unit = models.ForeignKey(
        "directory.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_entry_chain_seq_unique")]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_entry_target_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"


class PersonalDataAccess(models.Model):
    """An official opened a record holding someone's personal data (a dossier, its files, its
    printed forms): who, when, what, from where (Law 91/2025/QH15 on personal data protection).

    Append-only, and deliberately not in the hash chains: it is written on every page view, and a
    chain serializes its writers on the head row. Never updated or deleted by the application.
    """

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=200)
    what = models.CharField(max_length=50)  # e.g. "dossier.page", "dossier.file", "api.dossier"
    subject_type = models.CharField(max_length=100)
    subject_id = models.CharField(max_length=64)
    subject_label = models.CharField(max_length=300)  # e.g. the dossier code; never an ID number
    org_unit = models.ForeignKey("directory.OrgUnit", on_delete=models.PROTECT, related_name="+")
    request_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["org_unit", "-at"], name="pdaccess_unit_at_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="pdaccess_subject_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.what} {self.subject_label}"
