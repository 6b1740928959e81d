"""PAdES signing of PDF bytes with pyHanko: software keys or PKCS#11 tokens, B-B or B-T.

Pure: takes bytes and key material, returns bytes. The registry (`services`) decides who signs with
what; this module only signs. Each signature is an incremental update, so an earlier signature is
never invalidated by a later one (sequential multi-signature).
"""

import contextlib
import io
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import appearance as looks
from .choices import Appearance, SignatureLevel

# Room for the CMS blob: RSA-2048 signature, a chain of three certificates, a timestamp token and
# CRLs fit with margin. Fixing it saves pyHanko a second signing pass (STACK_NOTES: ~85 vs ~150 ms).
BYTES_RESERVED = 16384
BYTES_RESERVED_LTV = 32768
A4 = (595.28, 841.89)


class SigningFailed(Exception):
    """Signing could not be carried out (bad key, token unavailable, TSA unreachable, bad PDF)."""


@dataclass(frozen=True)
class Pkcs11Key:
    library: str
    token_label: str
    key_label: str
    pin: str


@dataclass(frozen=True)
class KeyMaterial:
    """A signing certificate with its chain (issuer first, root last) and where its key is."""

    certificate: asn1_x509.Certificate
    chain: Sequence[asn1_x509.Certificate] = ()
    key_der: bytes | None = None
    pkcs11: Pkcs11Key | None = None


@dataclass(frozen=True)
class StampTexts:
    """What the visible stamp says. `time` is ISO 8601 in Vietnam time."""

    name: str = ""
    agency: str = ""
    parent: str = ""
    number: str = ""
    time: str = ""


@dataclass
class SignOptions:
    appearance: str = Appearance.INVISIBLE
    box: looks.Box | None = None
    texts: StampTexts = field(default_factory=StampTexts)
    reason: str = ""
    location: str = ""
    tsa_url: str = ""
    timestamper: timestamps.TimeStamper | None = None
    # Certificates and CRLs to embed as LTV data; None leaves LTV data out.
    ltv_context: ValidationContext | None = None


@dataclass(frozen=True)
class Signed:
    data: bytes
    level: str
    field_name: str


class SealedKeySigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, with the key parsed once. pyHanko re-parses the key at every
    signature with full RSA key validation (~45 ms for RSA-2048, more than the signature itself).
    Our keys come out of authenticated encryption (AES-GCM, `pki.unseal_key_der`), so that check
    adds nothing and is skipped."""

    def __init__(self, *, key_der: bytes, **kwargs):
        super().__init__(signing_key=asn1_keys.PrivateKeyInfo.load(key_der), **kwargs)
        self._key = serialization.load_der_private_key(
            key_der, password=None, unsafe_skip_rsa_key_validation=True
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(self._key, RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


@contextlib.contextmanager
def open_signer(material: KeyMaterial) -> Iterator[signers.Signer]:
    """A pyHanko signer for the material: in memory, or in a session on the PKCS#11 token."""
    store = SimpleCertificateStore.from_certs(list(material.chain))
    if material.key_der is not None:
        yield SealedKeySigner(
            signing_cert=material.certificate, key_der=material.key_der, cert_registry=store
        )
        return
    if material.pkcs11 is None:
        raise SigningFailed("no key for this certificate")
    ref = material.pkcs11
    try:
        session = open_pkcs11_session(
            ref.library, token_criteria=TokenCriteria(label=ref.token_label), user_pin=ref.pin
        )
    except Exception as exc:  # python-pkcs11 raises many unrelated types for a missing token or PIN
        raise SigningFailed(
            f"PKCS#11 token {ref.token_label!r} unavailable: {exc.__class__.__name__}"
        ) from exc
    try:
        yield PKCS11Signer(
            session,
            key_label=ref.key_label,
            signing_cert=material.certificate,
            ca_chain=list(material.chain),
        )
    finally:
        session.close()


def page_size(writer: IncrementalPdfFileWriter, index: int) -> tuple[float, float]:
    try:
        page = writer.prev.find_page_for_modification(index)[0].get_object()
        box = page.get("/MediaBox") or page.get("/CropBox")
        x1, y1, x2, y2 = (float(v) for v in box)
        return x2 - x1, y2 - y1
    except (KeyError, TypeError, ValueError, IndexError):
        return A4


def page_count(writer: IncrementalPdfFileWriter) -> int:
    return int(writer.prev.root["/Pages"]["/Count"])


def sign_pdf(pdf: bytes, *, material: KeyMaterial, options: SignOptions) -> Signed:
    """Add one PAdES signature (B-T with the TSA, else B-B) as an incremental update."""
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko's reader raises PdfReadError, but also ValueError/KeyError/...
        raise SigningFailed(f"not a readable PDF: {exc.__class__.__name__}") from exc
    field_name = f"{options.appearance}-{secrets.token_hex(4)}"
    box = options.box
    if options.appearance == Appearance.ATTACHMENT and box is None:
        width, height = page_size(writer, 0)
        box = looks.attachment_box(page_width=width, page_height=height)
    if options.appearance in (Appearance.SIGNER, Appearance.SEAL) and box is None:
        last = page_count(writer) - 1
        box = looks.default_signer_box(page=last, page_width=page_size(writer, last)[0])
        if options.appearance == Appearance.SEAL:
            box = looks.seal_box(box)
    visible = options.appearance != Appearance.INVISIBLE and box is not None
    spec = fields.SigFieldSpec(
        sig_field_name=field_name,
        on_page=box.page if visible else 0,
        box=box.as_tuple() if visible else None,
    )
    timestamper = options.timestamper
    if timestamper is None and options.tsa_url:
        timestamper = timestamps.HTTPTimeStamper(options.tsa_url, timeout=10)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=options.reason or None,
        location=options.location or None,
        name=options.texts.name or None,
        embed_validation_info=options.ltv_context is not None,
        validation_context=options.ltv_context,
        # An earlier signature's DocMDP must still allow the next one (leader, then agency).
        certify=False,
    )
    style = looks.stamp_style(options.appearance, agency=options.texts.agency, parent=options.texts.parent)
    params = {
        "name": options.texts.name,
        "agency": options.texts.agency,
        "number": options.texts.number or "—",
        "time": options.texts.time,
    }
    try:
        with open_signer(material) as signer:
            pdf_signer = signers.PdfSigner(
                meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
            )
            out = pdf_signer.sign_pdf(
                writer,
                bytes_reserved=BYTES_RESERVED_LTV if options.ltv_context is not None else BYTES_RESERVED,
                appearance_text_params=params if style is not None else None,
            )
    except SigningFailed:
        raise
    except Exception as exc:  # network (TSA), token and PDF errors all end here: report, keep the input
        raise SigningFailed(f"{exc.__class__.__name__}: {exc}") from exc
    level = SignatureLevel.B_T if timestamper is not None else SignatureLevel.B_B
    return Signed(data=out.getvalue(), level=level, field_name=field_name)
