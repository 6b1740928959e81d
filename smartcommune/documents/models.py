import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcommune.directory.models import OrgUnit

from .choices import DocumentKind


def issued_document_path(instance: "IssuedDocument", filename: str) -> str:
    """`documents/YYYY/MM/<kind>-<random>.pdf`.

    The name is random, not the public id: the public id is printed in every QR code, and knowing it
    must not tell anyone where the file lies in storage.
    """
    issued = timezone.localtime(instance.issued_at or timezone.now())
    return f"documents/{issued:%Y/%m}/{instance.kind}-{secrets.token_hex(16)}.pdf"


class IssuedDocumentQuerySet(models.QuerySet):
    def for_subject(self, subject_type: str, subject_id) -> "IssuedDocumentQuerySet":
        return self.filter(subject_type=subject_type, subject_id=str(subject_id))

    def current(self) -> "IssuedDocumentQuerySet":
        """Documents not replaced by a newer version."""
        return self.filter(superseded_by__isnull=True)


class IssuedDocument(models.Model):
    """A PDF the platform issued on behalf of an org unit (văn bản, giấy tờ đã phát hành): a receipt
    and appointment slip, a supplement request, a refusal, an apology, a control slip, a ledger
    extract, a result or an outgoing document.

    Lifecycle: created once by `documents.services.document_issue`, with its file stored and hashed in
    the same transaction; never edited afterwards. A correction is a new document, and the old one
    points at it through `superseded_by`. Signing (a later step) produces the stored file itself, so
    `sha256` always covers exactly the bytes that were handed out.

    Invariants: `sha256` and `size` describe `file`; `public_id` is what the QR code on the paper
    names and what the public verification page looks up; the file is private (served only by the
    permission-checked `documents:file` view, never by a storage URL).
    """

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    number = models.CharField(
        _("number and symbol"), max_length=60, blank=True, help_text=_('For example "15/TTPVHCC".')
    )
    title = models.CharField(_("title"), max_length=300)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="issued_documents", verbose_name=_("issuing unit")
    )
    # The record the document is about, named loosely ("dossiers.dossier", "123") so that this app
    # depends on none of the apps that issue documents.
    subject_type = models.CharField(_("subject type"), max_length=100, blank=True)
    subject_id = models.CharField(_("subject identifier"), max_length=64, blank=True)
    file = models.FileField(_("file"), upload_to=issued_document_path, max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    signed = models.BooleanField(_("digitally signed"), default=False)
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        verbose_name=_("replaced by"),
    )

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="issueddoc_subject_idx"),
            models.Index(fields=["org_unit", "kind", "issued_at"], name="issueddoc_unit_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="issueddoc_sha256_hex"),
            models.CheckConstraint(
                condition=~Q(superseded_by=F("pk")), name="issueddoc_not_superseded_by_itself"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.number})" if self.number else self.title
