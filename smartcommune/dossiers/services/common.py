"""Pieces every dossier service uses: locking with the version check, events, files."""

from smartcommune.audit.services import audit_record
from smartcommune.core import clock

from .. import workflow
from ..errors import ActionNotAllowed, DossierConflict
from ..files import check_upload, read_with_hash, safe_name
from ..models import Dossier, DossierEvent, DossierFile


def lock_for(dossier: Dossier, *, version: int | None, action: workflow.Action) -> Dossier:
    """The dossier locked for this transaction, after the optimistic version and status checks."""
    locked = Dossier.objects.select_for_update().select_related("procedure", "org_unit").get(pk=dossier.pk)
    if version is not None and locked.version != version:
        raise DossierConflict()
    if not workflow.allowed(locked.status, action):
        raise ActionNotAllowed()
    return locked


def record(
    dossier: Dossier,
    *,
    actor,
    kind: str,
    action: str,
    from_status=None,
    note: str = "",
    data: dict | None = None,
    step=None,
    fields: tuple[str, ...] = (),
) -> DossierEvent:
    """Save the dossier's changed fields with a new version, and write its event and audit entry."""
    dossier.version += 1
    dossier.save(update_fields=[*fields, "version", "updated_at"])
    event = DossierEvent.objects.create(
        dossier=dossier,
        kind=kind,
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=dossier.status,
        step=step,
        note=note,
        data=data or {},
    )
    audit_record(
        actor=actor,
        action=f"dossier.{action}",
        target=dossier,
        org_unit=dossier.org_unit,
        data={"code": dossier.code, "status": dossier.status, **(data or {})},
    )
    return event


def store_file(*, dossier: Dossier, upload, kind: str, actor, component=None, accepted=None) -> DossierFile:
    stored = stored_file(
        dossier=dossier, upload=upload, kind=kind, actor=actor, component=component, accepted=accepted
    )
    stored.save()
    return stored


def stored_file(*, dossier: Dossier, upload, kind: str, actor, component=None, accepted=None) -> DossierFile:
    """The row of an acceptable upload, its content already in storage; the caller inserts it
    (several at once with bulk_create). Raises InvalidInput for a file of the wrong type or size."""
    _ext, content_type = check_upload(upload, accepted)
    content, sha256 = read_with_hash(upload)
    name = safe_name(upload.name)
    stored = DossierFile(
        dossier=dossier,
        component=component,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    stored.file.save(name, content, save=False)
    return stored
