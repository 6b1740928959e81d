"""Portal API: uploads in pieces into a citizen's draft, for phones on a weak link.

    POST /api/v1/portal/drafts/{draft}/uploads   {"component", "name", "size"}  -> 201 upload
    GET  /api/v1/portal/uploads/{id}             how many bytes arrived (resume from there)
    PUT  /api/v1/portal/uploads/{id}?offset=N    the piece's bytes (1 MB at most) -> upload
    POST /api/v1/portal/uploads/{id}/finish      -> 201 the stored draft file

A piece sent again after a lost answer is accepted without change; a piece that does not start
where the upload stands answers 409 (`upload_offset`): ask how far it got and go on from there.
Only the citizen who owns the draft sees its uploads (404 otherwise).
"""

from uuid import UUID

from django.http import Http404
from ninja import Field, Router, Schema, Status

from smartcommune.core.api import ErrorOut
from smartcommune.directory.auth import session_or_token
from smartcommune.dossiers.models import UploadSession
from smartcommune.dossiers.services import online

from . import selectors
from .policies import can_submit_for_others

router = Router(tags=["portal"], auth=session_or_token)
_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class UploadIn(Schema):
    component: int
    name: str = Field(..., max_length=255)
    size: int = Field(..., ge=1)


class UploadOut(Schema):
    id: UUID
    name: str
    size: int
    received: int
    chunk_size: int
    complete: bool


class DraftFileOut(Schema):
    id: int
    name: str
    size: int
    sha256: str
    content_type: str


def _out(session: UploadSession) -> dict:
    return {
        "id": session.public_id,
        "name": session.name,
        "size": session.size,
        "received": session.received,
        "chunk_size": online.CHUNK_BYTES,
        "complete": session.completed_at is not None,
    }


def _citizen(request):
    """Citizens, and community team members filling a draft for someone (their own drafts only)."""
    user = request.auth
    if not can_submit_for_others(user):
        raise Http404
    return user


def _session(request, upload_id: UUID) -> UploadSession:
    session = UploadSession.objects.filter(public_id=upload_id, owner=_citizen(request)).first()
    if session is None:
        raise Http404
    return session


@router.post(
    "/drafts/{draft_id}/uploads", response={201: UploadOut, **_ERRORS}, url_name="portal_upload_start"
)
def upload_start(request, draft_id: UUID, payload: UploadIn):
    draft = selectors.my_draft(user=_citizen(request), public_id=draft_id)
    component = next((c for c in draft.procedure.components.all() if c.pk == payload.component), None)
    if component is None:
        raise Http404
    session = online.upload_start(
        actor=request.auth, draft=draft, component=component, name=payload.name, size=payload.size
    )
    return Status(201, _out(session))


@router.get("/uploads/{upload_id}", response={200: UploadOut, **_ERRORS}, url_name="portal_upload_get")
def upload_get(request, upload_id: UUID):
    return _out(_session(request, upload_id))


@router.put("/uploads/{upload_id}", response={200: UploadOut, **_ERRORS}, url_name="portal_upload_chunk")
def upload_chunk(request, upload_id: UUID, offset: int):
    session = _session(request, upload_id)
    return _out(online.upload_append(session=session, offset=offset, data=request.body))


@router.post(
    "/uploads/{upload_id}/finish", response={201: DraftFileOut, **_ERRORS}, url_name="portal_upload_finish"
)
def upload_finish(request, upload_id: UUID):
    stored = online.upload_finish(session=_session(request, upload_id))
    return Status(
        201,
        {
            "id": stored.pk,
            "name": stored.original_name,
            "size": stored.size,
            "sha256": stored.sha256,
            "content_type": stored.content_type,
        },
    )
