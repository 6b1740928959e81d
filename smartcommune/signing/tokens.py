"""PKCS#11 tokens and HSMs (python-pkcs11): make a key pair on the token, read its public key.

The private key never leaves the token (sensitive, not extractable); the platform keeps only the
token's and the key's labels. SoftHSM2 serves in tests; a real HSM uses the same calls with its own
module (`SIGNING["PKCS11_LIBRARY"]`). Tokens are found by label: a slot number changes between
initialisations.
"""

import pkcs11
from cryptography.hazmat.primitives.asymmetric import rsa
from pkcs11 import Attribute, KeyType, ObjectClass

from .pki import RSA_BITS


class TokenError(Exception):
    """The token cannot be reached or refused the operation."""


def _token(library: str, label: str):
    try:
        lib = pkcs11.lib(library)
        return lib.get_token(token_label=label)
    except (pkcs11.PKCS11Error, RuntimeError, OSError) as exc:
        raise TokenError(f"token {label!r} not found: {exc.__class__.__name__}") from exc


def generate_rsa_key(*, library: str, token_label: str, pin: str, key_label: str, bits: int = RSA_BITS):
    """Generate an RSA key pair on the token; return its public key (a `cryptography` object)."""
    token = _token(library, token_label)
    try:
        with token.open(user_pin=pin, rw=True) as session:
            if list(
                session.get_objects({Attribute.LABEL: key_label, Attribute.CLASS: ObjectClass.PRIVATE_KEY})
            ):
                raise TokenError(f"a key labelled {key_label!r} already exists on the token")
            public, _private = session.generate_keypair(
                KeyType.RSA,
                bits,
                label=key_label,
                store=True,
                private_template={Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False},
            )
            modulus = int.from_bytes(public[Attribute.MODULUS], "big")
            exponent = int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big")
    except pkcs11.PKCS11Error as exc:
        raise TokenError(f"the token refused: {exc.__class__.__name__}") from exc
    return rsa.RSAPublicNumbers(exponent, modulus).public_key()
