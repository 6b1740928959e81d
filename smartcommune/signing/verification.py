"""Checking the signatures of a PDF: one verdict for the file, the facts of each signature.

Pure: bytes and trust material in, a report out. Beyond pyHanko's own bottom line (STACK_NOTES):
the last signature must cover the entire file (bytes appended after it pass pyHanko's checks), and
revocation is read from the platform's CRLs at the time of signing — the timestamp's time when there
is a trusted one; without a timestamp a revoked certificate fails, since the claimed signing time is
only the signer's word.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from smartcommune.core.errors import InvalidInput

_SIGNATURE_MARK = re.compile(
    rb"/ByteRange|/(?:Type|FT)\s*/Sig\b|/SubFilter\s*/(?:ETSI|adbe)|/Contents\s*<[0-9a-fA-F]{64}"
)
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


class MalformedPdf(InvalidInput):
    code = "malformed_pdf"
    default_detail = _("This file is not a readable PDF.")


class Verdict:
    """The file's verdict, worst first (the first that applies is given)."""

    TRUNCATED = "truncated"
    MODIFIED = "modified"
    APPENDED = "appended"
    REVOKED = "revoked"
    CERT_INVALID = "certificate_invalid"
    EXPIRED = "expired"
    UNTRUSTED = "untrusted"
    UNSIGNED = "unsigned"
    VALID = "valid"


VERDICT_TEXT = {
    Verdict.VALID: _("Valid: every signature is intact, trusted, and covers the whole file."),
    Verdict.UNSIGNED: _("This PDF carries no digital signature."),
    Verdict.TRUNCATED: _("The file is incomplete: it was cut off after it was signed."),
    Verdict.MODIFIED: _("The document was changed after it was signed: the signature no longer matches."),
    Verdict.APPENDED: _(
        "Content was added to the file after the last signature: the signed part is intact, "
        "but what was added is not signed."
    ),
    Verdict.REVOKED: _("A signer's certificate had been revoked when the document was signed."),
    Verdict.CERT_INVALID: _("A signer's certificate was not valid at the time of signing."),
    Verdict.EXPIRED: _(
        "A signer's certificate has expired, and the signature carries no trusted timestamp "
        "proving it was made while the certificate was valid."
    ),
    Verdict.UNTRUSTED: _("A signature was made with a certificate this platform does not trust."),
}


@dataclass(frozen=True)
class TrustMaterial:
    """What verification trusts: root certificates, other CA certificates, and each CA's latest
    CRL as `{(issuer DER name, serial): revocation time}`."""

    roots: tuple[asn1_x509.Certificate, ...]
    intermediates: tuple[asn1_x509.Certificate, ...] = ()
    revoked: dict[tuple[bytes, int], dt.datetime] = field(default_factory=dict)

    @classmethod
    def build(cls, *, roots, intermediates=(), crls=()) -> "TrustMaterial":
        revoked = {}
        for crl_der in crls:
            crl = x509.load_der_x509_crl(crl_der)
            issuer = crl.issuer.public_bytes()
            for entry in crl:
                revoked[(issuer, entry.serial_number)] = entry.revocation_date_utc
        return cls(
            roots=tuple(asn1_x509.Certificate.load(bytes(d)) for d in roots),
            intermediates=tuple(asn1_x509.Certificate.load(bytes(d)) for d in intermediates),
            revoked=revoked,
        )


@dataclass
class SignatureFacts:
    field_name: str
    signer: str
    organisation: str
    serial: str
    issuer: str
    signed_at: dt.datetime | None
    timestamp_at: dt.datetime | None
    timestamp_trusted: bool
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    covers_entire_file: bool
    changed_after: bool
    cert_valid_at_signing: bool
    revoked_at: dt.datetime | None
    revoked_at_signing: bool
    expired_now: bool = False
    problem: str = ""

    @property
    def level(self) -> str:
        return "B-T" if self.timestamp_at and self.timestamp_trusted else "B-B"


@dataclass
class Report:
    verdict: str
    signatures: list[SignatureFacts]
    size: int

    @property
    def ok(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def message(self):
        return VERDICT_TEXT[self.verdict]


def _truncated(data: bytes) -> bool:
    """A signature's byte range reaches past the end of the file."""
    for match in _BYTE_RANGE.finditer(data):
        _a, _b, start, length = (int(g) for g in match.groups())
        if start + length > len(data):
            return True
    return False


def _name_part(cert: asn1_x509.Certificate, key: str) -> str:
    value = cert.subject.native.get(key, "")
    return value if isinstance(value, str) else ", ".join(value)


def verify_pdf(data: bytes, *, trust: TrustMaterial) -> Report:
    """Verify every signature of `data`. Raises MalformedPdf for a file that is not a PDF."""
    if _truncated(data):
        return Report(verdict=Verdict.TRUNCATED, signatures=[], size=len(data))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = sorted(reader.embedded_regular_signatures, key=lambda s: s.signed_revision)
    except Exception as exc:  # the PDF parser raises PdfReadError and, on garbage, many other types
        if _SIGNATURE_MARK.search(data) and not _ends_cleanly(data):
            # A signature dictionary, and the file stops before its end: cut off, not garbage.
            return Report(verdict=Verdict.TRUNCATED, signatures=[], size=len(data))
        raise MalformedPdf() from exc
    if not embedded:
        return Report(verdict=Verdict.UNSIGNED, signatures=[], size=len(data))
    context = ValidationContext(
        trust_roots=list(trust.roots),
        other_certs=list(trust.intermediates),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    facts = [_check(sig, context, trust, is_last=i == len(embedded) - 1) for i, sig in enumerate(embedded)]
    if not _ends_cleanly(data):
        # Bytes after the last end-of-file marker: a reader ignores them, the signature does not
        # cover them (STACK_NOTES: pyHanko's bottom line still passes).
        facts[-1].covers_entire_file = False
    return Report(verdict=_verdict(facts), signatures=facts, size=len(data))


def _ends_cleanly(data: bytes) -> bool:
    return data.rstrip(b"\r\n\t\x00 ").endswith(b"%%EOF")


def _check(sig, context: ValidationContext, trust: TrustMaterial, *, is_last: bool) -> SignatureFacts:
    cert = sig.signer_cert
    problem = ""
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context, ts_validation_context=context)
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        status, problem = None, exc.__class__.__name__
    ts = getattr(status, "timestamp_validity", None)
    ts_at = ts.timestamp if ts is not None else None
    ts_trusted = bool(ts is not None and ts.intact and ts.valid and ts.trusted)
    not_after = cert["tbs_certificate"]["validity"]["not_after"].native
    expired_now = not_after < dt.datetime.now(dt.UTC)
    if status is not None and not status.trusted and expired_now and ts_trusted:
        # Expired since: the trusted timestamp proves when it was signed, so judge the path then
        # (pyHanko judges it now by default). A second pass only in this rare case.
        at_signing = ValidationContext(
            trust_roots=list(trust.roots),
            other_certs=list(trust.intermediates),
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=ts_at,
        )
        try:
            status = validate_pdf_signature(
                sig, signer_validation_context=at_signing, ts_validation_context=context
            )
        except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
            status, problem = None, exc.__class__.__name__
    signed_at = getattr(status, "signer_reported_dt", None) or sig.self_reported_timestamp
    coverage = getattr(status, "coverage", None)
    modification = getattr(status, "modification_level", None)
    # The time the certificate is judged at: the TSA's when trusted, else the signer's claim.
    when = ts_at if ts_trusted else signed_at
    not_before = cert["tbs_certificate"]["validity"]["not_before"].native
    revoked_at = trust.revoked.get((cert.issuer.dump(), cert.serial_number))
    revoked_at_signing = revoked_at is not None and (not ts_trusted or when is None or revoked_at <= when)
    # Later revisions a signature allows: further signatures and form filling for all but the
    # last; for the last only validation data (DSS, document timestamps) - and nothing at all
    # after the file's last revision.
    allowed = ModificationLevel.LTA_UPDATES if is_last else ModificationLevel.FORM_FILLING
    covers = coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and modification is not None
        and modification <= allowed
    )
    return SignatureFacts(
        field_name=sig.field_name,
        signer=_name_part(cert, "common_name"),
        organisation=_name_part(cert, "organization_name"),
        serial=format(cert.serial_number, "x"),
        issuer=cert.issuer.native.get("common_name", ""),
        signed_at=signed_at,
        timestamp_at=ts_at,
        timestamp_trusted=ts_trusted,
        intact=bool(status and status.intact),
        valid=bool(status and status.valid),
        trusted=bool(status and status.trusted),
        coverage=coverage.name if coverage is not None else "",
        covers_entire_file=covers,
        changed_after=status is None or not status.intact,
        cert_valid_at_signing=bool(when and not_before <= when <= not_after),
        revoked_at=revoked_at,
        revoked_at_signing=revoked_at_signing,
        expired_now=expired_now,
        problem=problem,
    )


def _verdict(facts: list[SignatureFacts]) -> str:
    if any(f.changed_after or not f.valid for f in facts):
        return Verdict.MODIFIED
    if not all(f.covers_entire_file for f in facts):
        return Verdict.APPENDED
    if any(f.revoked_at_signing for f in facts):
        return Verdict.REVOKED
    if any(not f.cert_valid_at_signing for f in facts):
        return Verdict.CERT_INVALID
    if any(not f.trusted and f.expired_now and not f.timestamp_trusted for f in facts):
        return Verdict.EXPIRED
    if any(not f.trusted for f in facts):
        return Verdict.UNTRUSTED
    return Verdict.VALID
