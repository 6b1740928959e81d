"""Signing with a key on a PKCS#11 token: SoftHSM2 with a token directory of the test session."""

import os
import shutil
import subprocess

import pytest
from django.core.management import call_command

from smartcommune.signing import selectors, services, tokens, verification
from smartcommune.signing.choices import Appearance, CertificateKind, KeyStorage
from smartcommune.signing.engine import SigningFailed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("softhsm2-util") is None, reason="Debian package softhsm2 not installed"),
]
LIBRARY = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "246810"


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory):
    """A fresh token in a directory of this test session. SOFTHSM2_CONF is read when the module
    loads, once per process, so one token serves every test of the session."""
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(  # noqa: S603
        ["softhsm2-util", "--init-token", "--free", "--label", "sc-test", "--pin", PIN, "--so-pin", "13579"],  # noqa: S607
        check=True,
        capture_output=True,
        env={**os.environ},
        timeout=60,
    )
    return "sc-test"


@pytest.fixture
def token_settings(settings, softhsm_token):
    settings.SIGNING = {**settings.SIGNING, "PKCS11_LIBRARY": LIBRARY, "PKCS11_PIN": PIN}
    return softhsm_token


def _token_cert(pki, org, token, label):
    public_key = tokens.generate_rsa_key(library=LIBRARY, token_label=token, pin=PIN, key_label=label)
    return services.certificate_issue(
        actor=None,
        issuer=pki.issuing,
        kind=CertificateKind.OFFICIAL,
        org_unit=org.muong_dun,
        owner_user=org.leader,
        public_key=public_key,
        pkcs11_token=token,
        pkcs11_key=label,
    )


def test_a_key_made_on_the_token_signs_and_the_signature_verifies(
    pki, org, token_settings, unsigned_pdf, anchors
):
    cert = _token_cert(pki, org, token_settings, "leader-1")
    assert cert.key_storage == KeyStorage.PKCS11 and cert.key_sealed is None

    box = services.anchor_box(anchors["sig-head"])
    signed = services.pdf_sign(unsigned_pdf, certificate=cert, appearance=Appearance.SIGNER, box=box)
    sealed = services.pdf_sign(signed.data, certificate=pki.agency, appearance=Appearance.SEAL)

    report = verification.verify_pdf(sealed.data, trust=selectors.trust_material())
    assert report.verdict == verification.Verdict.VALID
    assert report.signatures[0].serial == cert.serial


def test_a_wrong_pin_fails_cleanly(pki, org, token_settings, unsigned_pdf, settings):
    cert = _token_cert(pki, org, token_settings, "leader-2")
    settings.SIGNING = {**settings.SIGNING, "PKCS11_PIN": "000000"}
    with pytest.raises(SigningFailed):
        services.pdf_sign(unsigned_pdf, certificate=cert)


def test_an_unknown_token_fails_cleanly(pki, org, token_settings):
    with pytest.raises(tokens.TokenError):
        tokens.generate_rsa_key(library=LIBRARY, token_label="no-such-token", pin=PIN, key_label="x")


def test_the_same_key_label_is_not_made_twice(token_settings):
    tokens.generate_rsa_key(library=LIBRARY, token_label=token_settings, pin=PIN, key_label="dup")
    with pytest.raises(tokens.TokenError):
        tokens.generate_rsa_key(library=LIBRARY, token_label=token_settings, pin=PIN, key_label="dup")


def test_command_issues_an_official_certificate_with_its_key_on_the_token(pki, org, token_settings, capsys):
    call_command("signing_ca", "issue-official", org.specialist.username, "--pkcs11-token", token_settings)

    cert = selectors.official_certificate_for(org.specialist)
    assert cert.key_storage == KeyStorage.PKCS11 and cert.pkcs11_token == token_settings
    assert "pkcs11" in capsys.readouterr().out
