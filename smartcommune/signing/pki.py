"""X.509 building blocks, pure functions over `cryptography`: keys, certificates, CRLs, and the
encryption of private keys at rest. No database here; `services` stores what these return.

Private keys at rest: the PKCS#8 DER of the key, sealed with AES-256-GCM under a key derived (HKDF-SHA256)
from `SIGNING["KEY_SECRET"]`; the certificate's fingerprint is the associated data, so a sealed key
cannot be moved to another certificate's row unnoticed. Unsealing costs microseconds (a password-based
KDF per signature would cost more than the signature itself).
"""

import datetime as dt
import hashlib
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

RSA_BITS = 2048
# Certificates start five minutes in the past: a clock a little behind the CA's must not reject them.
BACKDATE = dt.timedelta(minutes=5)
_SEAL_VERSION = b"\x01"
_NONCE_BYTES = 12


def new_key(bits: int = RSA_BITS) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def name(*, common_name: str, organisation: str = "", unit: str = "", province: str = "") -> x509.Name:
    """A Vietnamese subject name: CN, O, OU, ST and C=VN (UTF-8 strings keep the diacritics)."""
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if province:
        attrs.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province))
    if organisation:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation[:64]))
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit[:64]))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]))
    return x509.Name(attrs)


def build_certificate(
    *,
    subject: x509.Name,
    public_key,
    issuer_cert: x509.Certificate | None,
    issuer_key,
    days: float,
    ca: bool = False,
    path_length: int | None = None,
    timestamping: bool = False,
    crl_url: str = "",
    now: dt.datetime | None = None,
) -> x509.Certificate:
    """Issue a certificate. `issuer_cert=None` makes a self-signed root. End-entity certificates
    are for non-repudiation and digital signature (document signing); `timestamping=True` makes a
    TSA certificate (critical extended key usage id-kp-timeStamping, RFC 3161 2.3)."""
    now = now or dt.datetime.now(dt.UTC)
    issuer_name = issuer_cert.subject if issuer_cert is not None else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()), critical=False
        )
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True, "digital_signature": True}
    else:
        usage = {"digital_signature": True, "content_commitment": not timestamping}
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=usage.get("digital_signature", False),
            content_commitment=usage.get("content_commitment", False),
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=usage.get("key_cert_sign", False),
            crl_sign=usage.get("crl_sign", False),
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    if crl_url and not ca:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256())


def build_crl(
    *,
    issuer_cert: x509.Certificate,
    issuer_key,
    revoked: list[tuple[int, dt.datetime]],
    number: int,
    this_update: dt.datetime,
    next_update: dt.datetime,
) -> x509.CertificateRevocationList:
    """A CRL (RFC 5280 §5) listing `(serial, revocation time)` pairs."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer_cert.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()), critical=False
        )
    )
    for serial, when in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(issuer_key, hashes.SHA256())


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def fingerprint(cert_der: bytes) -> str:
    return hashlib.sha256(cert_der).hexdigest()


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def _aead(secret: str) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"smartcommune-signing-keys", info=b"key-at-rest-v1"
    ).derive(secret.encode())
    return AESGCM(derived)


def seal_key(key, *, secret: str, cert_fingerprint: str) -> bytes:
    """Encrypt a private key for storage (see the module docstring)."""
    plain = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    nonce = os.urandom(_NONCE_BYTES)
    return _SEAL_VERSION + nonce + _aead(secret).encrypt(nonce, plain, cert_fingerprint.encode())


def unseal_key_der(sealed: bytes, *, secret: str, cert_fingerprint: str) -> bytes:
    """The PKCS#8 DER of a sealed key. Raises cryptography's InvalidTag on a wrong secret, a
    tampered ciphertext or a key moved to another certificate."""
    if not sealed or sealed[:1] != _SEAL_VERSION:
        raise ValueError("unknown key format")
    nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
    return _aead(secret).decrypt(nonce, body, cert_fingerprint.encode())


def load_key_der(data: bytes):
    return serialization.load_der_private_key(data, password=None)
