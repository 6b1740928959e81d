from django.http import Http404

from .models import IssuedDocument


def document_verification_detail(*, public_id) -> IssuedDocument:
    """What the public verification page shows: the record and its issuing unit (and the newer
    version, if any). Holds nothing of the applicant: subject fields are not shown."""
    document = (
        IssuedDocument.objects.select_related("org_unit", "superseded_by")
        .only(
            "public_id",
            "kind",
            "number",
            "title",
            "sha256",
            "size",
            "issued_at",
            "signed",
            "file",
            "org_unit__name",
            "superseded_by__public_id",
            "superseded_by__issued_at",
        )
        .filter(public_id=public_id)
        .first()
    )
    if document is None:
        raise Http404
    return document
