"""What a citizen does from the portal: online drafts and submission, the public lookup with its
rate limit, satisfaction ratings and feedback. The rules of reception and processing stay in
`intake` and `processing`; these services only prepare their input and record what is new."""

import hashlib
import hmac
import re
import tempfile
import unicodedata
from datetime import timedelta

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from smartcommune.audit.services import audit_record
from smartcommune.core.errors import Conflict, DomainError, InvalidInput
from smartcommune.core.text import fold, normalize
from smartcommune.directory.models import Citizen, SignUpRequest
from smartcommune.directory.services import citizen_register
from smartcommune.notifications.services import Recipient, notify

from ..choices import Channel, DossierStatus
from ..errors import ActionNotAllowed
from ..files import MAX_FILE_BYTES, check_upload, read_with_hash, safe_name
from ..models import (
    ConsentMethod,
    Dossier,
    DraftFile,
    Feedback,
    LookupAttempt,
    OnBehalf,
    OnlineDraft,
    Rating,
    UploadChunk,
    UploadSession,
)
from .intake import ComponentIn, dossier_receive

# Public lookup: at most this many tries per visitor per window, and this many failed tries on
# one dossier code per hour, whoever makes them (DESIGN.md invariant 2: lookup is rate-limited).
LOOKUP_WINDOW = timedelta(minutes=15)
LOOKUP_MAX_PER_CLIENT = 10
LOOKUP_CODE_WINDOW = timedelta(hours=1)
LOOKUP_MAX_FAILED_PER_CODE = 5
MAX_FILES_PER_COMPONENT = 5
MAX_TEXT = 4000
RATED_STATUSES = frozenset({DossierStatus.PROCESSED, DossierStatus.RETURNED})


class LookupThrottled(DomainError):
    code = "lookup_throttled"
    status = 429
    default_detail = _("Too many lookups. Please wait 15 minutes and try again.")


class AlreadyRated(Conflict):
    code = "already_rated"
    default_detail = _("This dossier has been rated already.")


class DraftSubmitted(Conflict):
    code = "draft_submitted"
    default_detail = _("This draft has been submitted already.")


def client_key(address: str) -> str:
    """The key a visitor is counted under: a hash of the address, so no raw IP is stored."""
    return hashlib.sha256(f"lookup:{address}".encode()).hexdigest()


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def _phone_key(value: str) -> str:
    digits = _digits(value)
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def _factor_matches(dossier: Dossier, factor: str) -> bool:
    """The phone number on the dossier, or the last four digits of the identification number."""
    given = _digits(factor)
    if len(given) == 4:
        expected = _digits(dossier.applicant_id_number)[-4:]
        return len(expected) == 4 and hmac.compare_digest(given, expected)
    expected = _phone_key(dossier.applicant_phone)
    return len(expected) >= 9 and hmac.compare_digest(_phone_key(factor), expected)


@transaction.atomic
def dossier_public_lookup(*, code: str, factor: str, client: str, now=None) -> Dossier | None:
    """The dossier with this code if the second factor matches, else None — the same None for an
    unknown code and a wrong factor. Every try is counted; raises LookupThrottled (nothing looked
    up) when the visitor or the code has had too many tries."""
    now = now or timezone.now()
    code = normalize(code).upper()[:40]
    recent = LookupAttempt.objects.filter(client_key=client, at__gte=now - LOOKUP_WINDOW).count()
    failed_on_code = LookupAttempt.objects.filter(
        code=code, succeeded=False, at__gte=now - LOOKUP_CODE_WINDOW
    ).count()
    if recent >= LOOKUP_MAX_PER_CLIENT or failed_on_code >= LOOKUP_MAX_FAILED_PER_CODE:
        raise LookupThrottled()
    dossier = Dossier.objects.select_related("procedure", "org_unit").filter(code=code).first()
    found = dossier is not None and _factor_matches(dossier, factor)
    LookupAttempt.objects.create(client_key=client, code=code, succeeded=found, at=now)
    return dossier if found else None


LOOKUP_KEEP = timedelta(days=1)
UPLOAD_KEEP = timedelta(days=7)


@transaction.atomic
def portal_housekeeping(*, now=None) -> dict:
    """Forget lookup attempts older than a day (they only serve the rate limit), sign-up requests
    a day after they expired (they hold a password hash), and upload sessions left unfinished for a
    week (with their pieces' files, deleted after commit)."""
    now = now or timezone.now()
    attempts, _ = LookupAttempt.objects.filter(at__lt=now - LOOKUP_KEEP).delete()
    signups, _ = SignUpRequest.objects.filter(expires_at__lt=now - LOOKUP_KEEP).delete()
    stale = UploadSession.objects.filter(completed_at__isnull=True, created_at__lt=now - UPLOAD_KEEP)
    names = list(UploadChunk.objects.filter(session__in=stale).values_list("file", flat=True))
    sessions = stale.count()
    UploadChunk.objects.filter(session__in=stale).delete()
    stale.delete()
    if names:
        storage = UploadChunk._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return {"lookup_attempts": attempts, "signup_requests": signups, "upload_sessions": sessions}


# --- online drafts and submission ----------------------------------------------------------------


def _require_citizen(actor):
    citizen = getattr(actor, "citizen", None) if getattr(actor, "is_citizen", False) else None
    if citizen is None:
        raise InvalidInput(_("Only a citizen's account can submit online."), code="not_a_citizen")
    return citizen


@transaction.atomic
def draft_start(*, actor, procedure, org_unit=None) -> OnlineDraft:
    """Open a draft of an online dossier for the signed-in citizen."""
    _require_citizen(actor)
    if not procedure.is_active or procedure.online_level == "none":
        raise InvalidInput(_("This procedure cannot be submitted online."), code="not_online")
    draft = OnlineDraft.objects.create(owner=actor, procedure=procedure, org_unit=org_unit)
    audit_record(actor=actor, action="onlinedraft.created", target=draft, data={"procedure": procedure.code})
    return draft


@transaction.atomic
def draft_start_on_behalf(
    *,
    actor,
    procedure,
    org_unit,
    personal_id: str,
    full_name: str,
    date_of_birth,
    phone: str = "",
    relation: str,
    consent_method: str,
) -> OnlineDraft:
    """Open a draft that `actor` (a relative or a community team member) fills for someone else,
    with the applicant's consent recorded (how and when). The applicant is found by personal
    number, and the name given must be theirs; an unknown person is recorded as a citizen.
    Raises InvalidInput, ValidationError (personal number, birth date)."""
    if not procedure.is_active or procedure.online_level == "none":
        raise InvalidInput(_("This procedure cannot be submitted online."), code="not_online")
    if relation not in OnBehalf.values or consent_method not in ConsentMethod.values:
        raise InvalidInput(code="consent")
    personal_id = (personal_id or "").strip()
    applicant = Citizen.objects.filter(personal_id=personal_id).first()
    if applicant is None:
        applicant = citizen_register(
            actor=actor,
            personal_id=personal_id,
            full_name=full_name,
            date_of_birth=date_of_birth,
            phone=phone,
        )
    elif fold(applicant.full_name) != fold(full_name):
        raise InvalidInput(
            _("The name does not match the personal identification number."), code="applicant_mismatch"
        )
    if getattr(actor, "citizen", None) is not None and actor.citizen.pk == applicant.pk:
        raise InvalidInput(_("This is your own number: send the dossier for yourself."), code="self")
    draft = OnlineDraft.objects.create(
        owner=actor,
        procedure=procedure,
        org_unit=org_unit,
        applicant=applicant,
        relation=relation,
        consent_method=consent_method,
        consent_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="onlinedraft.created_on_behalf",
        target=draft,
        org_unit=org_unit,
        data={
            "procedure": procedure.code,
            "applicant": applicant.masked_personal_id,
            "relation": relation,
            "consent": consent_method,
        },
    )
    return draft


@transaction.atomic
def draft_save(
    *,
    actor,
    draft: OnlineDraft,
    org_unit=None,
    note: str = "",
    uploads: dict | None = None,
    reuse: dict | None = None,
    remove=(),
) -> OnlineDraft:
    """Keep what the citizen gave so far: the office, a note, and files per component (checked by
    content and size, hashed). `uploads` maps a catalog component to a list of uploaded files;
    `reuse` maps a component to files of the citizen's earlier dossiers (their repository; the
    caller has checked they are the citizen's); `remove` lists DraftFile ids to drop.
    Raises DraftSubmitted, InvalidInput (a file)."""
    draft = OnlineDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.dossier_id:
        raise DraftSubmitted()
    if len(note) > MAX_TEXT:
        raise InvalidInput(_("The note is too long (at most 4000 characters)."), code="too_long")
    draft.org_unit = org_unit or draft.org_unit
    draft.note = note.strip()
    draft.save(update_fields=["org_unit", "note", "updated_at"])
    if remove:
        DraftFile.objects.filter(draft=draft, pk__in=list(remove)).delete()
    for component, earlier in (reuse or {}).items():
        if component.procedure_id != draft.procedure_id:
            raise InvalidInput(code="component")
        for stored in earlier:
            _reuse_file(draft, component, stored)
    for component, files in (uploads or {}).items():
        if component.procedure_id != draft.procedure_id:
            raise InvalidInput(code="component")
        have = DraftFile.objects.filter(draft=draft, component=component).count()
        if have + len(files) > MAX_FILES_PER_COMPONENT:
            raise InvalidInput(
                _("At most %(n)d files per component.") % {"n": MAX_FILES_PER_COMPONENT},
                code="too_many_files",
            )
        for upload in files:
            _store_draft_file(draft, component, upload)
    audit_record(actor=actor, action="onlinedraft.saved", target=draft, data={"files": draft.files.count()})
    return draft


def _store_draft_file(draft: OnlineDraft, component, upload) -> DraftFile:
    _ext, content_type = check_upload(upload, component.accepted_types or None)
    content, sha256 = read_with_hash(upload)
    stored = DraftFile(
        draft=draft,
        component=component,
        original_name=safe_name(upload.name),
        content_type=content_type,
        size=upload.size,
        sha256=sha256,
    )
    stored.file.save(stored.original_name, content, save=False)
    stored.save()
    return stored


def _reuse_file(draft: OnlineDraft, component, earlier) -> DraftFile:
    """A copy of an earlier dossier's file: checked against the component's types like an upload,
    and its hash checked against the one stored with it (a changed file is refused)."""
    with earlier.file.open("rb") as fh:
        upload = File(fh, name=earlier.original_name)
        stored = _store_draft_file(draft, component, upload)
    if stored.sha256 != earlier.sha256:
        raise InvalidInput(_("The stored file has changed since it was received."), code="file_integrity")
    stored.reused_from = earlier
    stored.save(update_fields=["reused_from"])
    return stored


# --- uploads in pieces (resumable) ---------------------------------------------------------------

CHUNK_BYTES = 1024 * 1024  # under DATA_UPLOAD_MAX_MEMORY_SIZE: one piece is one small request


class UploadOffsetMismatch(Conflict):
    """The piece does not start where the upload stands: the client resumes from `received`."""

    code = "upload_offset"
    default_detail = _("This piece does not continue the upload. Go on from the number of bytes received.")


@transaction.atomic
def upload_start(*, actor, draft: OnlineDraft, component, name: str, size: int) -> UploadSession:
    """Open an upload of `size` bytes for one component of the citizen's draft."""
    if draft.dossier_id:
        raise DraftSubmitted()
    if component.procedure_id != draft.procedure_id:
        raise InvalidInput(code="component")
    if size <= 0:
        raise InvalidInput(_("The file is empty."), code="file_empty")
    if size > MAX_FILE_BYTES:
        raise InvalidInput(_("The file is larger than 20 MB."), code="file_too_large")
    return UploadSession.objects.create(
        owner=actor, draft=draft, component=component, name=safe_name(name), size=size
    )


@transaction.atomic
def upload_append(*, session: UploadSession, offset: int, data: bytes) -> UploadSession:
    """Add the piece that starts at `offset`. A piece that was already stored (a retry after the
    answer was lost) is accepted again without change. Raises UploadOffsetMismatch, InvalidInput."""
    session = UploadSession.objects.select_for_update().get(pk=session.pk)
    if session.completed_at is not None:
        raise InvalidInput(_("This upload is finished."), code="upload_finished")
    if not data or len(data) > CHUNK_BYTES:
        raise InvalidInput(_("A piece must hold 1 byte to 1 MB."), code="chunk_size")
    stored = UploadChunk.objects.filter(session=session, offset=offset).first()
    if stored is not None and stored.size == len(data):
        return session  # a repeated piece
    if offset != session.received:
        raise UploadOffsetMismatch()
    if session.received + len(data) > session.size:
        raise InvalidInput(_("The upload is larger than announced."), code="upload_too_large")
    chunk = UploadChunk(session=session, offset=offset, size=len(data))
    chunk.file.save(f"{session.public_id}-{offset}.part", ContentFile(data), save=False)
    chunk.save()
    session.received += len(data)
    session.save(update_fields=["received"])
    return session


@transaction.atomic
def upload_finish(*, session: UploadSession) -> DraftFile:
    """Join the pieces into a draft file, checked by content and size and hashed like any upload."""
    session = (
        UploadSession.objects.select_for_update(of=("self",))
        .select_related("draft", "component")
        .get(pk=session.pk)
    )
    if session.completed_at is not None or session.draft.dossier_id:
        raise DraftSubmitted()
    if session.received != session.size:
        raise InvalidInput(_("Some pieces are still missing."), code="upload_incomplete")
    with tempfile.SpooledTemporaryFile(max_size=4 * CHUNK_BYTES) as joined:
        for chunk in session.chunks.order_by("offset"):
            with chunk.file.open("rb") as piece:
                joined.write(piece.read())
        joined.seek(0)
        stored = _store_draft_file(session.draft, session.component, File(joined, name=session.name))
    for chunk in session.chunks.all():
        chunk.file.delete(save=False)
    session.chunks.all().delete()
    session.completed_at = timezone.now()
    session.save(update_fields=["completed_at"])
    return stored


@transaction.atomic
def draft_submit(*, actor, draft: OnlineDraft, submitted_by_name: str = "") -> Dossier:
    """Submit the draft: the dossier is received online with every file, in one transaction.

    The draft's id is the client token: a second submit of the same draft (a double tap, a retry
    after a dropped connection) returns the first dossier. Raises DossierIncomplete (a mandatory
    component has no file), InvalidInput, NoProcess, NoAssignee.
    """
    draft = (
        OnlineDraft.objects.select_for_update(of=("self",))
        .select_related("procedure", "org_unit", "applicant")
        .get(pk=draft.pk)
    )
    if draft.dossier_id:
        return draft.dossier
    citizen = draft.applicant or _require_citizen(actor)
    if draft.applicant is not None:
        helper = actor.get_full_name() or actor.username
        with translation.override("vi"):  # the record is kept in Vietnamese
            submitted_by_name = f"{helper} ({OnBehalf(draft.relation).label})"
    if draft.org_unit is None:
        raise InvalidInput(_("Choose the commune or ward that will handle the dossier."), code="no_unit")
    stored = list(draft.files.select_related("component").order_by("pk"))
    components = []
    for component in draft.procedure.components.all():
        files = [
            File(f.file.open("rb"), name=f.original_name) for f in stored if f.component_id == component.pk
        ]
        components.append(ComponentIn(component=component, copies=1 if files else 0, files=files))
    try:
        dossier = dossier_receive(
            actor=actor,
            org_unit=draft.org_unit,
            procedure=draft.procedure,
            citizen=citizen,
            components=components,
            channel=Channel.ONLINE,
            submitted_by_name=submitted_by_name,
            client_token=draft.client_token,
        )
    finally:
        for given in components:
            for f in given.files:
                f.close()
    draft.dossier = dossier
    draft.save(update_fields=["dossier", "updated_at"])
    if draft.applicant is not None:
        # Personal-data law: whose data was sent, by whom, and on what consent.
        audit_record(
            actor=actor,
            action="dossier.submitted_on_behalf",
            target=dossier,
            org_unit=dossier.org_unit,
            data={
                "code": dossier.code,
                "relation": draft.relation,
                "consent": draft.consent_method,
                "consent_at": draft.consent_at.isoformat(),
            },
        )
    return dossier


# --- satisfaction and feedback -------------------------------------------------------------------


@transaction.atomic
def dossier_rate(*, dossier: Dossier, actor, satisfied: bool, reason: str = "") -> Rating:
    """Record the applicant's satisfaction once the result is out; a dissatisfied rating needs a
    reason. Raises ActionNotAllowed (no result yet), AlreadyRated, InvalidInput."""
    dossier = Dossier.objects.select_for_update().select_related("org_unit").get(pk=dossier.pk)
    if dossier.status not in RATED_STATUSES:
        raise ActionNotAllowed()
    reason = reason.strip()
    if not satisfied and not reason:
        raise InvalidInput(_("Tell us why you are not satisfied."), code="reason_required")
    if len(reason) > MAX_TEXT:
        raise InvalidInput(_("The text is too long (at most 4000 characters)."), code="too_long")
    if Rating.objects.filter(dossier=dossier).exists():
        raise AlreadyRated()
    rating = Rating.objects.create(
        dossier=dossier, satisfied=satisfied, reason=reason, rated_by=actor, rated_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="dossier.rated",
        target=dossier,
        org_unit=dossier.org_unit,
        data={"satisfied": satisfied},
    )
    return rating


@transaction.atomic
def dossier_feedback_send(*, dossier: Dossier, actor, kind: str, text: str, leaders=()) -> Feedback:
    """Send feedback or a complaint about the dossier; the commune's leaders (`leaders`, chosen by
    the caller's selector) are told in the app and by e-mail after commit."""
    text = unicodedata.normalize("NFC", text or "").strip()  # keeps the citizen's line breaks
    if kind not in Feedback.Kind.values:
        raise InvalidInput(_("Choose feedback or complaint."), code="kind")
    if not text:
        raise InvalidInput(_("Write what happened."), code="text_required")
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("The text is too long (at most 4000 characters)."), code="too_long")
    feedback = Feedback.objects.create(
        dossier=dossier, kind=kind, text=text, sent_by=actor, sent_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="dossier.feedback_sent",
        target=dossier,
        org_unit=dossier.org_unit,
        data={"kind": kind},
    )
    recipients = [Recipient.of_user(user) for user in leaders]
    if recipients:
        notify(
            event="dossier.feedback",
            recipients=recipients,
            context={
                "code": dossier.code,
                "procedure": dossier.procedure.name,
                "office": dossier.org_unit.name,
                "kind": feedback.get_kind_display(),
                "text": text,
            },
            related=dossier,
            org_unit=dossier.org_unit,
            channels=("in_app", "email"),
        )
    return feedback
