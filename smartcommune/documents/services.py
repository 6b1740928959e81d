"""Issuing documents: render, post-process (sign), store with a hash, record — in one transaction."""

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from smartcommune.audit.services import audit_record
from smartcommune.directory.choices import COMMUNE_LEVEL_KINDS, OrgUnitKind
from smartcommune.directory.models import OrgUnit

from .choices import DocumentKind
from .errors import DocumentAlreadySuperseded
from .models import IssuedDocument
from .rendering import Anchor, render_document

# Administrative prefixes dropped from a unit's name for the place line ("Mường Đun, ngày …").
_PLACE_PREFIXES = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "Tỉnh ", "Thành phố ")


@dataclass
class IssueDraft:
    """What a postprocessor gets: the document about to be stored (not yet saved; it may set
    `document.signed`) and where the rendered elements with an id landed (e.g. `sig-receiver`)."""

    document: IssuedDocument
    anchors: dict[str, Anchor]


class Postprocessor(Protocol):
    """Turns the rendered PDF into the PDF that is handed out, e.g. a PAdES signer. Runs before the
    file is hashed and stored, so the stored SHA-256 covers the final bytes."""

    def __call__(self, pdf: bytes, *, draft: IssueDraft) -> bytes: ...


def verify_url(public_id) -> str:
    """The absolute address of the public verification page the QR code points at."""
    base = settings.SMARTCOMMUNE["PUBLIC_BASE_URL"].rstrip("/")
    return base + reverse("documents:verify", kwargs={"public_id": public_id})


def place_name(unit_name: str) -> str:
    """ "Xã Mường Đun" -> "Mường Đun", for the place-and-date line."""
    for prefix in _PLACE_PREFIXES:
        if unit_name.startswith(prefix):
            return unit_name[len(prefix) :]
    return unit_name


def _authority(org_unit: OrgUnit) -> OrgUnit:
    """The commune, ward or province whose People's Committee the issuing unit belongs to."""
    if org_unit.kind in COMMUNE_LEVEL_KINDS or org_unit.kind == OrgUnitKind.PROVINCE:
        return org_unit
    for ancestor in reversed(OrgUnit.objects.get_ancestors(org_unit)):
        if ancestor.kind in COMMUNE_LEVEL_KINDS or ancestor.kind == OrgUnitKind.PROVINCE:
            return ancestor
    return org_unit


def document_issue(
    *,
    actor,
    kind: str,
    template_name: str,
    context: dict,
    org_unit: OrgUnit,
    title: str,
    number: str = "",
    subject=None,
    supersedes: IssuedDocument | None = None,
    postprocessors: Sequence[Postprocessor] = (),
) -> IssuedDocument:
    """Render `template_name` with `context` to PDF and issue it on behalf of `org_unit`.

    The caller has authorized `actor`. The context is plain data (strings, numbers, dates, lists of
    dicts); the service adds `verify_url`, `qr_svg`, `public_id`, `document_number`, `document_title`,
    `issued_at`, and defaults for `commune` and `place` taken from `org_unit`. `postprocessors` (e.g.
    a signer) transform the PDF before it is hashed and stored. `subject` is the model instance the
    document is about. `supersedes` names an earlier version this one replaces (raises
    DocumentAlreadySuperseded if it was replaced already).

    Stores the file through Django's default storage with its SHA-256 and writes the audit entry
    "issueddocument.created" (and "issueddocument.superseded"), all in one transaction. Rendering
    happens before the transaction opens when the caller has none, so no lock waits on it.
    """
    if kind not in DocumentKind.values:
        raise ValueError(f"unknown document kind {kind!r}: add it to DocumentKind")
    issued_at = timezone.now()
    document = IssuedDocument(
        public_id=uuid.uuid4(),
        kind=kind,
        number=number,
        title=title,
        org_unit=org_unit,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        issued_at=issued_at,
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    authority = _authority(org_unit)
    full_context = {
        "commune": authority.name,
        "place": place_name(authority.name),
        **context,
        "verify_url": verify_url(document.public_id),
        "qr_svg": None,  # drawn by the renderer from verify_url
        "public_id": str(document.public_id),
        "document_number": number,
        "document_title": title,
        "issued_at": issued_at,
    }
    rendered = render_document(template_name, full_context)
    pdf = rendered.data
    draft = IssueDraft(document=document, anchors=rendered.anchors)
    for postprocess in postprocessors:
        pdf = postprocess(pdf, draft=draft)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.size = len(pdf)

    with transaction.atomic():
        if supersedes is not None:
            supersedes = IssuedDocument.objects.select_for_update().get(pk=supersedes.pk)
            if supersedes.superseded_by_id is not None:
                raise DocumentAlreadySuperseded
        document.file.save("document.pdf", ContentFile(pdf), save=False)
        try:
            document.save(force_insert=True)
            audit_record(
                actor=actor,
                action="issueddocument.created",
                target=document,
                org_unit=org_unit,
                data={
                    "public_id": str(document.public_id),
                    "kind": kind,
                    "number": number,
                    "sha256": document.sha256,
                    "size": document.size,
                    "signed": document.signed,
                    "subject_type": document.subject_type,
                    "subject_id": document.subject_id,
                },
            )
            if supersedes is not None:
                supersedes.superseded_by = document
                supersedes.save(update_fields=["superseded_by"])
                audit_record(
                    actor=actor,
                    action="issueddocument.superseded",
                    target=supersedes,
                    org_unit=supersedes.org_unit,
                    data={"by": str(document.public_id)},
                )
        except BaseException:
            # The row did not commit here: do not leave its file behind. (If an outer transaction
            # rolls back later, the file stays as an orphan without a row; it is never served.)
            document.file.delete(save=False)
            raise
    return document


@transaction.atomic
def document_download_record(*, actor, document: IssuedDocument) -> None:
    """Record that `actor` opened the stored file: issued documents carry applicants' personal data
    (Law 91/2025/QH15), so every read by an official is on the audit trail, as for citizen records.
    The caller has authorized the read."""
    audit_record(actor=actor, action="issueddocument.downloaded", target=document, org_unit=document.org_unit)
