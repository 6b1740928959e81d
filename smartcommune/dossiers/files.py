"""Storing dossier files: type checked by content, size limited, safe names, SHA-256 kept."""

import hashlib
import os
import re
import unicodedata

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from smartcommune.core.errors import InvalidInput

MAX_FILE_BYTES = 20 * 1024 * 1024  # a phone photo or a 20-page scan; larger files are split by the officer

# Leading bytes of the formats a one-stop office receives. Office files are checked by their
# container (ZIP for .docx/.xlsx, OLE2 for .doc/.xls); the extension must agree with the content.
_SIGNATURES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/vnd.ms-excel"),
}
_ALIASES = {"jpeg": "jpg"}
DEFAULT_ACCEPTED = ("pdf", "jpg", "png")


def safe_name(name: str) -> str:
    """A file name safe to store and to send back: no path, no control characters, NFC, ≤ 120 chars."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip(" .") or "tep"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    return (stem[:100] + ("." + ext[:10] if ext else "")).strip()


def check_upload(upload, accepted=DEFAULT_ACCEPTED) -> tuple[str, str]:
    """Return (extension, content type) of an acceptable upload; raise InvalidInput otherwise."""
    if upload.size > MAX_FILE_BYTES:
        raise InvalidInput(_("The file is larger than 20 MB."), code="file_too_large")
    if upload.size == 0:
        raise InvalidInput(_("The file is empty."), code="file_empty")
    ext = safe_name(upload.name).rpartition(".")[2].lower()
    ext = _ALIASES.get(ext, ext)
    accepted = {_ALIASES.get(a, a) for a in (accepted or DEFAULT_ACCEPTED)}
    if ext not in accepted or ext not in _SIGNATURES:
        raise InvalidInput(
            _("Files of this type are not accepted here (accepted: %(types)s).")
            % {"types": ", ".join(sorted(accepted))},
            code="file_type",
        )
    magic, content_type = _SIGNATURES[ext]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise InvalidInput(_("The file's content does not match its type."), code="file_content")
    return ext, content_type


def read_with_hash(upload) -> tuple[ContentFile, str]:
    digest = hashlib.sha256()
    upload.seek(0)
    chunks = []
    for chunk in upload.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    return ContentFile(b"".join(chunks)), digest.hexdigest()
