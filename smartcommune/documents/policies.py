"""Who may read issued documents. The public verification page reads only what is printed anyway
(`verification_detail` in selectors); the file itself goes to officials who receive or process
dossiers in the issuing unit's scope."""

from django.http import Http404

from smartcommune.directory import permissions as perms
from smartcommune.directory.policies import has_perm

from .models import IssuedDocument

FILE_PERMISSIONS = (perms.DOSSIER_RECEIVE, perms.DOSSIER_PROCESS)


def can_read_document_file(user, document: IssuedDocument) -> bool:
    return any(has_perm(user, perm, document.org_unit) for perm in FILE_PERMISSIONS)


def access_document_file(*, user, public_id) -> IssuedDocument:
    """The document whose file `user` may download; Http404 when unknown or out of scope alike."""
    document = IssuedDocument.objects.select_related("org_unit").filter(public_id=public_id).first()
    if document is None or not can_read_document_file(user, document):
        raise Http404
    return document
